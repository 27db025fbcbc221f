#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "common/text.h"
#include "exposure/crypto.h"

namespace exposure::server {

RateLimiter::RateLimiter(RateLimit limit, size_t max_clients, std::function<int64_t()> now_ms)
    : limit_(limit), max_clients_(std::max<size_t>(1, max_clients)), now_ms_(std::move(now_ms)) {
  crypto::random_bytes({hash_key_.data(), hash_key_.size()});
}

uint64_t RateLimiter::client_id(std::string_view client) const {
  crypto::Digest256 mac = crypto::hmac_sha256(hash_key_.view(), as_bytes(client));
  uint64_t id = 0;
  std::memcpy(&id, mac.data(), sizeof id);
  return id;
}

int64_t RateLimiter::acquire(std::string_view client) {
  const uint64_t id = client_id(client);
  const int64_t now = now_ms_();
  const double burst = static_cast<double>(limit_.burst);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(id);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) {  // the least recently seen client starts over
      buckets_.erase(recency_.back());
      recency_.pop_back();
    }
    recency_.push_front(id);
    it = buckets_.emplace(id, Bucket{burst, now, recency_.begin()}).first;
  } else {
    recency_.splice(recency_.begin(), recency_, it->second.recency);
  }
  Bucket& bucket = it->second;
  if (now > bucket.updated_ms) {
    bucket.tokens = std::min(burst, bucket.tokens + static_cast<double>(now - bucket.updated_ms) /
                                                        1000.0 * limit_.per_second);
    bucket.updated_ms = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  // (less a hair, so that 0.998 tokens at 2/s wait 1 ms, not 2 through rounding)
  double wait_ms = std::ceil((1.0 - bucket.tokens) / limit_.per_second * 1000.0 - 1e-6);
  return std::max<int64_t>(1, static_cast<int64_t>(std::min(wait_ms, 1e12)));
}

size_t RateLimiter::tracked_clients() const {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.size();
}

std::string rate_limit_client(const httplib::Request& req, const std::string& client_header) {
  if (!client_header.empty() && req.has_header(client_header)) {
    std::vector<std::string> entries = split_list(req.get_header_value(client_header), ',');
    if (!entries.empty() && !entries.back().empty()) return entries.back();
  }
  return req.remote_addr;
}

ApiServer::Admission make_rate_limit_admission(const RateLimitOptions& options,
                                               std::function<int64_t()> now_ms) {
  struct Limited {
    std::string name;
    std::vector<std::string> routes;
    std::unique_ptr<RateLimiter> limiter;
  };
  auto groups = std::make_shared<std::vector<Limited>>();
  for (const RateLimitGroup& g : options.groups) {
    if (!g.limit.enabled()) continue;
    groups->push_back(Limited{g.name, g.routes,
                              std::make_unique<RateLimiter>(g.limit, options.max_clients, now_ms)});
  }
  if (groups->empty()) return {};
  return [groups, header = options.client_header](
             const httplib::Request& req, const std::string& route) -> std::optional<ApiError> {
    for (Limited& g : *groups) {
      if (std::find(g.routes.begin(), g.routes.end(), route) == g.routes.end()) continue;
      int64_t wait_ms = g.limiter->acquire(rate_limit_client(req, header));
      if (wait_ms == 0) return std::nullopt;
      ApiError error = api_error(429, "rate_limited",
                                 "too many " + g.name + " requests from this client, retry later");
      error.retry_after_seconds = (wait_ms + 999) / 1000;
      return error;
    }
    return std::nullopt;
  };
}

}  // namespace exposure::server
