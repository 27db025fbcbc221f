// The upload exchange without a network: the requests it builds, how it reads each reply, and
// that the store is written only when the server accepts the keys.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "exposure/app.h"
#include "exposure/crypto.h"
#include "exposure/tekmac.h"
#include "support/temp_dir.h"

namespace exposure::app {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1773144000;

class UploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_unique<ManualClock>(kNow);
    StoreOptions options;
    options.clock = clock_.get();
    store_ = std::move(*Store::open(dir_.path(), generate_storage_key(), options));
    for (uint8_t i = 0; i < 3; ++i) {
      TemporaryExposureKey k;
      k.key_data.array().fill(static_cast<uint8_t>(0x10 + i));
      k.rolling_start_interval_number = 2955000 + i * 144u;
      keys_.push_back(k);
    }
  }
  UploadOptions google() {
    UploadOptions o;
    o.code = "12345678";
    o.now = kNow;
    return o;
  }
  static HttpResponse ok(const json& body) { return {200, body.dump()}; }

  testing::TempDir dir_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<Store> store_;
  std::vector<TemporaryExposureKey> keys_;
};

TEST_F(UploadTest, GoogleFlowSendsVerifyCertificatePublishAndRecordsTheUpload) {
  auto upload = Upload::start(*store_, keys_, google());
  ASSERT_TRUE(upload.ok()) << upload.status().message();
  Upload& u = **upload;

  const HttpRequest* verify = u.next_request();
  ASSERT_NE(verify, nullptr);
  EXPECT_EQ(verify->method, "POST");
  EXPECT_EQ(verify->path, "/api/verify");
  EXPECT_EQ(verify->body.size(), 512u);  // padded to the route's size
  EXPECT_EQ(json::parse(verify->body)["code"], "12345678");
  ASSERT_TRUE(u.receive(ok({{"token", "T"}, {"testtype", "confirmed"}})).ok());

  const HttpRequest* certificate = u.next_request();
  ASSERT_NE(certificate, nullptr);
  EXPECT_EQ(certificate->path, "/api/certificate");
  EXPECT_EQ(certificate->body.size(), 2048u);
  const std::string ekeyhmac = json::parse(certificate->body)["ekeyhmac"];
  ASSERT_TRUE(u.receive(ok({{"certificate", "C"}})).ok());

  const HttpRequest* publish = u.next_request();
  ASSERT_NE(publish, nullptr);
  EXPECT_EQ(publish->path, "/v1/publish");
  EXPECT_EQ(publish->body.size(), 8192u);
  json body = json::parse(publish->body);
  EXPECT_EQ(body["verificationPayload"], "C");
  EXPECT_FALSE(body.contains("revisionToken"));
  ASSERT_EQ(body["temporaryExposureKeys"].size(), 3u);
  // The HMAC the certificate was asked for is the one over the keys sent, under hmacKey.
  std::vector<TekmacKey> sent;
  for (const json& k : body["temporaryExposureKeys"]) {
    sent.push_back({k["key"], k["rollingStartNumber"], k["rollingPeriod"], k["transmissionRisk"]});
  }
  auto secret = from_base64(body["hmacKey"].get<std::string>());
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(to_base64(compute_tekmac(sent, *secret, true)), ekeyhmac);

  ASSERT_TRUE(u.receive(ok({{"insertedExposures", 3}, {"revisionToken", "R1"}})).ok());
  EXPECT_TRUE(u.finished());
  EXPECT_EQ(u.next_request(), nullptr);
  EXPECT_EQ(u.outcome().keys_inserted, 3);
  EXPECT_EQ(u.outcome().test_type, "confirmed");

  auto state = load_upload_state(*store_);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->revision_token, "R1");
  ASSERT_EQ(state->uploads.size(), 1u);
  EXPECT_EQ(state->uploads[0].flow, "google");
  EXPECT_EQ(state->uploads[0].keys.size(), 3u);
  EXPECT_EQ(state->uploads[0].time, kNow);

  // The next upload sends the revision token back.
  auto second = Upload::start(*store_, keys_, google());
  ASSERT_TRUE(second.ok());
  (*second)->next_request();
  ASSERT_TRUE((*second)->receive(ok({{"token", "T2"}})).ok());
  (*second)->next_request();
  ASSERT_TRUE((*second)->receive(ok({{"certificate", "C2"}})).ok());
  EXPECT_EQ(json::parse((*second)->next_request()->body)["revisionToken"], "R1");
}

TEST_F(UploadTest, RepliesMapToRejectedUnavailableAndMalformedAndStoreNothing) {
  struct Case {
    HttpResponse reply;
    ErrorCode code;
    std::string server_code;
  } cases[] = {
      {{400, R"({"errorCode":"code_invalid","error":"bad code"})"}, ErrorCode::kRejected, "code_invalid"},
      {{429, R"({"errorCode":"quota_exceeded"})"}, ErrorCode::kUnavailable, "quota_exceeded"},
      {{503, "busy"}, ErrorCode::kUnavailable, ""},
      {{0, ""}, ErrorCode::kUnavailable, ""},
      {{200, "not json"}, ErrorCode::kMalformed, ""},
      {{200, R"({"token": 5})"}, ErrorCode::kMalformed, ""},
  };
  for (const Case& c : cases) {
    auto upload = Upload::start(*store_, keys_, google());
    ASSERT_TRUE(upload.ok());
    (*upload)->next_request();
    Status status = (*upload)->receive(c.reply);
    EXPECT_EQ(status.code(), c.code) << c.reply.status << " " << c.reply.body << ": " << status.message();
    EXPECT_EQ(status.message().find('\n'), std::string::npos);
    EXPECT_EQ(status.message().rfind("verify: ", 0), 0u) << status.message();
    EXPECT_TRUE((*upload)->finished());
    EXPECT_EQ((*upload)->next_request(), nullptr);
    if (!c.server_code.empty()) {
      ASSERT_TRUE((*upload)->server_error().has_value());
      EXPECT_EQ((*upload)->server_error()->code, c.server_code);
    }
  }
  auto state = load_upload_state(*store_);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->uploads.empty());
}

TEST_F(UploadTest, CocoaFlowIsOnePutWithTheProcessingNumber) {
  UploadOptions o = google();
  o.flow = UploadFlow::kCocoa;
  o.regions = {"440"};
  auto upload = Upload::start(*store_, keys_, o);
  ASSERT_TRUE(upload.ok());
  const HttpRequest* put = (*upload)->next_request();
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(put->method, "PUT");
  EXPECT_EQ(put->path, "/api/v3/diagnosis");
  json body = json::parse(put->body);
  EXPECT_EQ(body["verificationPayload"], "12345678");
  EXPECT_EQ(body["regions"], json::array({"440"}));
  EXPECT_EQ(body["keys"][0]["reportType"], 1);
  ASSERT_TRUE((*upload)->receive(ok({{"insertedExposures", 3}})).ok());
  EXPECT_EQ(load_upload_state(*store_)->uploads.at(0).flow, "cocoa");
}

TEST_F(UploadTest, BadStartsAreInvalidArguments) {
  UploadOptions no_code = google();
  no_code.code.clear();
  EXPECT_EQ(Upload::start(*store_, keys_, no_code).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Upload::start(*store_, {}, google()).status().code(), ErrorCode::kInvalidArgument);
  UploadOptions cocoa = google();
  cocoa.flow = UploadFlow::kCocoa;
  EXPECT_EQ(Upload::start(*store_, keys_, cocoa).status().code(), ErrorCode::kInvalidArgument);
  UploadOptions risk = google();
  risk.transmission_risk = 9;
  EXPECT_EQ(Upload::start(*store_, keys_, risk).status().code(), ErrorCode::kInvalidArgument);
}

TEST(Chaff, LooksLikeTheRealRequestOfItsRoute) {
  for (auto [route, path, size] : {std::tuple{ChaffRoute::kVerify, "/api/verify", 512u},
                                   std::tuple{ChaffRoute::kCertificate, "/api/certificate", 2048u},
                                   std::tuple{ChaffRoute::kPublish, "/v1/publish", 8192u},
                                   std::tuple{ChaffRoute::kCocoa, "/api/v3/diagnosis", 8192u}}) {
    HttpRequest r = chaff_request(route);
    EXPECT_EQ(r.path, path);
    EXPECT_EQ(r.body.size(), size);
    bool marked = false;
    for (const HttpHeader& h : r.headers) marked = marked || (h.name == "X-Chaff" && h.value == "1");
    EXPECT_TRUE(marked);
  }
}

}  // namespace
}  // namespace exposure::app
