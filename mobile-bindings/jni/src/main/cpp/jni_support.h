// Helpers of the JNI glue: native errors become org.exposure.ExposureException, C++ failures
// never reach the JVM, and Java byte arrays (UTF-8 strings, records) convert to C data.
#pragma once

#include <jni.h>

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "exposure.h"
#include "requests.h"

namespace exposure::jni {

// Throws org.exposure.ExposureException(code, message) in the JVM.
void throw_exposure(JNIEnv* env, int code, const char* message) noexcept;
inline void throw_exposure(JNIEnv* env, int code, const std::string& message) {
  throw_exposure(env, code, message.c_str());
}

// True for EXPOSURE_OK; otherwise throws the exception carrying exposure_last_error().
bool ok(JNIEnv* env, exposure_status status) noexcept;

// Runs `body` and returns its value; a C++ exception becomes a Java exception (out of memory:
// OutOfMemoryError; anything else: an INTERNAL ExposureException) and `fallback` is returned.
template <typename T, typename Body>
T guarded(JNIEnv* env, T fallback, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    if (!env->ExceptionCheck()) env->ThrowNew(env->FindClass("java/lang/OutOfMemoryError"), "exposure JNI");
  } catch (const std::exception& e) {
    if (!env->ExceptionCheck()) throw_exposure(env, EXPOSURE_INTERNAL, e.what());
  } catch (...) {
    if (!env->ExceptionCheck()) throw_exposure(env, EXPOSURE_INTERNAL, "unexpected failure in the JNI glue");
  }
  return fallback;
}

// The contents of a byte array (empty for null).
std::vector<uint8_t> bytes(JNIEnv* env, jbyteArray array);
// A UTF-8 byte array as a string; std::nullopt for null.
std::optional<std::string> utf8(JNIEnv* env, jbyteArray array);
// Every element of a byte[][] (a null element becomes empty).
std::vector<std::vector<uint8_t>> bytes_all(JNIEnv* env, jobjectArray arrays);

// A new Java byte array holding data[0..length); nullptr with a pending OutOfMemoryError.
jbyteArray new_bytes(JNIEnv* env, const void* data, size_t length);
inline jbyteArray new_bytes(JNIEnv* env, const std::vector<uint8_t>& data) {
  return new_bytes(env, data.data(), data.size());
}
// A library string as a UTF-8 byte array; frees `text`.
jbyteArray take_string(JNIEnv* env, char* text);

// Every element of a byte[][] of UTF-8 strings (a null element becomes empty).
std::vector<std::string> strings(JNIEnv* env, jobjectArray arrays);

// Export paths (UTF-8 byte[][]) and public keys (names and keys as byte[][]).
void export_sources(JNIEnv* env, jobjectArray paths, jobjectArray names, jobjectArray keys,
                    bindings::ExportSources* out);

// Wipes the glue's own copy of key material (exposure_wipe cannot be optimised away).
template <typename T>
void wipe(std::vector<T>& values) {
  exposure_wipe(values.data(), values.size() * sizeof(T));
}

template <typename Handle>
Handle* handle(jlong value) {
  return reinterpret_cast<Handle*>(static_cast<intptr_t>(value));
}
template <typename Handle>
jlong to_jlong(Handle* handle) {
  return static_cast<jlong>(reinterpret_cast<intptr_t>(handle));
}

}  // namespace exposure::jni
