// JNI glue of org.exposure.NativeApp: the app's protocol exchanges (upload, exposure check,
// chaff) over the C ABI. Requests go to Java as byte[][] {method, path, body, name0, value0,
// name1, value1, ...} (UTF-8; the body as sent).
#include <nlohmann/json.hpp>

#include "exchange_inputs.h"
#include "jni_records.h"
#include "jni_support.h"

using namespace exposure::jni;
using exposure::bindings::ExchangeHandle;

#define EXPOSURE_JNI(type, name) \
  extern "C" JNIEXPORT type JNICALL Java_org_exposure_NativeApp_##name

namespace {

exposure_exchange* exchange_of(jlong value) { return handle<exposure_exchange>(value); }

// The handle to give Java for a started exchange, 0 (with the exception pending) on failure.
jlong started(JNIEnv* env, exposure_status status, exposure_exchange* exchange) {
  ExchangeHandle owner(exchange);
  if (!ok(env, status)) return 0;
  return to_jlong(owner.release());
}

jobjectArray request_parts(JNIEnv* env, const exposure::bindings::OwnedRequest& request) {
  std::vector<const std::string*> parts = {&request.method, &request.path, &request.body};
  for (const auto& [name, value] : request.headers) {
    parts.push_back(&name);
    parts.push_back(&value);
  }
  jclass byte_array = env->FindClass("[B");
  if (byte_array == nullptr) return nullptr;
  jobjectArray out = env->NewObjectArray(static_cast<jsize>(parts.size()), byte_array, nullptr);
  if (out == nullptr) return nullptr;
  for (size_t i = 0; i < parts.size(); ++i) {
    jbyteArray part = new_bytes(env, parts[i]->data(), parts[i]->size());
    if (part == nullptr) return nullptr;
    env->SetObjectArrayElement(out, static_cast<jsize>(i), part);
    env->DeleteLocalRef(part);
  }
  return out;
}

}  // namespace

EXPOSURE_JNI(jlong, uploadStart)
(JNIEnv* env, jclass, jlong store, jbyteArray keys_in, jint flow, jbyteArray code,
 jbyteArray app_id, jobjectArray regions, jbyteArray platform, jbyteArray onset_date,
 jint transmission_risk, jlong now) {
  return guarded<jlong>(env, 0, [&]() -> jlong {
    exposure::bindings::UploadInputs inputs;
    inputs.flow = flow;
    inputs.code = utf8(env, code);
    inputs.app_id = utf8(env, app_id);
    inputs.regions = strings(env, regions);
    inputs.platform = utf8(env, platform);
    inputs.onset_date = utf8(env, onset_date);
    inputs.transmission_risk = transmission_risk;
    inputs.now_unix_seconds = now;
    std::vector<uint8_t> packed = bytes(env, keys_in);
    std::vector<exposure_tek> keys = unpack_teks(packed);
    wipe(packed);
    exposure_upload_options options = inputs.options();
    exposure_exchange* out = nullptr;
    exposure_status status = exposure_upload_start(handle<exposure_store>(store), keys.data(),
                                                   keys.size(), &options, &out);
    wipe(keys);
    return started(env, status, out);
  });
}

EXPOSURE_JNI(jlong, checkStart)
(JNIEnv* env, jclass, jlong store, jbyteArray region, jbyteArray export_path,
 jboolean use_list_json, jobjectArray key_names, jobjectArray keys, jbyteArray config,
 jbyteArray platform, jlong now, jint threads) {
  return guarded<jlong>(env, 0, [&]() -> jlong {
    exposure::bindings::CheckInputs inputs;
    inputs.region = utf8(env, region);
    inputs.export_path = utf8(env, export_path);
    inputs.use_list_json = use_list_json == JNI_TRUE;
    export_sources(env, nullptr, key_names, keys, &inputs.sources);
    inputs.config_json = utf8(env, config);
    inputs.platform = utf8(env, platform);
    inputs.now_unix_seconds = now;
    inputs.threads = static_cast<uint32_t>(threads);
    exposure_check_options options = inputs.options();
    exposure_exchange* out = nullptr;
    exposure_status status = exposure_check_start(handle<exposure_store>(store), &options, &out);
    return started(env, status, out);
  });
}

EXPOSURE_JNI(jlong, chaffStart)(JNIEnv* env, jclass, jint route) {
  return guarded<jlong>(env, 0, [&]() -> jlong {
    exposure_exchange* out = nullptr;
    exposure_status status = exposure_chaff_start(route, &out);
    return started(env, status, out);
  });
}

EXPOSURE_JNI(jobjectArray, nextRequest)(JNIEnv* env, jclass, jlong exchange) {
  return guarded<jobjectArray>(env, nullptr, [&]() -> jobjectArray {
    exposure_http_request request;
    int32_t done = 0;
    if (!ok(env, exposure_exchange_next_request(exchange_of(exchange), &request, &done)) ||
        done != 0) {
      return nullptr;
    }
    return request_parts(env, exposure::bindings::copy_request(request));
  });
}

EXPOSURE_JNI(void, receive)
(JNIEnv* env, jclass, jlong exchange, jint http_status, jbyteArray body_in) {
  guarded<int>(env, 0, [&] {
    std::vector<uint8_t> body = bytes(env, body_in);
    ok(env,
       exposure_exchange_receive(exchange_of(exchange), http_status, body.data(), body.size()));
    return 0;
  });
}

EXPOSURE_JNI(jbyteArray, resultJson)(JNIEnv* env, jclass, jlong exchange) {
  return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
    char* json = nullptr;
    if (!ok(env, exposure_exchange_result_json(exchange_of(exchange), &json))) return nullptr;
    return take_string(env, json);
  });
}

EXPOSURE_JNI(jboolean, checkNotify)(JNIEnv* env, jclass, jlong exchange) {
  return guarded<jboolean>(env, JNI_FALSE, [&]() -> jboolean {
    int32_t notify = 0;
    if (!ok(env, exposure_check_notify(exchange_of(exchange), &notify))) return JNI_FALSE;
    return notify != 0 ? JNI_TRUE : JNI_FALSE;
  });
}

// org.exposure.ServerError of a finished exchange that a server refused, or null (still
// running, succeeded, or failed without an HTTP reply).
EXPOSURE_JNI(jobject, serverError)(JNIEnv* env, jclass, jlong exchange) {
  return guarded<jobject>(env, nullptr, [&]() -> jobject {
    char* text = nullptr;
    if (exposure_exchange_result_json(exchange_of(exchange), &text) != EXPOSURE_OK) return nullptr;
    nlohmann::json result = nlohmann::json::parse(text, nullptr, false);
    exposure_free_string(text);
    if (!result.contains("error")) return nullptr;
    const int http_status = result["error"].value("http_status", 0);
    if (http_status == 0) return nullptr;
    const std::string code = result["error"].value("server_code", "");
    jclass type = env->FindClass("org/exposure/ServerError");
    if (type == nullptr) return nullptr;
    jmethodID constructor = env->GetMethodID(type, "<init>", "(I[B)V");
    if (constructor == nullptr) return nullptr;
    jbyteArray code_bytes = new_bytes(env, code.data(), code.size());
    if (code_bytes == nullptr) return nullptr;
    return env->NewObject(type, constructor, static_cast<jint>(http_status), code_bytes);
  });
}

EXPOSURE_JNI(void, free)(JNIEnv*, jclass, jlong exchange) {
  exposure_exchange_free(exchange_of(exchange));
}
