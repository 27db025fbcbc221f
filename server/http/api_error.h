// Errors of the HTTP APIs: an HTTP status, a machine code of the API's table
// (Google's server API, e.g. "code_expired") and a one-line message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "exposure/status.h"

namespace exposure::server {

struct ApiError {
  int http_status = 400;
  std::string code;
  std::string message;
  // When > 0, the reply carries "Retry-After: <seconds>" (429 and 503 replies).
  int64_t retry_after_seconds = 0;
};

inline ApiError api_error(int http_status, std::string code, std::string message) {
  return ApiError{http_status, std::move(code), std::move(message), 0};
}

// 500 internal_error for a failure of the server itself (storage down). Logs `where` and
// the status message (never request content) and hides both from the client.
ApiError internal_failure(std::string_view where, const Status& status);

// A value or the ApiError explaining why there is none (like Result<T>, for handlers).
template <typename T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}       // NOLINT: implicit by design
  ApiResult(ApiError error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(v_); }
  const ApiError& error() const { return std::get<ApiError>(v_); }
  T& value() { return std::get<T>(v_); }
  const T& value() const { return std::get<T>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, ApiError> v_;
};

}  // namespace exposure::server
