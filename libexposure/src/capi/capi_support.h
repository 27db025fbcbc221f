// The rules every C ABI entry point follows (exposure.h): errors become a status code plus the
// thread's last-error message, no exception crosses the boundary, NULL arguments are reported
// by name, and arrays handed to the caller are allocated with malloc.
#pragma once

#include <cstdlib>
#include <exception>
#include <new>
#include <string>

#include "exposure.h"
#include "exposure/interval.h"
#include "exposure/status.h"

namespace exposure::capi {

// Records `status` (an error) as this thread's last error and returns its code.
exposure_status record_error(const Status& status) noexcept;
// Clears this thread's last error (every entry point starts with it).
void clear_last_error() noexcept;
// The thread's last error message ("" when none).
const char* last_error_message() noexcept;

// Runs `body` (returning Status) under the boundary rules: clears the last error, records a
// failure, and turns any exception into EXPOSURE_RESOURCE_EXHAUSTED (out of memory) or
// EXPOSURE_INTERNAL with its text.
template <typename Body>
exposure_status guarded(Body&& body) noexcept {
  clear_last_error();
  try {
    Status status = body();
    return status.ok() ? EXPOSURE_OK : record_error(status);
  } catch (const std::bad_alloc&) {
    return record_error(Status(ErrorCode::kResourceExhausted, "out of memory"));
  } catch (const std::exception& e) {
    return record_error(Status(ErrorCode::kInternal, std::string("unexpected failure: ") + e.what()));
  } catch (...) {
    return record_error(Status(ErrorCode::kInternal, "unexpected failure"));
  }
}

// kInvalidArgument "<name> is NULL" when `pointer` is null.
Status require(const void* pointer, const char* name);
// As require, but a NULL array is fine when `count` is 0.
Status require_array(const void* pointer, size_t count, const char* name);
// kInvalidArgument "<name>: expected N bytes, got M" unless `length` == `expected`
// (and `pointer` is not NULL).
Status require_length(const void* pointer, size_t length, size_t expected, const char* name);

// A malloc'ed array of `count` zeroed elements for the caller (NULL for 0); throws
// std::bad_alloc when memory runs out. The caller frees it with an exposure_free_* function.
template <typename T>
T* allocate_array(size_t count) {
  if (count == 0) return nullptr;
  void* memory = std::calloc(count, sizeof(T));
  if (memory == nullptr) throw std::bad_alloc();
  return static_cast<T*>(memory);
}

// A malloc'ed NUL-terminated copy of `text` for the caller (freed with exposure_free_string).
char* copy_string(const std::string& text);

// The host's notion of now: a fixed time when one was given (non-zero), else the system clock.
class HostClock final : public Clock {
 public:
  explicit HostClock(int64_t fixed_unix_seconds) : fixed_(fixed_unix_seconds) {}
  void set(int64_t fixed_unix_seconds) { fixed_ = fixed_unix_seconds; }
  int64_t now_unix_seconds() const override;

 private:
  int64_t fixed_;
};

// `now_unix_seconds`, or the system clock's time when it is 0.
int64_t resolve_now(int64_t now_unix_seconds);

}  // namespace exposure::capi
