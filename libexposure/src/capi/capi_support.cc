#include "capi/capi_support.h"

namespace exposure::capi {
namespace {

thread_local std::string last_error;

}  // namespace

exposure_status record_error(const Status& status) noexcept {
  try {
    last_error = status.message();
  } catch (...) {
    last_error.clear();  // out of memory while copying the message: the code still tells
  }
  return static_cast<exposure_status>(status.code());
}

void clear_last_error() noexcept { last_error.clear(); }

const char* last_error_message() noexcept { return last_error.c_str(); }

Status require(const void* pointer, const char* name) {
  if (pointer == nullptr) return invalid_argument(std::string(name) + " is NULL");
  return Status::Ok();
}

Status require_array(const void* pointer, size_t count, const char* name) {
  if (pointer == nullptr && count > 0) {
    return invalid_argument(std::string(name) + " is NULL but its count is " + std::to_string(count));
  }
  return Status::Ok();
}

Status require_length(const void* pointer, size_t length, size_t expected, const char* name) {
  EXPOSURE_RETURN_IF_ERROR(require(pointer, name));
  if (length != expected) {
    return invalid_argument(std::string(name) + ": expected " + std::to_string(expected) + " bytes, got " +
                            std::to_string(length));
  }
  return Status::Ok();
}

char* copy_string(const std::string& text) {
  char* out = allocate_array<char>(text.size() + 1);
  text.copy(out, text.size());
  return out;
}

int64_t HostClock::now_unix_seconds() const { return resolve_now(fixed_); }

int64_t resolve_now(int64_t now_unix_seconds) {
  return now_unix_seconds != 0 ? now_unix_seconds : SystemClock().now_unix_seconds();
}

}  // namespace exposure::capi
