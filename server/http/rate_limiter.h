// Per-client rate limiting of the HTTP APIs: a token bucket per client and endpoint group.
//
// Privacy: a client is known only by a keyed hash (HMAC-SHA256 under a key drawn at random
// when the limiter is made, truncated to 64 bits) of its identity (the peer address, or a
// header set by a trusted proxy). The identity itself is never stored or logged; the table
// lives in memory only, is bounded (least recently seen clients are evicted first) and
// dies with the process.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "exposure/secure.h"
#include "http/api_server.h"

namespace exposure::server {

// A token bucket: `burst` requests at once, refilled at `per_second` tokens per second.
// per_second == 0 turns the limit off.
struct RateLimit {
  double per_second = 0;
  int64_t burst = 0;
  bool enabled() const { return per_second > 0; }
  friend bool operator==(const RateLimit&, const RateLimit&) = default;
};

class RateLimiter {
 public:
  // `now_ms` is a monotonic time in milliseconds (the limiter tolerates it standing still
  // or stepping back). Requires limit.enabled(), limit.burst >= 1 and max_clients >= 1.
  RateLimiter(RateLimit limit, size_t max_clients, std::function<int64_t()> now_ms);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes a token from the bucket of `client` and returns 0, or, when the bucket is empty,
  // takes nothing and returns the milliseconds until the next token (>= 1). Thread-safe.
  int64_t acquire(std::string_view client);

  // Number of clients currently tracked (at most max_clients).
  size_t tracked_clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
    std::list<uint64_t>::iterator recency;
  };
  uint64_t client_id(std::string_view client) const;

  const RateLimit limit_;
  const size_t max_clients_;
  const std::function<int64_t()> now_ms_;
  SecretArray<32> hash_key_;

  mutable std::mutex mu_;
  std::list<uint64_t> recency_;  // client ids, most recently seen first
  std::unordered_map<uint64_t, Bucket> buckets_;
};

// One limit shared by a set of routes (each client has one bucket per group).
struct RateLimitGroup {
  std::string name;                 // names the group in the error message, e.g. "verification"
  std::vector<std::string> routes;  // exact route paths, e.g. "/api/verify"
  RateLimit limit;
  friend bool operator==(const RateLimitGroup&, const RateLimitGroup&) = default;
};

struct RateLimitOptions {
  // Groups whose limit is off are ignored. The server's groups, off by default (the
  // --verify-rate-* and --upload-rate-* settings turn them on):
  std::vector<RateLimitGroup> groups = {
      {"verification", {"/api/verify", "/api/certificate"}, {0, 20}},
      {"upload", {"/v1/publish", "/api/v3/diagnosis", "/api/v2/diagnosis"}, {0, 10}}};
  size_t max_clients = 100000;  // per group
  // Header holding the client identity, set by a trusted reverse proxy (e.g. X-Real-IP;
  // for a comma-separated list such as X-Forwarded-For the last entry counts). Empty, or
  // absent from a request: the peer address of the connection.
  std::string client_header;

  // The limit of the group `name`; aborts when there is none (a bug, not input).
  RateLimit& limit_of(std::string_view name) {
    for (RateLimitGroup& g : groups) {
      if (g.name == name) return g.limit;
    }
    std::abort();
  }
  friend bool operator==(const RateLimitOptions&, const RateLimitOptions&) = default;
};

// The admission function enforcing `options` (429 "rate_limited" with retry_after_seconds
// set), or an empty function when no group has a limit.
ApiServer::Admission make_rate_limit_admission(const RateLimitOptions& options,
                                               std::function<int64_t()> now_ms);

// The identity a request is limited by under `client_header` (see RateLimitOptions).
std::string rate_limit_client(const httplib::Request& req, const std::string& client_header);

}  // namespace exposure::server
