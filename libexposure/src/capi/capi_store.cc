// C ABI: sightings CSV and the encrypted device store (exposure.h).
#include <sstream>

#include "capi/capi_convert.h"
#include "capi/capi_handles.h"
#include "capi/capi_support.h"
#include "exposure.h"
#include "exposure/sightings_csv.h"
#include "exposure/store.h"

using namespace exposure;
using namespace exposure::capi;

namespace {

Status hand_out_sightings(const std::vector<Sighting>& sightings, exposure_sighting** out, size_t* out_count) {
  hand_out<exposure_sighting, Sighting>(sightings, out, out_count);
  return Status::Ok();
}

Status require_outputs(const void* out, const size_t* out_count) {
  EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
  return require(out_count, "out_count");
}

Result<StorageKey> storage_key_from_c(const uint8_t* key, size_t length, const char* name) {
  EXPOSURE_RETURN_IF_ERROR(require_length(key, length, EXPOSURE_STORAGE_KEY_LENGTH, name));
  StorageKey out;
  std::copy_n(key, out.size(), out.data());
  return out;
}

}  // namespace

extern "C" {

void exposure_free_sightings(exposure_sighting* sightings) { std::free(sightings); }

void exposure_free_string(char* text) { std::free(text); }

exposure_status exposure_sightings_from_csv(const char* text, size_t length, exposure_sighting** out,
                                            size_t* out_count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_array(text, length, "text"));
    EXPOSURE_RETURN_IF_ERROR(require_outputs(out, out_count));
    std::istringstream in(length == 0 ? std::string() : std::string(text, length));
    std::vector<Sighting> sightings;
    EXPOSURE_RETURN_IF_ERROR(read_sightings_csv(in, &sightings));
    return hand_out_sightings(sightings, out, out_count);
  });
}

exposure_status exposure_sightings_from_csv_file(const char* path, exposure_sighting** out, size_t* out_count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(path, "path"));
    EXPOSURE_RETURN_IF_ERROR(require_outputs(out, out_count));
    std::vector<Sighting> sightings;
    EXPOSURE_RETURN_IF_ERROR(read_sightings_csv_file(path, &sightings));
    return hand_out_sightings(sightings, out, out_count);
  });
}

exposure_status exposure_sightings_to_csv(const exposure_sighting* sightings, size_t count, char** out_text) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_array(sightings, count, "sightings"));
    EXPOSURE_RETURN_IF_ERROR(require(out_text, "out_text"));
    std::ostringstream csv;
    write_sightings_csv(csv, sightings_from_c(sightings, count));
    *out_text = copy_string(csv.str());
    return Status::Ok();
  });
}

exposure_status exposure_generate_storage_key(uint8_t* out, size_t out_length) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_length(out, out_length, EXPOSURE_STORAGE_KEY_LENGTH, "out"));
    StorageKey key = generate_storage_key();
    std::copy_n(key.data(), key.size(), out);
    return Status::Ok();
  });
}

void exposure_store_options_init(exposure_store_options* options) {
  if (options == nullptr) return;
  StoreOptions defaults;
  *options = exposure_store_options{};
  options->retention_days = defaults.retention_days;
  options->create_if_missing = defaults.create_if_missing ? 1 : 0;
  options->max_database_bytes = defaults.max_database_bytes;
}

exposure_status exposure_store_open(const char* directory, const uint8_t* key, size_t key_length,
                                    const exposure_store_options* options, exposure_store** out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(directory, "directory"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    auto storage_key = storage_key_from_c(key, key_length, "key");
    if (!storage_key.ok()) return storage_key.status();
    exposure_store_options c_options;
    exposure_store_options_init(&c_options);
    if (options != nullptr) c_options = *options;
    auto handle = std::make_unique<exposure_store>(c_options.now_unix_seconds);
    StoreOptions store_options;
    store_options.clock = &handle->clock;
    store_options.retention_days = c_options.retention_days;
    store_options.create_if_missing = c_options.create_if_missing != 0;
    store_options.max_database_bytes = c_options.max_database_bytes;
    auto store = Store::open(directory, *storage_key, store_options);
    if (!store.ok()) return store.status();
    handle->store = std::move(*store);
    *out = handle.release();
    return Status::Ok();
  });
}

void exposure_store_close(exposure_store* store) { delete store; }

exposure_status exposure_store_set_time(exposure_store* store, int64_t now_unix_seconds) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(store, "store"));
    store->clock.set(now_unix_seconds);
    return Status::Ok();
  });
}

exposure_status exposure_store_add_sightings(exposure_store* store, const exposure_sighting* sightings,
                                             size_t count, exposure_ingest_report* report) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(store, "store"));
    EXPOSURE_RETURN_IF_ERROR(require_array(sightings, count, "sightings"));
    auto ingested = store->store->add_sightings(sightings_from_c(sightings, count));
    if (!ingested.ok()) return ingested.status();
    if (report != nullptr) *report = {ingested->stored, ingested->expired};
    return Status::Ok();
  });
}

exposure_status exposure_store_load_sightings(exposure_store* store, exposure_sighting** out, size_t* out_count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(store, "store"));
    EXPOSURE_RETURN_IF_ERROR(require_outputs(out, out_count));
    std::vector<Sighting> sightings;
    EXPOSURE_RETURN_IF_ERROR(store->store->load_sightings(&sightings));
    return hand_out_sightings(sightings, out, out_count);
  });
}

exposure_status exposure_store_save_own_keys(exposure_store* store, const exposure_tek* keys, size_t count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(store, "store"));
    auto converted = teks_from_c(keys, count, "keys");
    if (!converted.ok()) return converted.status();
    return store->store->save_own_keys(*converted);
  });
}

exposure_status exposure_store_load_own_keys(exposure_store* store, exposure_tek** out, size_t* out_count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(store, "store"));
    EXPOSURE_RETURN_IF_ERROR(require_outputs(out, out_count));
    std::vector<TemporaryExposureKey> keys;
    EXPOSURE_RETURN_IF_ERROR(store->store->load_own_keys(&keys));
    hand_out<exposure_tek, TemporaryExposureKey>(keys, out, out_count);
    return Status::Ok();
  });
}

exposure_status exposure_store_rotate_key(exposure_store* store, const uint8_t* new_key, size_t new_key_length) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(store, "store"));
    auto key = storage_key_from_c(new_key, new_key_length, "new_key");
    if (!key.ok()) return key.status();
    return store->store->rotate_key(*key);
  });
}

exposure_status exposure_store_stats_get(exposure_store* store, exposure_store_stats* out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(store, "store"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    auto stats = store->store->stats();
    if (!stats.ok()) return stats.status();
    exposure_store_stats c{};
    c.sightings = stats->sightings;
    c.chunks = stats->chunks;
    c.own_keys = stats->own_keys;
    c.days_covered = stats->sightings_per_day.size();
    c.first_day = stats->sightings_per_day.empty() ? -1 : stats->sightings_per_day.begin()->first;
    c.last_day = stats->sightings_per_day.empty() ? -1 : stats->sightings_per_day.rbegin()->first;
    c.database_bytes = stats->database_bytes;
    c.wal_bytes = stats->wal_bytes;
    *out = c;
    return Status::Ok();
  });
}

exposure_status exposure_store_wipe(const char* directory) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(directory, "directory"));
    return wipe_store(directory);
  });
}

}  // extern "C"
