// JNI glue of org.exposure.Native: sightings CSV and the encrypted store, over the C ABI.
#include <algorithm>
#include <memory>

#include "jni_records.h"
#include "jni_support.h"

using namespace exposure::jni;

#define EXPOSURE_JNI(type, name) extern "C" JNIEXPORT type JNICALL Java_org_exposure_Native_##name

namespace {

// Hands sightings from the library to Java as records, freeing them.
jbyteArray take_sightings(JNIEnv* env, exposure_status status, exposure_sighting* sightings, size_t count) {
  if (!ok(env, status)) return nullptr;
  std::unique_ptr<exposure_sighting, void (*)(exposure_sighting*)> owner(sightings, exposure_free_sightings);
  return new_bytes(env, pack_sightings(sightings, count));
}

exposure_store* store_of(jlong value) { return handle<exposure_store>(value); }

}  // namespace

EXPOSURE_JNI(jbyteArray, sightingsFromCsv)(JNIEnv* env, jclass, jbyteArray csv_in) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    std::string csv = utf8(env, csv_in).value_or("");
    exposure_sighting* sightings = nullptr;
    size_t count = 0;
    exposure_status status = exposure_sightings_from_csv(csv.data(), csv.size(), &sightings, &count);
    return take_sightings(env, status, sightings, count);
  });
}

EXPOSURE_JNI(jbyteArray, sightingsFromCsvFile)(JNIEnv* env, jclass, jbyteArray path_in) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    std::optional<std::string> path = utf8(env, path_in);
    exposure_sighting* sightings = nullptr;
    size_t count = 0;
    exposure_status status = exposure_sightings_from_csv_file(path ? path->c_str() : nullptr, &sightings, &count);
    return take_sightings(env, status, sightings, count);
  });
}

EXPOSURE_JNI(jbyteArray, sightingsToCsv)(JNIEnv* env, jclass, jbyteArray sightings_in) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    std::vector<exposure_sighting> sightings = unpack_sightings(bytes(env, sightings_in));
    char* csv = nullptr;
    if (!ok(env, exposure_sightings_to_csv(sightings.data(), sightings.size(), &csv))) return nullptr;
    return take_string(env, csv);
  });
}

EXPOSURE_JNI(jbyteArray, generateStorageKey)(JNIEnv* env, jclass) {
  uint8_t key[EXPOSURE_STORAGE_KEY_LENGTH];
  if (!ok(env, exposure_generate_storage_key(key, sizeof key))) return nullptr;
  jbyteArray out = new_bytes(env, key, sizeof key);
  exposure_wipe(key, sizeof key);
  return out;
}

EXPOSURE_JNI(jlong, storeOpen)(JNIEnv* env, jclass, jbyteArray directory_in, jbyteArray key_in, jlong now,
                               jint retention_days, jboolean create, jlong max_bytes) {
  return guarded<jlong>(env, 0, [&]() -> jlong {
    std::optional<std::string> directory = utf8(env, directory_in);
    std::vector<uint8_t> key = bytes(env, key_in);
    exposure_store_options options;
    exposure_store_options_init(&options);
    options.now_unix_seconds = now;
    options.retention_days = static_cast<uint32_t>(retention_days);
    options.create_if_missing = create ? 1 : 0;
    options.max_database_bytes = static_cast<uint64_t>(max_bytes);
    exposure_store* store = nullptr;
    exposure_status status =
        exposure_store_open(directory ? directory->c_str() : nullptr, key.data(), key.size(), &options, &store);
    wipe(key);
    if (!ok(env, status)) return 0;
    return to_jlong(store);
  });
}

EXPOSURE_JNI(void, storeClose)(JNIEnv*, jclass, jlong store) { exposure_store_close(store_of(store)); }

EXPOSURE_JNI(void, storeSetTime)(JNIEnv* env, jclass, jlong store, jlong now) {
  ok(env, exposure_store_set_time(store_of(store), now));
}

EXPOSURE_JNI(jlongArray, storeAddSightings)(JNIEnv* env, jclass, jlong store, jbyteArray sightings_in) {
  return guarded<jlongArray>(env, nullptr, [&]() -> jlongArray {
    std::vector<exposure_sighting> sightings = unpack_sightings(bytes(env, sightings_in));
    exposure_ingest_report report{};
    if (!ok(env, exposure_store_add_sightings(store_of(store), sightings.data(), sightings.size(), &report))) {
      return nullptr;
    }
    jlong values[2] = {static_cast<jlong>(report.stored), static_cast<jlong>(report.expired)};
    jlongArray out = env->NewLongArray(2);
    if (out != nullptr) env->SetLongArrayRegion(out, 0, 2, values);
    return out;
  });
}

EXPOSURE_JNI(jbyteArray, storeLoadSightings)(JNIEnv* env, jclass, jlong store) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    exposure_sighting* sightings = nullptr;
    size_t count = 0;
    exposure_status status = exposure_store_load_sightings(store_of(store), &sightings, &count);
    return take_sightings(env, status, sightings, count);
  });
}

EXPOSURE_JNI(void, storeSaveOwnKeys)(JNIEnv* env, jclass, jlong store, jbyteArray keys_in) {
  guarded<int>(env, 0, [&] {
    std::vector<uint8_t> packed = bytes(env, keys_in);
    std::vector<exposure_tek> keys = unpack_teks(packed);
    wipe(packed);
    ok(env, exposure_store_save_own_keys(store_of(store), keys.data(), keys.size()));
    wipe(keys);
    return 0;
  });
}

EXPOSURE_JNI(jbyteArray, storeLoadOwnKeys)(JNIEnv* env, jclass, jlong store) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    exposure_tek* keys = nullptr;
    size_t count = 0;
    if (!ok(env, exposure_store_load_own_keys(store_of(store), &keys, &count))) return nullptr;
    auto free_keys = [count](exposure_tek* k) { exposure_free_teks(k, count); };
    std::unique_ptr<exposure_tek, decltype(free_keys)> owner(keys, free_keys);
    std::vector<uint8_t> packed = pack_teks(keys, count);
    jbyteArray out = new_bytes(env, packed);
    wipe(packed);
    return out;
  });
}

EXPOSURE_JNI(void, storeRotateKey)(JNIEnv* env, jclass, jlong store, jbyteArray key_in) {
  guarded<int>(env, 0, [&] {
    std::vector<uint8_t> key = bytes(env, key_in);
    ok(env, exposure_store_rotate_key(store_of(store), key.data(), key.size()));
    wipe(key);
    return 0;
  });
}

EXPOSURE_JNI(jlongArray, storeStats)(JNIEnv* env, jclass, jlong store) {
  exposure_store_stats stats{};
  if (!ok(env, exposure_store_stats_get(store_of(store), &stats))) return nullptr;
  jlong values[8] = {static_cast<jlong>(stats.sightings),      static_cast<jlong>(stats.chunks),
                     static_cast<jlong>(stats.own_keys),       static_cast<jlong>(stats.days_covered),
                     stats.first_day,                          stats.last_day,
                     static_cast<jlong>(stats.database_bytes), static_cast<jlong>(stats.wal_bytes)};
  jlongArray out = env->NewLongArray(8);
  if (out != nullptr) env->SetLongArrayRegion(out, 0, 8, values);
  return out;
}

EXPOSURE_JNI(void, storeWipe)(JNIEnv* env, jclass, jbyteArray directory_in) {
  guarded<int>(env, 0, [&] {
    std::optional<std::string> directory = utf8(env, directory_in);
    ok(env, exposure_store_wipe(directory ? directory->c_str() : nullptr));
    return 0;
  });
}
