// The token buckets of RateLimiter with a hand-driven clock: burst, refill, retry time,
// independent clients, the bound on tracked clients, and the admission function's groups.
#include "http/rate_limiter.h"

#include <gtest/gtest.h>

namespace exposure::server {
namespace {

class RateLimiterTest : public ::testing::Test {
 protected:
  std::function<int64_t()> clock() {
    return [this] { return now_ms_; };
  }
  int64_t now_ms_ = 1000000;
};

TEST_F(RateLimiterTest, BurstThenRefillAtTheRate) {
  RateLimiter limiter({2.0, 3}, 100, clock());  // 2 per second, 3 at once
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.acquire("a"), 0) << i;
  EXPECT_EQ(limiter.acquire("a"), 500);  // one token every 500 ms
  now_ms_ += 499;
  EXPECT_EQ(limiter.acquire("a"), 1);
  now_ms_ += 1;
  EXPECT_EQ(limiter.acquire("a"), 0);
  EXPECT_GT(limiter.acquire("a"), 0);
  now_ms_ += 60000;  // refills up to the burst, not beyond
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.acquire("a"), 0) << i;
  EXPECT_GT(limiter.acquire("a"), 0);
}

TEST_F(RateLimiterTest, SlowRatesGiveLongRetryTimesAndTheClockMayStepBack) {
  RateLimiter limiter({0.1, 1}, 100, clock());  // one per 10 s
  EXPECT_EQ(limiter.acquire("a"), 0);
  EXPECT_EQ(limiter.acquire("a"), 10000);
  now_ms_ -= 5000;  // a clock stepping back neither refills nor breaks the bucket
  EXPECT_EQ(limiter.acquire("a"), 10000);
  now_ms_ += 15000;
  EXPECT_EQ(limiter.acquire("a"), 0);
}

TEST_F(RateLimiterTest, ClientsHaveTheirOwnBuckets) {
  RateLimiter limiter({1.0, 1}, 100, clock());
  EXPECT_EQ(limiter.acquire("192.0.2.1"), 0);
  EXPECT_GT(limiter.acquire("192.0.2.1"), 0);
  EXPECT_EQ(limiter.acquire("192.0.2.2"), 0);
  EXPECT_EQ(limiter.acquire("2001:db8::1"), 0);
  EXPECT_EQ(limiter.tracked_clients(), 3u);
}

TEST_F(RateLimiterTest, TrackedClientsAreBoundedAndTheLeastRecentGoFirst) {
  RateLimiter limiter({1.0, 1}, 3, clock());
  for (const char* c : {"a", "b", "c"}) EXPECT_EQ(limiter.acquire(c), 0);
  EXPECT_GT(limiter.acquire("a"), 0);  // "a" is now the most recent; "b" the least
  EXPECT_EQ(limiter.acquire("d"), 0);  // evicts "b"
  EXPECT_EQ(limiter.tracked_clients(), 3u);
  EXPECT_GT(limiter.acquire("a"), 0);  // still tracked: still limited
  EXPECT_GT(limiter.acquire("c"), 0);
  EXPECT_EQ(limiter.acquire("b"), 0);  // forgotten: a fresh bucket
  for (int i = 0; i < 1000; ++i) (void)limiter.acquire("client-" + std::to_string(i));
  EXPECT_EQ(limiter.tracked_clients(), 3u);
}

TEST_F(RateLimiterTest, AdmissionLimitsOnlyTheRoutesOfEnabledGroups) {
  EXPECT_FALSE(make_rate_limit_admission({{{"upload", {"/up"}, {0, 5}}}, 10, ""}, clock()));

  RateLimitOptions options{
      {{"verification", {"/verify", "/certificate"}, {0.5, 2}}, {"upload", {"/up"}, {0, 5}}},
      10,
      "X-Real-IP"};
  auto admission = make_rate_limit_admission(options, clock());
  ASSERT_TRUE(admission);
  httplib::Request req;
  req.remote_addr = "198.51.100.7";
  EXPECT_FALSE(admission(req, "/verify"));
  EXPECT_FALSE(admission(req, "/certificate"));  // one bucket for the group
  auto refused = admission(req, "/verify");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->http_status, 429);
  EXPECT_EQ(refused->code, "rate_limited");
  EXPECT_EQ(refused->retry_after_seconds, 2);
  EXPECT_EQ(refused->message.find("198.51"), std::string::npos);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(admission(req, "/up"));     // limit off
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(admission(req, "/other"));  // in no group

  req.set_header("X-Real-IP", "203.0.113.9");  // another client behind the proxy
  EXPECT_FALSE(admission(req, "/verify"));
  now_ms_ += 2000;
  req.headers.clear();
  EXPECT_FALSE(admission(req, "/verify"));  // refilled
}

TEST(RateLimitClientTest, HeaderLastEntryOrPeerAddress) {
  httplib::Request req;
  req.remote_addr = "10.0.0.1";
  EXPECT_EQ(rate_limit_client(req, ""), "10.0.0.1");
  EXPECT_EQ(rate_limit_client(req, "X-Forwarded-For"), "10.0.0.1");
  req.set_header("X-Forwarded-For", "spoofed, 192.0.2.4 ");
  EXPECT_EQ(rate_limit_client(req, "X-Forwarded-For"), "192.0.2.4");
  EXPECT_EQ(rate_limit_client(req, ""), "10.0.0.1");
}

}  // namespace
}  // namespace exposure::server
