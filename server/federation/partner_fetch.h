// One download from a federation partner: a GET over HTTP or HTTPS (cpp-httplib, server
// certificates verified) with a deadline for the whole exchange and a cap on the body.
// Redirects are not followed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "exposure/bytes.h"
#include "exposure/status.h"
#include "federation/partner_config.h"

namespace exposure::server {

struct FetchOptions {
  int64_t timeout_ms = 30000;  // connect, request and the whole body (--federation-timeout)
  size_t max_bytes = size_t{64} << 20;  // larger bodies are refused
};

// Why a download failed, as counted in the federation metrics.
enum class FetchFailure {
  kNone,
  kUnreachable,  // no connection (refused, unknown host, TLS failure, reset)
  kTimeout,      // no complete reply within the timeout
  kNotFound,     // HTTP 404 or 410
  kHttpStatus,   // any other status but 200
  kTooLarge,     // the body exceeds max_bytes
};
// "unreachable", "timeout", "not_found", "http_status", "too_large" ("" for kNone).
const char* fetch_failure_name(FetchFailure failure);

struct Fetched {
  FetchFailure failure = FetchFailure::kNone;
  // Ok with the body, or one line naming the path and what happened
  // ("GET /federation/JP/index.txt: timed out after 1s").
  Status status;
  Bytes body;
};

// GETs base.origin + base.path + "/" + relative_path.
Fetched fetch_from_partner(const PartnerUrl& base, const std::string& relative_path,
                           const FetchOptions& options);

}  // namespace exposure::server
