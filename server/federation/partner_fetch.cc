#include "federation/partner_fetch.h"

#include <httplib.h>

#include <chrono>

#include "common/text.h"

namespace exposure::server {
namespace {

using SteadyClock = std::chrono::steady_clock;

Fetched failed(FetchFailure failure, ErrorCode code, const std::string& message) {
  Fetched f;
  f.failure = failure;
  f.status = Status(code, message);
  return f;
}

}  // namespace

const char* fetch_failure_name(FetchFailure failure) {
  switch (failure) {
    case FetchFailure::kNone:
      return "";
    case FetchFailure::kUnreachable:
      return "unreachable";
    case FetchFailure::kTimeout:
      return "timeout";
    case FetchFailure::kNotFound:
      return "not_found";
    case FetchFailure::kHttpStatus:
      return "http_status";
    case FetchFailure::kTooLarge:
      return "too_large";
  }
  return "";
}

Fetched fetch_from_partner(const PartnerUrl& base, const std::string& relative_path,
                           const FetchOptions& options) {
  const std::string path = base.path + "/" + relative_path;
  const std::string what = "GET " + printable(path, 200);
  httplib::Client client(base.origin);
  const auto timeout = std::chrono::milliseconds(options.timeout_ms);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  client.set_follow_location(false);
  client.enable_server_certificate_verification(true);
  client.set_keep_alive(false);

  const SteadyClock::time_point deadline = SteadyClock::now() + timeout;
  Bytes body;
  bool too_large = false, late = false;
  int status = 0;
  auto result = client.Get(
      path, httplib::Headers{},
      [&](const httplib::Response& response) {
        // Only a 200 body is read; other statuses are reported from the headers.
        status = response.status;
        return status == 200;
      },
      [&](const char* data, size_t length) {
        if (body.size() + length > options.max_bytes) {
          too_large = true;
          return false;
        }
        if (SteadyClock::now() > deadline) {
          late = true;
          return false;
        }
        body.insert(body.end(), data, data + length);
        return true;
      });
  if (too_large) {
    return failed(FetchFailure::kTooLarge, ErrorCode::kResourceExhausted,
                  what + ": body larger than " + std::to_string(options.max_bytes) + " bytes");
  }
  const std::string timeout_text = format_duration_ms(options.timeout_ms);
  if (late)
    return failed(FetchFailure::kTimeout, ErrorCode::kUnavailable,
                  what + ": timed out after " + timeout_text);
  // A transport failure before the reply, or while its 200 body arrived (a cancelled
  // non-200 reply also ends without a result: it is reported by its status below).
  if (!result && (status == 0 || status == 200)) {
    const httplib::Error error = result.error();
    // A read that waited the whole timeout is a timeout; other read errors mean the
    // partner closed or reset the connection.
    const bool timed_out = error == httplib::Error::ConnectionTimeout ||
                           ((error == httplib::Error::Read || error == httplib::Error::Write) &&
                            SteadyClock::now() >= deadline);
    if (timed_out)
      return failed(FetchFailure::kTimeout, ErrorCode::kUnavailable,
                    what + ": timed out after " + timeout_text);
    return failed(
        FetchFailure::kUnreachable, ErrorCode::kUnavailable,
        what + ": " +
            (error == httplib::Error::Connection ? std::string("cannot connect to the partner")
                                                 : httplib::to_string(error)));
  }
  if (status == 404 || status == 410) {
    return failed(FetchFailure::kNotFound, ErrorCode::kNotFound,
                  what + ": HTTP " + std::to_string(status) + " (no such file)");
  }
  if (status != 200) {
    const ErrorCode code =
        status == 429 || status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kRejected;
    return failed(FetchFailure::kHttpStatus, code, what + ": HTTP " + std::to_string(status));
  }
  Fetched ok;
  ok.body = std::move(body);
  return ok;
}

}  // namespace exposure::server
