#include "jni_support.h"

#include <algorithm>

namespace exposure::jni {

void throw_exposure(JNIEnv* env, int code, const char* message) noexcept {
  jclass type = env->FindClass("org/exposure/ExposureException");
  if (type == nullptr) return;  // NoClassDefFoundError is pending
  jmethodID constructor = env->GetMethodID(type, "<init>", "(ILjava/lang/String;)V");
  if (constructor == nullptr) return;
  jstring text = env->NewStringUTF(message);
  if (text == nullptr) return;
  jobject exception = env->NewObject(type, constructor, static_cast<jint>(code), text);
  if (exception != nullptr) env->Throw(static_cast<jthrowable>(exception));
}

bool ok(JNIEnv* env, exposure_status status) noexcept {
  if (status == EXPOSURE_OK) return true;
  throw_exposure(env, status, exposure_last_error());
  return false;
}

std::vector<uint8_t> bytes(JNIEnv* env, jbyteArray array) {
  if (array == nullptr) return {};
  std::vector<uint8_t> out(static_cast<size_t>(env->GetArrayLength(array)));
  env->GetByteArrayRegion(array, 0, static_cast<jsize>(out.size()), reinterpret_cast<jbyte*>(out.data()));
  return out;
}

std::optional<std::string> utf8(JNIEnv* env, jbyteArray array) {
  if (array == nullptr) return std::nullopt;
  std::vector<uint8_t> data = bytes(env, array);
  return std::string(data.begin(), data.end());
}

std::vector<std::vector<uint8_t>> bytes_all(JNIEnv* env, jobjectArray arrays) {
  std::vector<std::vector<uint8_t>> out;
  if (arrays == nullptr) return out;
  const jsize count = env->GetArrayLength(arrays);
  for (jsize i = 0; i < count; ++i) {
    auto element = static_cast<jbyteArray>(env->GetObjectArrayElement(arrays, i));
    out.push_back(bytes(env, element));
    env->DeleteLocalRef(element);
  }
  return out;
}

jbyteArray new_bytes(JNIEnv* env, const void* data, size_t length) {
  jbyteArray array = env->NewByteArray(static_cast<jsize>(length));
  if (array != nullptr && length > 0) {
    env->SetByteArrayRegion(array, 0, static_cast<jsize>(length), static_cast<const jbyte*>(data));
  }
  return array;
}

jbyteArray take_string(JNIEnv* env, char* text) {
  std::string copy = text == nullptr ? std::string() : std::string(text);
  exposure_free_string(text);
  return new_bytes(env, copy.data(), copy.size());
}

std::vector<std::string> strings(JNIEnv* env, jobjectArray arrays) {
  std::vector<std::string> out;
  for (const auto& value : bytes_all(env, arrays)) out.emplace_back(value.begin(), value.end());
  return out;
}

void export_sources(JNIEnv* env, jobjectArray paths, jobjectArray names, jobjectArray keys,
                    bindings::ExportSources* out) {
  if (paths != nullptr) out->paths = strings(env, paths);
  std::vector<std::string> key_names = strings(env, names);
  std::vector<std::vector<uint8_t>> key_bytes = bytes_all(env, keys);
  const size_t count = std::min(key_names.size(), key_bytes.size());
  for (size_t i = 0; i < count; ++i) {
    out->add_public_key(key_names[i], std::string(key_bytes[i].begin(), key_bytes[i].end()));
  }
}

}  // namespace exposure::jni
