// One storage transaction per API request, with the request's typed outcome: the body
// returns its value (committed), an ApiError refusing the request (rolled back), or the
// storage's own Status (rolled back; storage.h retries conflicts, anything else becomes
// 500 internal_error).
#pragma once

#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "http/api_error.h"
#include "storage/storage.h"

namespace exposure::server {

// Why a transaction body has no value: the request's refusal or a storage failure.
using TxFailure = std::variant<ApiError, Status>;

// What a body of api_transaction() returns.
template <typename T>
class [[nodiscard]] TxResult {
 public:
  using value_type = T;
  TxResult(T value) : v_(std::move(value)) {}             // NOLINT: implicit by design
  TxResult(ApiError refusal) : v_(std::move(refusal)) {}  // NOLINT
  // A storage failure (not Ok), passed through unchanged so conflicts are retried.
  TxResult(Status failure) : v_(std::move(failure)) {  // NOLINT
    if (std::get<Status>(v_).ok()) std::abort();       // an ok Status carries no value
  }
  TxResult(TxFailure failure) {  // NOLINT
    if (auto* refusal = std::get_if<ApiError>(&failure))
      v_ = std::move(*refusal);
    else
      v_ = std::get<Status>(std::move(failure));
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  T& operator*() { return std::get<T>(v_); }
  T* operator->() { return &std::get<T>(v_); }
  // The refusal, or nullptr (a value or a storage failure).
  ApiError* refusal() { return std::get_if<ApiError>(&v_); }
  // Why there is no value, to return from an enclosing body; only when !ok().
  TxFailure failure() && {
    if (auto* refusal = std::get_if<ApiError>(&v_)) return std::move(*refusal);
    return std::get<Status>(std::move(v_));
  }

 private:
  std::variant<T, ApiError, Status> v_;
};

// Runs `body` (TxResult<T>(Transaction&)) in one write transaction of `storage`: its value
// when it returned one and the commit succeeded, its refusal as is, or internal_failure
// naming `where` when the storage failed. The body may run more than once (storage.h), so it
// returns its results instead of accumulating them outside.
template <typename Body>
auto api_transaction(Storage& storage, std::string_view where, Body&& body)
    -> ApiResult<typename std::invoke_result_t<Body&, Transaction&>::value_type> {
  using T = typename std::invoke_result_t<Body&, Transaction&>::value_type;
  std::optional<T> value;
  std::optional<ApiError> refusal;
  Status st = storage.transaction([&](Transaction& tx) -> Status {
    value.reset();
    refusal.reset();
    TxResult<T> r = body(tx);
    if (r.ok()) {
      value = std::move(*r);
      return Status::Ok();
    }
    TxFailure failure = std::move(r).failure();
    if (auto* storage_failure = std::get_if<Status>(&failure)) return *storage_failure;
    refusal = std::get<ApiError>(std::move(failure));
    // Rolls the refused request back; not a storage conflict, so never retried.
    return Status(ErrorCode::kRejected, "request refused: " + refusal->code);
  });
  if (refusal) return std::move(*refusal);
  if (!st.ok()) return internal_failure(where, st);
  return std::move(*value);
}

}  // namespace exposure::server
