// The Google-compatible path end to end against the real binary: issue -> verify ->
// certificate -> publish -> export -> download -> verify with the library, with the clock
// moved past the embargo; revisions; distribution headers; chaff; replays.
#include <gtest/gtest.h>

#include <sstream>

#include "common/text.h"
#include "exposure/crypto.h"
#include "tests/flows.h"

namespace exposure::server::testing {
namespace {

constexpr int64_t kHour = 3600;

class GoogleFlowTest : public ::testing::Test {
 protected:
  GoogleFlowTest() : server_(test_start_time()) {}
  void SetUp() override {
    api_key_ = server_.add_health_authority("Test Lab");
    server_.add_app("com.example.app", {"JP"});
    public_key_ = server_.add_signing_key("440", "v1");
    // The first pass marks the most recent complete window as exported.
    ASSERT_EQ(server_.run("export --once").exit_code, 0);
    server_.start();
    client_ = server_.client();
  }
  int export_once() { return server_.run("export --once").exit_code; }

  ServerHarness server_;
  std::string api_key_;
  std::string public_key_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(GoogleFlowTest, UploadedKeysAreExportedSignedAfterTheEmbargo) {
  const int64_t day = test_day_start();
  auto keys = daily_keys(14, server_.now());  // 13 expired keys and today's, still valid
  GoogleUpload upload;
  upload.symptom_date = format_iso_date(day / 86400 - 3);
  auto published = google_upload(*client_, api_key_, keys, upload);
  ASSERT_EQ(published.status, 200) << published.raw;
  EXPECT_EQ(published.body["insertedExposures"], 14);
  EXPECT_FALSE(published.body.contains("code"));
  EXPECT_GE(published.body["revisionToken"].get<std::string>().size(), 900u);
  EXPECT_GE(published.body["padding"].get<std::string>().size(), 1024u);

  // 17:59: the window of the upload hour [15:00, 16:00) is not due before 18:00.
  server_.set_time(day + 17 * kHour + 59 * 60);
  ASSERT_EQ(export_once(), 0);
  auto index = client_->Get("/exports/JP/index.txt");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->body, "");

  server_.set_time(day + 18 * kHour);
  ASSERT_EQ(export_once(), 0);
  auto files = download_exports(*client_, "JP", public_key_);
  ASSERT_EQ(files.size(), 1u);
  const auto& file = files[0];
  EXPECT_EQ(file.metadata.region, "JP");
  EXPECT_EQ(file.metadata.start_timestamp, static_cast<uint64_t>(day + 15 * kHour));
  EXPECT_EQ(file.metadata.end_timestamp, static_cast<uint64_t>(day + 16 * kHour));
  EXPECT_GE(file.keys.size(), 1000u);  // padded
  EXPECT_LE(file.keys.size(), 1100u);
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    DiagnosisKey found;
    ASSERT_TRUE(contains_key(file.keys, keys[i].key, &found)) << "key " << i;
    EXPECT_EQ(found.rolling_start_interval_number, keys[i].start);
    EXPECT_EQ(found.report_type, ReportType::kConfirmedTest);
    EXPECT_EQ(found.transmission_risk_level, 2);
    EXPECT_EQ(found.days_since_onset_of_symptoms, static_cast<int32_t>(i) - 13 + 3);
  }
  EXPECT_FALSE(contains_key(file.keys, keys.back().key)) << "a still-valid key was exported before expiry";

  // Today's key expires at midnight; it is in the [01:00, 02:00) window, due at 04:00.
  server_.set_time(day + 86400 + 3 * kHour + 59 * 60);
  ASSERT_EQ(export_once(), 0);
  EXPECT_EQ(download_exports(*client_, "JP", public_key_).size(), 1u);
  server_.set_time(day + 86400 + 4 * kHour);
  ASSERT_EQ(export_once(), 0);
  files = download_exports(*client_, "JP", public_key_);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1].metadata.start_timestamp, static_cast<uint64_t>(day + 86400 + kHour));
  DiagnosisKey today;
  ASSERT_TRUE(contains_key(files[1].keys, keys.back().key, &today));
  EXPECT_EQ(today.days_since_onset_of_symptoms, 3);

  // list.json: the COCOA form of the same files.
  auto list = client_->Get("/exports/JP/list.json");
  ASSERT_TRUE(list && list->status == 200);
  auto json = nlohmann::json::parse(list->body);
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["region"], "JP");
  EXPECT_EQ(json[0]["url"].get<std::string>().rfind("http://127.0.0.1:8080/exports/JP/", 0), 0u);
  EXPECT_GT(json[0]["created"].get<int64_t>(), int64_t{1000} * day);

  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("exposure_keys_published_total 14"), std::string::npos);
  EXPECT_NE(metrics->body.find("exposure_http_requests_total{route=\"/v1/publish\",status=\"200\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics->body.find("exposure_newest_export_age_seconds{region=\"JP\"}"), std::string::npos);
  EXPECT_NE(metrics->body.find("exposure_export_files_indexed{region=\"JP\"} 2"), std::string::npos);
}

TEST_F(GoogleFlowTest, RevisionWithTokenIsExportedAsRevisedKeys) {
  auto keys = daily_keys(3, server_.now() - 86400);  // all expired
  GoogleUpload likely;
  likely.test_type = "likely";
  auto first = google_upload(*client_, api_key_, keys, likely);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["insertedExposures"], 3);
  std::string token = first.body["revisionToken"];

  // Without the token the same keys are refused; with it they are revised.
  GoogleUpload confirmed;
  auto no_token = google_upload(*client_, api_key_, keys, confirmed);
  EXPECT_EQ(no_token.status, 400);
  EXPECT_EQ(no_token.body["code"], "missing_revision_token");
  server_.advance(kHour);
  confirmed.revision_token = token;
  auto revised = google_upload(*client_, api_key_, keys, confirmed);
  ASSERT_EQ(revised.status, 200) << revised.raw;
  EXPECT_FALSE(revised.body.contains("insertedExposures"));  // revisions are not counted

  // Once revised, a key cannot be revised again.
  GoogleUpload negative;
  negative.test_type = "negative";
  negative.revision_token = revised.body["revisionToken"];
  auto again = google_upload(*client_, api_key_, keys, negative);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body["code"], "key_already_revised");

  server_.advance(3 * kHour);
  ASSERT_EQ(export_once(), 0);
  auto files = download_exports(*client_, "JP", public_key_);
  ASSERT_EQ(files.size(), 2u);
  DiagnosisKey original, revision;
  ASSERT_TRUE(contains_key(files[0].keys, keys[0].key, &original));
  EXPECT_EQ(original.report_type, ReportType::kConfirmedClinicalDiagnosis);
  EXPECT_EQ(original.transmission_risk_level, 4);
  ASSERT_TRUE(contains_key(files[1].revised_keys, keys[0].key, &revision));
  EXPECT_EQ(revision.report_type, ReportType::kConfirmedTest);
  EXPECT_EQ(revision.transmission_risk_level, 4);  // the original risk is written
  EXPECT_EQ(files[1].revised_keys.size(), 3u);     // revised keys are never padded
}

TEST_F(GoogleFlowTest, DistributionServesEtagsRangesAndCacheHeaders) {
  auto keys = daily_keys(2, server_.now() - 86400);
  ASSERT_EQ(google_upload(*client_, api_key_, keys, GoogleUpload{}).status, 200);
  server_.advance(3 * kHour);
  ASSERT_EQ(export_once(), 0);
  auto index = client_->Get("/exports/JP/index.txt");
  ASSERT_TRUE(index && index->status == 200);
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache, max-age=0");
  const std::string path = "/exports/" + index->body;
  auto file = client_->Get(path.c_str());
  ASSERT_TRUE(file && file->status == 200);
  EXPECT_EQ(file->get_header_value("Content-Type"), "application/zip");
  EXPECT_EQ(file->get_header_value("Cache-Control"), "public, max-age=86400");
  EXPECT_EQ(file->get_header_value("Content-Length"), std::to_string(file->body.size()));
  const std::string etag = file->get_header_value("ETag");
  ASSERT_EQ(etag.size(), 34u);

  auto not_modified = client_->Get(path.c_str(), {{"If-None-Match", etag}});
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->status, 304);
  EXPECT_TRUE(not_modified->body.empty());
  auto modified = client_->Get(path.c_str(), {{"If-None-Match", "\"other\""}});
  EXPECT_EQ(modified->status, 200);

  auto part = client_->Get(path.c_str(), {{"Range", "bytes=10-29"}});
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body, file->body.substr(10, 20));
  EXPECT_EQ(part->get_header_value("Content-Range"), "bytes 10-29/" + std::to_string(file->body.size()));
  auto tail = client_->Get(path.c_str(), {{"Range", "bytes=-5"}});
  EXPECT_EQ(tail->body, file->body.substr(file->body.size() - 5));
  auto beyond = client_->Get(path.c_str(), {{"Range", "bytes=99999999-"}});
  EXPECT_EQ(beyond->status, 416);
  EXPECT_EQ(beyond->get_header_value("Content-Range"), "bytes */" + std::to_string(file->body.size()));
  auto head = client_->Head(path.c_str());
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->get_header_value("Content-Length"), std::to_string(file->body.size()));

  for (const char* missing : {"/exports/JP/1-2-00001.zip", "/exports/JP/.tmp-x", "/exports/JP/../secret",
                              "/exports/XX/index.txt", "/exports/JP/other.txt"}) {
    auto r = client_->Get(missing);
    ASSERT_TRUE(r) << missing;
    EXPECT_EQ(r->status, 404) << missing;
    EXPECT_TRUE(nlohmann::json::parse(r->body, nullptr, false).contains("code")) << missing;
  }
  // A Range header on a JSON endpoint changes nothing.
  auto health = client_->Get("/health", {{"Range", "bytes=5000-"}});
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(nlohmann::json::parse(health->body)["status"], "ok");
}

TEST_F(GoogleFlowTest, ChaffRequestsGetSuccessShapedRepliesAndChangeNothing) {
  auto keys = daily_keys(2, server_.now() - 86400);
  std::string code = issue_code(*client_, api_key_, "confirmed");
  httplib::Headers chaff = {{"X-Chaff", "1"}};

  auto fake_issue = post_json(*client_, "/api/issue", {{"testType", "confirmed"}}, chaff);
  EXPECT_EQ(fake_issue.status, 200);
  EXPECT_EQ(fake_issue.body["code"].get<std::string>().size(), 8u);
  auto fake_verify = post_json(*client_, "/api/verify", {{"code", code}}, chaff);
  EXPECT_EQ(fake_verify.status, 200);
  EXPECT_TRUE(fake_verify.body.contains("token"));
  EXPECT_TRUE(fake_verify.body.contains("testtype"));
  // The chaff did not consume the code.
  auto real_verify = verify_code(*client_, code);
  ASSERT_EQ(real_verify.status, 200) << real_verify.raw;
  Bytes secret(32);
  crypto::random_bytes(secret);
  auto fake_cert = post_json(*client_, "/api/certificate",
                             {{"token", real_verify.body["token"]}, {"ekeyhmac", ekeyhmac_for(keys, secret)}}, chaff);
  EXPECT_EQ(fake_cert.status, 200);
  EXPECT_TRUE(fake_cert.body.contains("certificate"));
  auto cert = request_certificate(*client_, real_verify.body["token"], ekeyhmac_for(keys, secret));
  ASSERT_EQ(cert.status, 200) << cert.raw;
  auto body = publish_body(keys, cert.body["certificate"], secret, "com.example.app");
  auto fake_publish = post_json(*client_, "/v1/publish", body, chaff);
  EXPECT_EQ(fake_publish.status, 200);
  EXPECT_TRUE(fake_publish.body.contains("revisionToken"));
  EXPECT_EQ(fake_publish.body["insertedExposures"], 14);
  // Chaff bodies need not even be valid.
  EXPECT_EQ(post_json(*client_, "/v1/publish", {{"garbage", true}}, chaff).status, 200);
  EXPECT_EQ(put_json(*client_, "/api/v3/diagnosis", nlohmann::json::object(), chaff).status, 200);

  auto real_publish = post_json(*client_, "/v1/publish", body);
  ASSERT_EQ(real_publish.status, 200) << real_publish.raw;
  EXPECT_EQ(real_publish.body["insertedExposures"], 2);  // nothing was stored by the chaff
  auto metrics = client_->Get("/metrics");
  EXPECT_NE(metrics->body.find("exposure_keys_published_total 2\n"), std::string::npos);
}

TEST_F(GoogleFlowTest, CodesAndTokensAreSingleUse) {
  std::string code = issue_code(*client_, api_key_, "confirmed");
  auto first = verify_code(*client_, code);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.body["testtype"], "confirmed");
  auto replay = verify_code(*client_, code);
  EXPECT_EQ(replay.status, 400);
  EXPECT_EQ(replay.body["errorCode"], "code_invalid");

  Bytes secret(32);
  crypto::random_bytes(secret);
  auto keys = daily_keys(1, server_.now() - 86400);
  auto cert = request_certificate(*client_, first.body["token"], ekeyhmac_for(keys, secret));
  ASSERT_EQ(cert.status, 200);
  auto replayed_token = request_certificate(*client_, first.body["token"], ekeyhmac_for(keys, secret));
  EXPECT_EQ(replayed_token.status, 400);
  EXPECT_EQ(replayed_token.body["errorCode"], "token_expired");
}

TEST_F(GoogleFlowTest, ReexportingAWindowGivesTheSameKeysSignedByEveryActiveKey) {
  const std::string second_key = server_.add_signing_key("440", "v2");
  auto keys = daily_keys(3, server_.now() - 86400);
  ASSERT_EQ(google_upload(*client_, api_key_, keys, GoogleUpload{}).status, 200);
  server_.advance(3 * kHour);
  ASSERT_EQ(export_once(), 0);
  auto first = download_exports(*client_, "JP", public_key_);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_GE(first[0].keys.size(), 1000u);  // padded
  // Both active keys sign, newest first; each verifies the file on its own.
  ASSERT_EQ(first[0].signatures.size(), 2u);
  EXPECT_EQ(first[0].signatures[0].info.key_version, "v2");
  ASSERT_EQ(download_exports(*client_, "JP", second_key).size(), 1u);

  // Forget that the window was exported: the re-run builds it with the same padding.
  Status forgot =
      server_.exec_sql("UPDATE export_state SET last_end = " + std::to_string(first[0].metadata.start_timestamp));
  ASSERT_TRUE(forgot.ok()) << forgot.to_string();
  ASSERT_EQ(export_once(), 0);
  auto again = download_exports(*client_, "JP", public_key_);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].keys, first[0].keys);
  EXPECT_EQ(again[0].metadata, first[0].metadata);
}

TEST_F(GoogleFlowTest, CleanupDeletesKeysAndFilesPastRetention) {
  auto keys = daily_keys(2, server_.now() - 86400);
  ASSERT_EQ(google_upload(*client_, api_key_, keys, GoogleUpload{}).status, 200);
  server_.advance(3 * kHour);
  ASSERT_EQ(export_once(), 0);
  auto index = client_->Get("/exports/JP/index.txt");
  ASSERT_TRUE(index && !index->body.empty());
  const std::string old_file = "/exports/" + index->body;
  ASSERT_EQ(client_->Get(old_file.c_str())->status, 200);

  // Two weeks later (the default retention) the file is unlisted and deleted, and the keys
  // are gone: uploading them again needs no revision token.
  server_.advance(14 * 86400);
  ASSERT_EQ(export_once(), 0);
  EXPECT_EQ(client_->Get("/exports/JP/index.txt")->body, "");
  EXPECT_EQ(client_->Get(old_file.c_str())->status, 404);
  EXPECT_EQ(client_->Get("/exports/JP/list.json")->body, "[]");
  auto fresh = daily_keys(1, server_.now() - 86400);
  fresh.front().key = keys.back().key;
  auto again = google_upload(*client_, api_key_, fresh, GoogleUpload{});
  EXPECT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body["insertedExposures"], 1);
}

TEST_F(GoogleFlowTest, LogsHoldNoAddressesKeysCodesOrTokens) {
  server_.stop();
  server_.start({"--no-export-worker", "--access-log"});
  client_ = server_.client();
  auto keys = daily_keys(3, server_.now() - 86400);
  std::string code = issue_code(*client_, api_key_, "confirmed");
  auto verified = verify_code(*client_, code);
  ASSERT_EQ(verified.status, 200);
  EXPECT_EQ(verify_code(*client_, code).status, 400);
  ASSERT_EQ(google_upload(*client_, api_key_, keys, GoogleUpload{}).status, 200);
  ASSERT_EQ(post_json(*client_, "/v1/publish", {{"bad", 1}}, {{"User-Agent", "TestPhone/1.0"}}).status, 400);
  server_.stop();
  const std::string log = server_.server_log();
  EXPECT_NE(log.find("http POST /v1/publish 200"), std::string::npos) << log;
  for (const std::string& secret : {api_key_, code, verified.body["token"].get<std::string>(), to_base64(keys[0].key),
                                    to_hex(keys[0].key), std::string("TestPhone"), std::string("User-Agent")}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "log holds " << secret;
  }
  // The only address in the log is the server's own listening address.
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("127.0.0.1") != std::string::npos) {
      EXPECT_NE(line.find("serving on 127.0.0.1:"), std::string::npos) << line;
    }
  }
}

TEST_F(GoogleFlowTest, RestartKeepsStateAndHealthAnswers) {
  auto keys = daily_keys(2, server_.now() - 86400);
  auto first = google_upload(*client_, api_key_, keys, GoogleUpload{});
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(server_.stop(), 0);  // SIGTERM: clean exit
  server_.start();
  client_ = server_.client();
  auto health = client_->Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  // The same keys are known after the restart (the JWT keys persisted too: a fresh flow works).
  auto again = google_upload(*client_, api_key_, keys, GoogleUpload{});
  EXPECT_EQ(again.body["code"], "missing_revision_token");
}

}  // namespace
}  // namespace exposure::server::testing
