// Every error code of Google's key server and verification server API triggered
// through the real binary, and a sweep of malformed requests: always a 4xx with a one-line
// JSON error, never a 5xx for bad input.
#include <gtest/gtest.h>

#include "common/text.h"
#include "exposure/crypto.h"
#include "tests/flows.h"

namespace exposure::server::testing {
namespace {

class ErrorCodesTest : public ::testing::Test {
 protected:
  ErrorCodesTest() : server_(test_start_time()) {}
  void SetUp() override {
    api_key_ = server_.add_health_authority("Lab");
    server_.add_app("com.example.app", {"JP"});
    server_.add_app("com.noregion.app", {});
    server_.start();
    client_ = server_.client();
  }
  // The certificate for `keys` from a fresh code of `type`, and the HMAC secret.
  std::pair<std::string, Bytes> certificate_for(const std::vector<UploadKey>& keys, const std::string& type) {
    auto verified = verify_code(*client_, issue_code(*client_, api_key_, type));
    EXPECT_EQ(verified.status, 200) << verified.raw;
    Bytes secret(32);
    crypto::random_bytes(secret);
    auto cert = request_certificate(*client_, verified.body.value("token", ""), ekeyhmac_for(keys, secret));
    EXPECT_EQ(cert.status, 200) << cert.raw;
    return {cert.body.value("certificate", ""), secret};
  }
  JsonResponse publish(const std::vector<UploadKey>& keys, const std::string& type, const std::string& token = "",
                       const std::string& app = "com.example.app") {
    auto [cert, secret] = certificate_for(keys, type);
    return post_json(*client_, "/v1/publish", publish_body(keys, cert, secret, app, token));
  }
  static void expect_error(const JsonResponse& r, int status, const std::string& code, const char* field = "code") {
    EXPECT_EQ(r.status, status) << r.raw;
    ASSERT_TRUE(r.body.is_object()) << r.raw;
    EXPECT_EQ(r.body.value(field, ""), code) << r.raw;
    EXPECT_FALSE(r.body.value("error", "").empty()) << r.raw;
    EXPECT_EQ(r.raw.find('\n'), std::string::npos);
  }
  static void expect_verification_error(const JsonResponse& r, int status, const std::string& code) {
    expect_error(r, status, code, "errorCode");
  }

  ServerHarness server_;
  std::string api_key_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ErrorCodesTest, KeyServerRequestShapeErrorsAreBadRequest) {
  auto raw = client_->Post("/v1/publish", "{not json", "application/json");
  expect_error({raw->status, nlohmann::json::parse(raw->body), raw->body}, 400, "bad_request");
  auto wrong_type = client_->Post("/v1/publish", "{}", "text/plain");
  expect_error({wrong_type->status, nlohmann::json::parse(wrong_type->body), wrong_type->body}, 415, "bad_request");
  auto huge = client_->Post("/v1/publish", std::string(70000, ' '), "application/json");
  ASSERT_TRUE(huge);
  expect_error({huge->status, nlohmann::json::parse(huge->body), huge->body}, 413, "bad_request");
  expect_error(post_json(*client_, "/v1/publish", {{"unknownField", 1}}), 400, "bad_request");

  auto now = server_.now();
  expect_error(publish({}, "confirmed"), 400, "bad_request");  // no keys
  auto many = daily_keys(14, now - 86400);
  auto more = daily_keys(14, now - 15 * 86400 + 86400 * 0);
  many.insert(many.end(), more.begin(), more.end());
  auto extra = daily_keys(3, now);
  many.insert(many.end(), extra.begin(), extra.end());
  auto too_many = publish(many, "confirmed");
  expect_error(too_many, 400, "bad_request");
  EXPECT_NE(too_many.body["error"].get<std::string>().find("too many exposure keys"), std::string::npos);

  auto overlapping = daily_keys(1, now - 86400);
  overlapping.push_back(overlapping[0]);
  crypto::random_bytes(overlapping[1].key);
  overlapping[1].start += 10;
  overlapping[1].period = 10;
  expect_error(publish(overlapping, "confirmed"), 400, "bad_request");

  auto same_start = daily_keys(1, now - 86400);
  for (uint32_t period : {10u, 20u, 30u}) {
    UploadKey k = same_start[0];
    crypto::random_bytes(k.key);
    k.period = period;
    same_start.push_back(k);
  }
  expect_error(publish(same_start, "confirmed"), 400, "bad_request");

  auto invalid = daily_keys(1, now - 86400);
  invalid[0].transmission_risk = 9;
  expect_error(publish(invalid, "confirmed"), 400, "bad_request");
}

TEST_F(ErrorCodesTest, PartialFailureStoresTheValidKeys) {
  auto keys = daily_keys(3, server_.now() - 86400);
  keys[1].period = 0;
  auto r = publish(keys, "confirmed");
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["code"], "partial_failure");
  EXPECT_EQ(r.body["insertedExposures"], 2);
  EXPECT_NE(r.body["error"].get<std::string>().find("rollingPeriod 0 out of range"), std::string::npos);
}

TEST_F(ErrorCodesTest, AppAndCertificateErrors) {
  auto keys = daily_keys(2, server_.now() - 86400);
  expect_error(publish(keys, "confirmed", "", "com.unknown.app"), 401, "unknown_health_authority_id");
  expect_error(publish(keys, "confirmed", "", "com.noregion.app"), 500, "health_authority_missing_region_config");

  auto [cert, secret] = certificate_for(keys, "confirmed");
  Bytes other(32);
  crypto::random_bytes(other);
  expect_error(post_json(*client_, "/v1/publish", publish_body(keys, cert, other, "com.example.app")), 401,
               "health_authority_verification_certificate_invalid");
  auto changed = keys;
  changed[0].transmission_risk = 5;  // not what the certificate's tekmac covers
  expect_error(post_json(*client_, "/v1/publish", publish_body(changed, cert, secret, "com.example.app")), 401,
               "health_authority_verification_certificate_invalid");
  expect_error(post_json(*client_, "/v1/publish", publish_body(keys, cert + "x", secret, "com.example.app")), 401,
               "health_authority_verification_certificate_invalid");
  // The certificate expires after 15 minutes.
  server_.advance(16 * 60);
  expect_error(post_json(*client_, "/v1/publish", publish_body(keys, cert, secret, "com.example.app")), 401,
               "health_authority_verification_certificate_invalid");
}

TEST_F(ErrorCodesTest, RevisionErrors) {
  auto keys = daily_keys(2, server_.now() - 86400);
  auto first = publish(keys, "confirmed");
  ASSERT_EQ(first.status, 200) << first.raw;
  std::string token = first.body["revisionToken"];
  expect_error(publish(keys, "likely"), 400, "missing_revision_token");
  expect_error(publish(keys, "likely", "AAAA" + token), 400, "invalid_revision_token");
  auto others = daily_keys(2, server_.now() - 3 * 86400);
  auto other_token = publish(others, "likely").body["revisionToken"].get<std::string>();
  expect_error(publish(keys, "negative", other_token), 400, "invalid_revision_token");  // keys not in that token
  expect_error(publish(keys, "likely", token), 400, "invalid_report_type_transition");  // confirmed -> likely

  auto shorter = keys;
  shorter[0].period = 100;  // same key bytes, other metadata
  expect_error(publish(shorter, "negative", token), 400, "internal_error");

  auto likely = publish(others, "confirmed", other_token);
  ASSERT_EQ(likely.status, 200) << likely.raw;
  expect_error(publish(others, "negative", likely.body["revisionToken"]), 400, "key_already_revised");
}

TEST_F(ErrorCodesTest, VerificationErrors) {
  auto raw = client_->Post("/api/verify", "[1,2]", "application/json");
  expect_verification_error({raw->status, nlohmann::json::parse(raw->body), raw->body}, 400, "unparsable_request");
  expect_verification_error(post_json(*client_, "/api/issue", {{"testType", "confirmed"}, {"color", "red"}},
                                      {{"X-API-Key", api_key_}}),
                            400, "unparsable_request");
  expect_verification_error(post_json(*client_, "/api/issue", {{"testType", "confirmed"}}), 401, "unauthorized");
  expect_verification_error(
      post_json(*client_, "/api/issue", {{"testType", "positive"}}, {{"X-API-Key", api_key_}}), 400,
      "invalid_test_type");
  expect_verification_error(post_json(*client_, "/api/issue",
                                      {{"testType", "confirmed"}, {"symptomDate", "2026-03-11"}},
                                      {{"X-API-Key", api_key_}}),
                            400, "invalid_date");
  expect_verification_error(verify_code(*client_, "12ab"), 400, "code_invalid");
  expect_verification_error(verify_code(*client_, "00000000"), 400, "code_not_found");
  expect_verification_error(verify_code(*client_, issue_code(*client_, api_key_, "confirmed"), {"bogus"}), 400,
                            "invalid_test_type");
  std::string likely = issue_code(*client_, api_key_, "likely");
  expect_verification_error(verify_code(*client_, likely, {"confirmed"}), 412, "unsupported_test_type");
  EXPECT_EQ(verify_code(*client_, likely, {"likely"}).status, 200);  // not consumed by the refusal

  std::string expiring = issue_code(*client_, api_key_, "confirmed");
  server_.advance(16 * 60);
  expect_verification_error(verify_code(*client_, expiring), 400, "code_expired");

  auto verified = verify_code(*client_, issue_code(*client_, api_key_, "confirmed"));
  ASSERT_EQ(verified.status, 200);
  std::string token = verified.body["token"];
  std::string hmac = to_base64(Bytes(32, 7));
  expect_verification_error(request_certificate(*client_, "not.a.token", hmac), 400, "token_invalid");
  expect_verification_error(request_certificate(*client_, token.substr(0, token.size() - 4) + "AAAA", hmac), 400,
                            "token_invalid");
  auto bad_body = client_->Post("/api/certificate", "{", "application/json");
  expect_verification_error({bad_body->status, nlohmann::json::parse(bad_body->body), bad_body->body}, 400,
                            "token_invalid");
  expect_verification_error(request_certificate(*client_, token, to_base64(Bytes(16, 7))), 400, "hmac_invalid");
  expect_verification_error(request_certificate(*client_, token, "***"), 400, "hmac_invalid");
  ASSERT_EQ(request_certificate(*client_, token, hmac).status, 200);
  expect_verification_error(request_certificate(*client_, token, hmac), 400, "token_expired");
  auto old = verify_code(*client_, issue_code(*client_, api_key_, "confirmed"));
  server_.advance(25 * 3600);  // the token JWT itself has expired
  expect_verification_error(request_certificate(*client_, old.body["token"], hmac), 400, "token_invalid");
}

TEST_F(ErrorCodesTest, RevokedAuthorityCannotIssue) {
  ASSERT_EQ(server_.run("ha revoke Lab").exit_code, 0);
  expect_verification_error(post_json(*client_, "/api/issue", {{"testType", "confirmed"}}, {{"X-API-Key", api_key_}}),
                            401, "unauthorized");
}

TEST_F(ErrorCodesTest, GuessingCodesHitsTheQuotaAndMaintenanceModeRefuses) {
  server_.stop();
  server_.start({"--no-export-worker", "--code-failures-per-minute", "3"});
  client_ = server_.client();
  std::string code = issue_code(*client_, api_key_, "confirmed");
  for (int i = 0; i < 3; ++i) expect_verification_error(verify_code(*client_, "1234567" + std::to_string(i)), 400, "code_not_found");
  expect_verification_error(verify_code(*client_, code), 429, "quota_exceeded");
  server_.advance(60);  // the next minute has a fresh budget
  EXPECT_EQ(verify_code(*client_, code).status, 200);

  server_.stop();
  server_.start({"--no-export-worker", "--maintenance-mode"});
  client_ = server_.client();
  expect_verification_error(verify_code(*client_, issue_code(*client_, api_key_, "confirmed")), 429,
                            "maintenance_mode");
}

TEST_F(ErrorCodesTest, StorageFailureWhileLoadingTheAppIsRetryable500) {
  Status dropped = server_.exec_sql("DROP TABLE authorized_apps");
  ASSERT_TRUE(dropped.ok()) << dropped.to_string();
  auto keys = daily_keys(1, server_.now() - 86400);
  expect_error(publish(keys, "confirmed"), 500, "unable_to_load_health_authority");
}

TEST_F(ErrorCodesTest, MalformedRequestsNeverGet5xx) {
  const std::vector<std::string> bodies = {
      "", "null", "[]", "{}", "{\"a\":}", "\"string\"", "{\"temporaryExposureKeys\":5}",
      "{\"temporaryExposureKeys\":[5]}", "{\"temporaryExposureKeys\":[{\"key\":1}]}",
      "{\"temporaryExposureKeys\":[{\"key\":\"AAAA\",\"rollingStartNumber\":1e99}]}",
      "{\"temporaryExposureKeys\":[{\"key\":\"AAAA\",\"rollingPeriod\":-1}],\"healthAuthorityID\":\"com.example.app\"}",
      "{\"code\":12345678}", "{\"accept\":\"confirmed\"}", "{\"token\":[]}", "{\"keys\":{}}",
      "{\"keys\":[{\"keyData\":\"!!\"}],\"regions\":[\"JP\"]}", "{\"symptomOnsetInterval\":\"x\"}",
      "{\"hasSymptom\":\"yes\"}", "{\"traveler\":1}", "{\"padding\":" + std::string(60, '[') + "1" +
      std::string(60, ']') + "}", "{\"a\":\"\xc3\x28\"}", "{\"verificationPayload\":\"a.b.c\",\"healthAuthorityID\":\"com.example.app\",\"temporaryExposureKeys\":[{\"key\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"rollingStartNumber\":1,\"rollingPeriod\":144}]}",
      std::string(1000, '{'), "{\"x\":1}garbage"};
  const std::vector<std::pair<std::string, std::string>> endpoints = {
      {"POST", "/v1/publish"}, {"POST", "/api/issue"}, {"POST", "/api/verify"},
      {"POST", "/api/certificate"}, {"PUT", "/api/v3/diagnosis"}, {"PUT", "/api/v2/diagnosis"}};
  int checked = 0;
  for (const auto& [method, path] : endpoints) {
    for (const std::string& body : bodies) {
      httplib::Headers headers = {{"X-API-Key", api_key_}};
      auto r = method == "POST" ? client_->Post(path.c_str(), headers, body, "application/json")
                                : client_->Put(path.c_str(), headers, body, "application/json");
      ASSERT_TRUE(r) << path << " " << body;
      EXPECT_GE(r->status, 400) << path << " " << body << " -> " << r->body;
      EXPECT_LT(r->status, 500) << path << " " << body << " -> " << r->body;
      auto json = nlohmann::json::parse(r->body, nullptr, false);
      EXPECT_TRUE(json.is_object() && (json.contains("code") || json.contains("errorCode"))) << path << " " << body;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(bodies.size() * endpoints.size()));
  auto wrong_method = client_->Get("/v1/publish");
  EXPECT_EQ(wrong_method->status, 404);
  auto health = client_->Get("/health");
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace exposure::server::testing
