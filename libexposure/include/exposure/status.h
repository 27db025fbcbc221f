// Errors as values. Every function that can fail on user input returns a Status or a
// Result<T>; no exception crosses a module boundary. Messages are one line and say what was
// wrong and where ("rolling_period 0 out of range 1..144 (key 3)").
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace exposure {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,     // the caller passed something out of range or malformed
  kMalformed,           // input bytes do not follow the format
  kVerificationFailed,  // a signature or MAC did not verify
  kNotFound,
  kAlreadyExists,
  kIoError,             // the file system or network failed
  kCorrupt,             // stored data failed its integrity check
  kWrongKey,            // a storage key does not open the data
  kUnsupported,         // a valid but unsupported variant (unknown algorithm, version)
  kResourceExhausted,   // a size limit was hit (zip bomb, too many records, disk full)
  kFailedPrecondition,  // the operation is not allowed in the current state
  kInternal,            // a bug or a failure of an underlying library
  kRejected,            // a server refused the request (HTTP 4xx); repeating it will not help
  kUnavailable,         // no reply, or the server failed or is busy (HTTP 429, 5xx); try later
};

// Short lowercase name of a code, e.g. "malformed".
const char* error_code_name(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "<code name>: <message>", or "ok".
  std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Status malformed(std::string m) { return {ErrorCode::kMalformed, std::move(m)}; }

// A value or the Status explaining why there is none. value() on an error aborts: check ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) std::abort();  // an ok Status carries no value
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return checked(); }
  const T& value() const& { return const_cast<Result*>(this)->checked(); }
  T&& value() && { return std::move(checked()); }
  T* operator->() { return &checked(); }
  const T* operator->() const { return &const_cast<Result*>(this)->checked(); }
  T& operator*() & { return checked(); }
  const T& operator*() const& { return const_cast<Result*>(this)->checked(); }
  T&& operator*() && { return std::move(checked()); }

 private:
  T& checked() {
    if (!ok()) std::abort();
    return std::get<T>(v_);
  }
  std::variant<T, Status> v_;
};

}  // namespace exposure

// Returns early from the enclosing function when `expr` (a Status) is an error.
#define EXPOSURE_RETURN_IF_ERROR(expr)          \
  do {                                          \
    ::exposure::Status status_ = (expr);        \
    if (!status_.ok()) return status_;          \
  } while (0)
