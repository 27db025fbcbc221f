// JNI glue of org.exposure.Native: export files, matching, scoring and the config linter, over
// the C ABI.
#include <memory>

#include "jni_records.h"
#include "jni_support.h"

using namespace exposure::jni;

#define EXPOSURE_JNI(type, name) extern "C" JNIEXPORT type JNICALL Java_org_exposure_Native_##name

namespace {

jbyteArray take_diagnosis_keys(JNIEnv* env, exposure_status status, exposure_diagnosis_key* keys, size_t count) {
  if (!ok(env, status)) return nullptr;
  std::unique_ptr<exposure_diagnosis_key, void (*)(exposure_diagnosis_key*)> owner(keys, exposure_free_diagnosis_keys);
  return new_bytes(env, pack_diagnosis_keys(keys, count));
}

exposure_match_result* result_of(jlong value) { return handle<exposure_match_result>(value); }

}  // namespace

EXPOSURE_JNI(void, verifyExportFile)(JNIEnv* env, jclass, jbyteArray path_in, jobjectArray names, jobjectArray keys) {
  guarded<int>(env, 0, [&] {
    std::optional<std::string> path = utf8(env, path_in);
    exposure::bindings::ExportSources sources;
    export_sources(env, nullptr, names, keys, &sources);
    const std::vector<exposure_public_key>& public_keys = sources.c_public_keys();
    ok(env, exposure_verify_export_file(path ? path->c_str() : nullptr, public_keys.data(), public_keys.size()));
    return 0;
  });
}

EXPOSURE_JNI(void, verifyExportBytes)(JNIEnv* env, jclass, jbyteArray data_in, jobjectArray names, jobjectArray keys) {
  guarded<int>(env, 0, [&] {
    std::vector<uint8_t> data = bytes(env, data_in);
    exposure::bindings::ExportSources sources;
    export_sources(env, nullptr, names, keys, &sources);
    const std::vector<exposure_public_key>& public_keys = sources.c_public_keys();
    ok(env, exposure_verify_export_bytes(data.data(), data.size(), public_keys.data(), public_keys.size()));
    return 0;
  });
}

EXPOSURE_JNI(jbyteArray, readExportFile)(JNIEnv* env, jclass, jbyteArray path_in) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    std::optional<std::string> path = utf8(env, path_in);
    exposure_diagnosis_key* keys = nullptr;
    size_t count = 0;
    exposure_status status = exposure_read_export_file(path ? path->c_str() : nullptr, &keys, &count);
    return take_diagnosis_keys(env, status, keys, count);
  });
}

EXPOSURE_JNI(jbyteArray, readExportBytes)(JNIEnv* env, jclass, jbyteArray data_in) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    std::vector<uint8_t> data = bytes(env, data_in);
    exposure_diagnosis_key* keys = nullptr;
    size_t count = 0;
    exposure_status status = exposure_read_export_bytes(data.data(), data.size(), &keys, &count);
    return take_diagnosis_keys(env, status, keys, count);
  });
}

EXPOSURE_JNI(jlong, match)(JNIEnv* env, jclass, jbyteArray sightings_in, jbyteArray keys_in, jobjectArray paths_in,
                           jobjectArray names, jobjectArray public_keys_in, jboolean skip_verification, jlong now,
                           jint threads) {
  return guarded<jlong>(env, 0, [&]() -> jlong {
    exposure::bindings::MatchInputs inputs;
    inputs.sightings = unpack_sightings(bytes(env, sightings_in));
    inputs.keys = unpack_diagnosis_keys(bytes(env, keys_in));
    export_sources(env, paths_in, names, public_keys_in, &inputs.exports);
    inputs.exports.skip_verification = skip_verification;
    inputs.now_unix_seconds = now;
    inputs.threads = static_cast<uint32_t>(threads);
    exposure_match_request request = inputs.request();
    exposure_match_result* result = nullptr;
    if (!ok(env, exposure_match(&request, &result))) return 0;
    return to_jlong(result);
  });
}

EXPOSURE_JNI(void, matchResultFree)(JNIEnv*, jclass, jlong result) { exposure_match_result_free(result_of(result)); }

EXPOSURE_JNI(jlong, matchResultMatchedKeyCount)(JNIEnv* env, jclass, jlong result) {
  uint64_t count = 0;
  ok(env, exposure_match_result_matched_key_count(result_of(result), &count));
  return static_cast<jlong>(count);
}

EXPOSURE_JNI(jbyteArray, matchResultJson)(JNIEnv* env, jclass, jlong result) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    char* json = nullptr;
    if (!ok(env, exposure_match_result_json(result_of(result), &json))) return nullptr;
    return take_string(env, json);
  });
}

EXPOSURE_JNI(jbyteArray, matchResultScore)(JNIEnv* env, jclass, jlong result, jbyteArray config_in,
                                           jbyteArray platform_in) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    std::optional<std::string> config = utf8(env, config_in), platform = utf8(env, platform_in);
    char* json = nullptr;
    exposure_status status =
        exposure_match_result_score(result_of(result), config ? config->data() : nullptr, config ? config->size() : 0,
                                    platform ? platform->c_str() : nullptr, &json);
    if (!ok(env, status)) return nullptr;
    return take_string(env, json);
  });
}

EXPOSURE_JNI(void, checkRiskConfig)(JNIEnv* env, jclass, jbyteArray config_in) {
  guarded<int>(env, 0, [&] {
    std::optional<std::string> config = utf8(env, config_in);
    ok(env, exposure_check_risk_config(config ? config->data() : nullptr, config ? config->size() : 0));
    return 0;
  });
}

EXPOSURE_JNI(jbyteArray, lintConfig)(JNIEnv* env, jclass, jbyteArray config_in, jbyteArray metadata_in,
                                     jobjectArray paths_in, jobjectArray names, jobjectArray public_keys_in,
                                     jboolean skip_verification, jbyteArray platform_in, jint minutes, jdouble meters,
                                     jdouble attenuation_at_1m, jdouble exponent) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    exposure::bindings::LintInputs inputs;
    inputs.config_json = utf8(env, config_in);
    inputs.platform = utf8(env, platform_in);
    inputs.key_metadata = unpack_key_metadata(bytes(env, metadata_in));
    export_sources(env, paths_in, names, public_keys_in, &inputs.exports);
    inputs.exports.skip_verification = skip_verification;
    inputs.contact_minutes = minutes;
    inputs.contact_meters = meters;
    inputs.attenuation_at_1m_db = attenuation_at_1m;
    inputs.path_loss_exponent = exponent;
    exposure_lint_request request = inputs.request();
    char* json = nullptr;
    if (!ok(env, exposure_lint_config(&request, &json))) return nullptr;
    return take_string(env, json);
  });
}
