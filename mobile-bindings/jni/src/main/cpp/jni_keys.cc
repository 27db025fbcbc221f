// JNI glue of org.exposure.Native: version, keys, metadata, the Bluetooth payload and the key
// schedule, over the C ABI (exposure.h).
#include <algorithm>
#include <cstring>
#include <memory>

#include "jni_records.h"
#include "jni_support.h"

using namespace exposure::jni;

#define EXPOSURE_JNI(type, name) extern "C" JNIEXPORT type JNICALL Java_org_exposure_Native_##name

namespace {

jbyteArray beacon_bytes(JNIEnv* env, const exposure_beacon& beacon) {
  uint8_t out[20];
  std::memcpy(out, beacon.rpi, 16);
  std::memcpy(out + 16, beacon.aem, 4);
  return new_bytes(env, out, sizeof out);
}

// The 20 bytes RPI || AEM of a Java beacon; false (with an exception) for another length.
bool beacon_from(JNIEnv* env, jbyteArray array, exposure_beacon* out) {
  std::vector<uint8_t> data = bytes(env, array);
  if (data.size() != 20) {
    throw_exposure(env, EXPOSURE_INVALID_ARGUMENT, "beacon: expected 20 bytes, got " + std::to_string(data.size()));
    return false;
  }
  std::memcpy(out->rpi, data.data(), 16);
  std::memcpy(out->aem, data.data() + 16, 4);
  return true;
}

// Hands an array of TEKs from the library to Java, wiping and freeing it.
jbyteArray take_teks(JNIEnv* env, exposure_status status, exposure_tek* keys, size_t count) {
  if (!ok(env, status)) return nullptr;
  auto free_keys = [count](exposure_tek* k) { exposure_free_teks(k, count); };
  std::unique_ptr<exposure_tek, decltype(free_keys)> owner(keys, free_keys);
  std::vector<uint8_t> packed = pack_teks(keys, count);
  jbyteArray out = new_bytes(env, packed);
  wipe(packed);
  return out;
}

}  // namespace

EXPOSURE_JNI(jbyteArray, version)(JNIEnv* env, jclass) {
  const char* version = exposure_version();
  return new_bytes(env, version, std::strlen(version));
}

EXPOSURE_JNI(jint, abiVersion)(JNIEnv*, jclass) { return static_cast<jint>(exposure_abi_version()); }

EXPOSURE_JNI(jint, intervalNumber)(JNIEnv*, jclass, jlong unix_seconds) {
  return static_cast<jint>(exposure_interval_number(unix_seconds));
}

EXPOSURE_JNI(jbyteArray, encodeMetadata)(JNIEnv* env, jclass, jint major, jint minor, jint confidence, jint tx) {
  exposure_metadata m{static_cast<uint8_t>(major), static_cast<uint8_t>(minor), static_cast<uint8_t>(confidence),
                      static_cast<int8_t>(tx)};
  uint8_t out[EXPOSURE_METADATA_LENGTH];
  if (!ok(env, exposure_encode_metadata(&m, out))) return nullptr;
  return new_bytes(env, out, sizeof out);
}

EXPOSURE_JNI(jintArray, decodeMetadata)(JNIEnv* env, jclass, jbyteArray bytes_in) {
  return guarded<jintArray>(env, nullptr, [&]() -> jintArray {
    std::vector<uint8_t> data = bytes(env, bytes_in);
    exposure_metadata m;
    if (!ok(env, exposure_decode_metadata(data.data(), data.size(), &m))) return nullptr;
    jint values[4] = {m.major_version, m.minor_version, m.calibration_confidence, m.tx_power_dbm};
    jintArray out = env->NewIntArray(4);
    if (out != nullptr) env->SetIntArrayRegion(out, 0, 4, values);
    return out;
  });
}

EXPOSURE_JNI(jbyteArray, deriveBeacon)(JNIEnv* env, jclass, jbyteArray tek_in, jint interval, jbyteArray metadata_in) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    std::vector<uint8_t> tek = bytes(env, tek_in), metadata = bytes(env, metadata_in);
    exposure_beacon beacon;
    exposure_status status = exposure_derive_beacon(tek.data(), tek.size(), static_cast<uint32_t>(interval),
                                                    metadata.data(), metadata.size(), &beacon);
    wipe(tek);
    if (!ok(env, status)) return nullptr;
    return beacon_bytes(env, beacon);
  });
}

EXPOSURE_JNI(jbyteArray, decryptMetadata)(JNIEnv* env, jclass, jbyteArray tek_in, jbyteArray beacon_in) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    exposure_beacon beacon;
    if (!beacon_from(env, beacon_in, &beacon)) return nullptr;
    std::vector<uint8_t> tek = bytes(env, tek_in);
    uint8_t metadata[EXPOSURE_METADATA_LENGTH];
    exposure_status status = exposure_decrypt_metadata(tek.data(), tek.size(), &beacon, metadata);
    wipe(tek);
    if (!ok(env, status)) return nullptr;
    return new_bytes(env, metadata, sizeof metadata);
  });
}

EXPOSURE_JNI(jbyteArray, buildAdvertisingData)(JNIEnv* env, jclass, jbyteArray beacon_in) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    exposure_beacon beacon;
    if (!beacon_from(env, beacon_in, &beacon)) return nullptr;
    uint8_t data[EXPOSURE_ADVERTISING_DATA_LENGTH];
    if (!ok(env, exposure_build_advertising_data(&beacon, data))) return nullptr;
    return new_bytes(env, data, sizeof data);
  });
}

EXPOSURE_JNI(jbyteArray, parseAdvertisingData)(JNIEnv* env, jclass, jbyteArray data_in) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    std::vector<uint8_t> data = bytes(env, data_in);
    exposure_beacon beacon;
    if (!ok(env, exposure_parse_advertising_data(data.data(), data.size(), &beacon))) return nullptr;
    return beacon_bytes(env, beacon);
  });
}

EXPOSURE_JNI(jlong, keyScheduleNew)(JNIEnv* env, jclass, jbyteArray history_in, jlong now, jint major, jint minor,
                                    jint confidence, jint tx, jint history_days, jint max_keys_per_start) {
  return guarded<jlong>(env, 0, [&]() -> jlong {
    std::vector<uint8_t> packed = bytes(env, history_in);
    std::vector<exposure_tek> history = unpack_teks(packed);
    wipe(packed);
    exposure_key_schedule_options options;
    exposure_key_schedule_options_init(&options);
    options.now_unix_seconds = now;
    options.metadata = {static_cast<uint8_t>(major), static_cast<uint8_t>(minor), static_cast<uint8_t>(confidence),
                        static_cast<int8_t>(tx)};
    options.history_days = static_cast<uint32_t>(history_days);
    options.max_keys_per_start = static_cast<uint32_t>(max_keys_per_start);
    exposure_key_schedule* schedule = nullptr;
    exposure_status status = exposure_key_schedule_new(history.data(), history.size(), &options, &schedule);
    wipe(history);
    if (!ok(env, status)) return 0;
    return to_jlong(schedule);
  });
}

EXPOSURE_JNI(void, keyScheduleFree)(JNIEnv*, jclass, jlong schedule) {
  exposure_key_schedule_free(handle<exposure_key_schedule>(schedule));
}

EXPOSURE_JNI(void, keyScheduleSetTime)(JNIEnv* env, jclass, jlong schedule, jlong now) {
  ok(env, exposure_key_schedule_set_time(handle<exposure_key_schedule>(schedule), now));
}

EXPOSURE_JNI(jbyteArray, keyScheduleCurrentKey)(JNIEnv* env, jclass, jlong schedule) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    exposure_tek key;
    if (!ok(env, exposure_key_schedule_current_key(handle<exposure_key_schedule>(schedule), &key))) return nullptr;
    std::vector<uint8_t> packed = pack_teks(&key, 1);
    jbyteArray out = new_bytes(env, packed);
    wipe(packed);
    return out;
  });
}

EXPOSURE_JNI(jbyteArray, keyScheduleCurrentAdvertisement)(JNIEnv* env, jclass, jlong schedule) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    exposure_advertisement ad;
    if (!ok(env, exposure_key_schedule_current_advertisement(handle<exposure_key_schedule>(schedule), &ad))) {
      return nullptr;
    }
    // interval:u32 LE, RPI, AEM, the 31-byte payload.
    std::vector<uint8_t> out;
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(ad.interval >> (8 * i)));
    out.insert(out.end(), ad.beacon.rpi, ad.beacon.rpi + sizeof ad.beacon.rpi);
    out.insert(out.end(), ad.beacon.aem, ad.beacon.aem + sizeof ad.beacon.aem);
    out.insert(out.end(), ad.advertising_data, ad.advertising_data + sizeof ad.advertising_data);
    return new_bytes(env, out);
  });
}

EXPOSURE_JNI(jlong, keyScheduleNextRotation)(JNIEnv* env, jclass, jlong schedule) {
  int64_t rotation = 0;
  ok(env, exposure_key_schedule_next_rotation(handle<exposure_key_schedule>(schedule), &rotation));
  return rotation;
}

EXPOSURE_JNI(jbyteArray, keyScheduleHistory)(JNIEnv* env, jclass, jlong schedule) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    exposure_tek* keys = nullptr;
    size_t count = 0;
    exposure_status status = exposure_key_schedule_history(handle<exposure_key_schedule>(schedule), &keys, &count);
    return take_teks(env, status, keys, count);
  });
}

EXPOSURE_JNI(jbyteArray, keyScheduleKeysForUpload)(JNIEnv* env, jclass, jlong schedule) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    exposure_tek* keys = nullptr;
    size_t count = 0;
    exposure_status status =
        exposure_key_schedule_keys_for_upload(handle<exposure_key_schedule>(schedule), &keys, &count);
    return take_teks(env, status, keys, count);
  });
}

EXPOSURE_JNI(void, keyScheduleReleaseCurrentKey)(JNIEnv* env, jclass, jlong schedule) {
  ok(env, exposure_key_schedule_release_current_key(handle<exposure_key_schedule>(schedule)));
}
