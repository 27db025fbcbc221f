// C ABI: version and errors, key derivation, metadata, the Bluetooth payload and the key
// schedule (exposure.h).
#include <algorithm>
#include <cstring>
#include <optional>

#include "capi/capi_convert.h"
#include "capi/capi_support.h"
#include "exposure.h"
#include "exposure/ble.h"
#include "exposure/key_schedule.h"
#include "exposure/keys.h"
#include "exposure/metadata.h"

using namespace exposure;
using namespace exposure::capi;

static_assert(EXPOSURE_INTERNAL == static_cast<int>(ErrorCode::kInternal), "codes follow ErrorCode");
static_assert(EXPOSURE_UNAVAILABLE == static_cast<int>(ErrorCode::kUnavailable), "codes follow ErrorCode");
static_assert(EXPOSURE_INVALID_ARGUMENT == static_cast<int>(ErrorCode::kInvalidArgument));
static_assert(EXPOSURE_FAILED_PRECONDITION == static_cast<int>(ErrorCode::kFailedPrecondition));

struct exposure_key_schedule {
  exposure_key_schedule(std::vector<TemporaryExposureKey> history, const KeyScheduleOptions& options,
                        int64_t now)
      : clock(now), schedule(clock, std::move(history), options) {}
  HostClock clock;
  KeySchedule schedule;
};

namespace {

constexpr uint32_t kMaxHistoryDays = 3650;

BluetoothMetadata metadata_from_c(const exposure_metadata& m) {
  BluetoothMetadata out;
  out.major_version = m.major_version;
  out.minor_version = m.minor_version;
  out.calibration_confidence = static_cast<CalibrationConfidence>(m.calibration_confidence & 3);
  out.tx_power_dbm = m.tx_power_dbm;
  return out;
}

exposure_metadata metadata_to_c(const BluetoothMetadata& m) {
  return {m.major_version, m.minor_version, static_cast<uint8_t>(m.calibration_confidence), m.tx_power_dbm};
}

exposure_beacon beacon_to_c(const Rpi& rpi, const Aem& aem) {
  exposure_beacon out{};
  std::copy(rpi.begin(), rpi.end(), out.rpi);
  std::copy(aem.begin(), aem.end(), out.aem);
  return out;
}

template <size_t N>
std::array<uint8_t, N> array_of(const uint8_t* bytes) {
  std::array<uint8_t, N> out;
  std::copy_n(bytes, N, out.begin());
  return out;
}

Status hand_out_keys(const std::vector<TemporaryExposureKey>& keys, exposure_tek** out, size_t* out_count) {
  EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
  EXPOSURE_RETURN_IF_ERROR(require(out_count, "out_count"));
  hand_out<exposure_tek, TemporaryExposureKey>(keys, out, out_count);
  return Status::Ok();
}

}  // namespace

extern "C" {

const char* exposure_version(void) { return EXPOSURE_VERSION; }

uint32_t exposure_abi_version(void) { return EXPOSURE_ABI_VERSION; }

const char* exposure_status_name(exposure_status status) {
  if (status < EXPOSURE_OK || status > EXPOSURE_UNAVAILABLE) return "unknown";
  return error_code_name(static_cast<ErrorCode>(status));
}

const char* exposure_last_error(void) { return last_error_message(); }

uint32_t exposure_interval_number(int64_t unix_seconds) { return interval_number(unix_seconds); }

exposure_status exposure_encode_metadata(const exposure_metadata* metadata, uint8_t* out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(metadata, "metadata"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    MetadataBytes bytes = metadata_from_c(*metadata).encode();
    std::copy(bytes.begin(), bytes.end(), out);
    return Status::Ok();
  });
}

exposure_status exposure_decode_metadata(const uint8_t* bytes, size_t length, exposure_metadata* out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_length(bytes, length, EXPOSURE_METADATA_LENGTH, "metadata"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    *out = metadata_to_c(BluetoothMetadata::decode(array_of<4>(bytes)));
    return Status::Ok();
  });
}

exposure_status exposure_derive_beacon(const uint8_t* tek, size_t tek_length, uint32_t interval,
                                       const uint8_t* metadata, size_t metadata_length, exposure_beacon* out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_length(tek, tek_length, EXPOSURE_TEK_LENGTH, "tek"));
    EXPOSURE_RETURN_IF_ERROR(require_length(metadata, metadata_length, EXPOSURE_METADATA_LENGTH, "metadata"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    SecretArray<16> key(array_of<16>(tek));
    Rpi rpi = rolling_proximity_id(derive_rpi_key(key.array()), interval);
    Aem aem = encrypt_metadata(derive_aem_key(key.array()), rpi, array_of<4>(metadata));
    *out = beacon_to_c(rpi, aem);
    return Status::Ok();
  });
}

exposure_status exposure_decrypt_metadata(const uint8_t* tek, size_t tek_length, const exposure_beacon* beacon,
                                          uint8_t* out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_length(tek, tek_length, EXPOSURE_TEK_LENGTH, "tek"));
    EXPOSURE_RETURN_IF_ERROR(require(beacon, "beacon"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    SecretArray<16> key(array_of<16>(tek));
    MetadataBytes metadata =
        decrypt_metadata(derive_aem_key(key.array()), array_of<16>(beacon->rpi), array_of<4>(beacon->aem));
    std::copy(metadata.begin(), metadata.end(), out);
    return Status::Ok();
  });
}

exposure_status exposure_build_advertising_data(const exposure_beacon* beacon, uint8_t* out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(beacon, "beacon"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    auto data = build_advertising_data(array_of<16>(beacon->rpi), array_of<4>(beacon->aem));
    std::copy(data.begin(), data.end(), out);
    return Status::Ok();
  });
}

exposure_status exposure_parse_advertising_data(const uint8_t* data, size_t length, exposure_beacon* out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_array(data, length, "data"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    auto beacon = parse_advertising_data(ByteView(data, length));
    if (!beacon.ok()) return beacon.status();
    *out = beacon_to_c(beacon->rpi, beacon->aem);
    return Status::Ok();
  });
}

void exposure_wipe(void* data, size_t length) {
  if (data != nullptr && length > 0) secure_wipe(data, length);
}

void exposure_free_teks(exposure_tek* keys, size_t count) {
  if (keys == nullptr) return;
  secure_wipe(keys, count * sizeof(exposure_tek));
  std::free(keys);
}

void exposure_key_schedule_options_init(exposure_key_schedule_options* options) {
  if (options == nullptr) return;
  KeyScheduleOptions defaults;
  *options = exposure_key_schedule_options{};
  options->metadata = metadata_to_c(defaults.metadata);
  options->history_days = defaults.history_days;
  options->max_keys_per_start = defaults.max_keys_per_start;
}

exposure_status exposure_key_schedule_new(const exposure_tek* history, size_t history_count,
                                          const exposure_key_schedule_options* options,
                                          exposure_key_schedule** out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    auto keys = teks_from_c(history, history_count, "history");
    if (!keys.ok()) return keys.status();
    exposure_key_schedule_options c_options;
    exposure_key_schedule_options_init(&c_options);
    if (options != nullptr) c_options = *options;
    if (c_options.max_keys_per_start < 1) return invalid_argument("max_keys_per_start must be at least 1");
    if (c_options.history_days > kMaxHistoryDays)
      return invalid_argument("history_days " + std::to_string(c_options.history_days) + " out of range 0..3650");
    KeyScheduleOptions schedule_options;
    schedule_options.metadata = metadata_from_c(c_options.metadata);
    schedule_options.history_days = c_options.history_days;
    schedule_options.max_keys_per_start = c_options.max_keys_per_start;
    *out = new exposure_key_schedule(std::move(*keys), schedule_options, c_options.now_unix_seconds);
    return Status::Ok();
  });
}

void exposure_key_schedule_free(exposure_key_schedule* schedule) { delete schedule; }

exposure_status exposure_key_schedule_set_time(exposure_key_schedule* schedule, int64_t now_unix_seconds) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(schedule, "schedule"));
    schedule->clock.set(now_unix_seconds);
    return Status::Ok();
  });
}

exposure_status exposure_key_schedule_current_key(exposure_key_schedule* schedule, exposure_tek* out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(schedule, "schedule"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    *out = to_c(schedule->schedule.current_key());
    return Status::Ok();
  });
}

exposure_status exposure_key_schedule_current_advertisement(exposure_key_schedule* schedule,
                                                            exposure_advertisement* out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(schedule, "schedule"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    Advertisement ad = schedule->schedule.current_advertisement();
    out->interval = ad.interval;
    out->beacon = beacon_to_c(ad.rpi, ad.aem);
    std::copy(ad.advertising_data.begin(), ad.advertising_data.end(), out->advertising_data);
    return Status::Ok();
  });
}

exposure_status exposure_key_schedule_next_rotation(const exposure_key_schedule* schedule,
                                                    int64_t* out_unix_seconds) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(schedule, "schedule"));
    EXPOSURE_RETURN_IF_ERROR(require(out_unix_seconds, "out_unix_seconds"));
    *out_unix_seconds = schedule->schedule.next_rotation_unix_seconds();
    return Status::Ok();
  });
}

exposure_status exposure_key_schedule_history(const exposure_key_schedule* schedule, exposure_tek** out,
                                              size_t* out_count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(schedule, "schedule"));
    return hand_out_keys(schedule->schedule.history(), out, out_count);
  });
}

exposure_status exposure_key_schedule_keys_for_upload(const exposure_key_schedule* schedule, exposure_tek** out,
                                                      size_t* out_count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(schedule, "schedule"));
    return hand_out_keys(schedule->schedule.keys_for_upload(), out, out_count);
  });
}

exposure_status exposure_key_schedule_release_current_key(exposure_key_schedule* schedule) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(schedule, "schedule"));
    return schedule->schedule.release_current_key();
  });
}

}  // extern "C"
