// Rate limiting through the real binary: per-client token buckets on the verification
// (/api/verify, /api/certificate) and upload (/v1/publish, COCOA) routes answer 429
// "rate_limited" with Retry-After, leave other routes and clients alone, refill with the
// server's (fake) clock, keep no client address in the log, and are off by default.
#include <gtest/gtest.h>

#include "tests/flows.h"

namespace exposure::server::testing {
namespace {

const httplib::Headers kClientA = {{"X-Real-IP", "198.51.100.17"}};
const httplib::Headers kClientB = {{"X-Real-IP", "203.0.113.40"}};

JsonResponse verify_as(httplib::Client& client, const httplib::Headers& who) {
  return post_json(client, "/api/verify", {{"code", "00000000"}}, who);
}
JsonResponse certificate_as(httplib::Client& client, const httplib::Headers& who) {
  return post_json(client, "/api/certificate", {{"token", "a.b.c"}, {"ekeyhmac", "AAAA"}}, who);
}
JsonResponse cocoa_as(httplib::Client& client, const httplib::Headers& who) {
  return put_json(client, "/api/v3/diagnosis", {{"keys", nlohmann::json::array()}}, who);
}

void expect_limited(const JsonResponse& r, const char* code_field, const std::string& retry_after,
                    const httplib::Result& raw) {
  EXPECT_EQ(r.status, 429) << r.raw;
  ASSERT_TRUE(r.body.is_object()) << r.raw;
  EXPECT_EQ(r.body.value(code_field, ""), "rate_limited") << r.raw;
  EXPECT_FALSE(r.body.value("error", "").empty()) << r.raw;
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->get_header_value("Retry-After"), retry_after);
}

class RateLimitTest : public ::testing::Test {
 protected:
  RateLimitTest() : server_(test_start_time()) {}
  void SetUp() override {
    api_key_ = server_.add_health_authority("Lab");
    server_.add_app("com.example.app", {"JP"});
  }
  ServerHarness server_;
  std::string api_key_;
};

TEST_F(RateLimitTest, LimitedGroupsAnswer429UntilTheBucketRefills) {
  server_.start({"--no-export-worker", "--verify-rate-limit", "1", "--verify-rate-burst", "3",
                 "--upload-rate-limit", "0.5", "--upload-rate-burst", "2",
                 "--rate-limit-client-header", "X-Real-IP"});
  auto client = server_.client();

  // A whole verified upload fits in the bursts (verification 2 of 3, upload 1 of 2).
  auto upload =
      google_upload(*client, api_key_, daily_keys(3, server_.now() - 86400), GoogleUpload{});
  EXPECT_EQ(upload.status, 200) << upload.raw;

  // Client A spends its verification burst on bad requests, across both routes of the group.
  EXPECT_EQ(verify_as(*client, kClientA).status, 400);
  EXPECT_EQ(certificate_as(*client, kClientA).status, 400);
  EXPECT_EQ(verify_as(*client, kClientA).status, 400);
  auto raw = client->Post("/api/verify", kClientA, R"({"code":"00000000"})", "application/json");
  expect_limited(verify_as(*client, kClientA), "errorCode", "1", raw);
  raw = client->Post("/api/certificate", kClientA, R"({"token":"a.b.c","ekeyhmac":"AAAA"})",
                     "application/json");
  expect_limited(certificate_as(*client, kClientA), "errorCode", "1", raw);

  // Other routes, other clients and chaff are not limited.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(
        post_json(*client, "/api/issue", {{"testType", "confirmed"}}, {{"X-API-Key", api_key_}})
            .status,
        200);
  }
  EXPECT_EQ(client->Get("/health")->status, 200);
  EXPECT_EQ(verify_as(*client, kClientB).status, 400);
  httplib::Headers chaff = kClientA;
  chaff.emplace("X-Chaff", "1");
  EXPECT_EQ(verify_as(*client, chaff).status, 200);

  // The bucket refills at 1 per second of the server's clock.
  server_.advance(1);
  EXPECT_EQ(verify_as(*client, kClientA).status, 400);
  EXPECT_EQ(verify_as(*client, kClientA).status, 429);

  // Upload group: 2 at once, then one per 2 s; key-server error style.
  EXPECT_EQ(cocoa_as(*client, kClientA).status, 400);
  EXPECT_EQ(post_json(*client, "/v1/publish", {{"temporaryExposureKeys", 5}}, kClientA).status,
            400);
  auto cocoa_raw = client->Put("/api/v2/diagnosis", kClientA, "{}", "application/json");
  expect_limited(cocoa_as(*client, kClientA), "code", "2", cocoa_raw);
  EXPECT_EQ(cocoa_raw->get_header_value("x-api-version"), "v1");
  EXPECT_EQ(post_json(*client, "/v1/publish", {{"temporaryExposureKeys", 5}}, kClientA).status,
            429);
  EXPECT_EQ(cocoa_as(*client, kClientB).status, 400);
  server_.advance(2);
  EXPECT_EQ(cocoa_as(*client, kClientA).status, 400);

  auto metrics = client->Get("/metrics");
  EXPECT_NE(
      metrics->body.find("exposure_http_requests_total{route=\"/api/verify\",status=\"429\"}"),
      std::string::npos);
  // Client identities are never logged.
  std::string log = server_.server_log();
  EXPECT_EQ(log.find("198.51.100"), std::string::npos) << log;
  EXPECT_EQ(log.find("203.0.113"), std::string::npos) << log;
}

TEST_F(RateLimitTest, OffByDefaultAndBadSettingsAreRefused) {
  server_.start();
  auto client = server_.client();
  for (int i = 0; i < 40; ++i) {
    auto r = verify_as(*client, kClientA);
    ASSERT_EQ(r.status, 400) << r.raw;
    auto c = cocoa_as(*client, kClientA);
    ASSERT_EQ(c.status, 400) << c.raw;
  }
  for (const std::string flags : {"--verify-rate-limit=-1", "--upload-rate-burst 0",
                                  "--rate-limit-max-clients 0", "--read-timeout 10ms"}) {
    auto r = server_.run("serve --listen 127.0.0.1:0 " + flags);
    EXPECT_EQ(r.exit_code, 2) << flags << ": " << r.err;
    EXPECT_NE(r.err.find(flags.substr(0, flags.find_first_of(" ="))), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace exposure::server::testing
