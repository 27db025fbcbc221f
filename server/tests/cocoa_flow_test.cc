// The COCOA-compatible path against the real binary with its in-process export worker:
// processing number (a code from /api/issue) -> PUT /api/v3/diagnosis -> export ->
// list.json -> download -> verify; idempotency keys; v2 path.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/text.h"
#include "tests/flows.h"

namespace exposure::server::testing {
namespace {

constexpr const char* kApp = "jp.go.mhlw.covid19radar";

class CocoaFlowTest : public ::testing::Test {
 protected:
  CocoaFlowTest() : server_(test_start_time()) {}
  void SetUp() override {
    api_key_ = server_.add_health_authority("Clinic");
    server_.add_app(kApp, {"440"});
    public_key_ = server_.add_signing_key("440", "v1");
    server_.start({"--export-interval", "50ms", "--public-url", "https://cdn.example/c19r/"});
    client_ = server_.client();
  }
  // Polls list.json until it names `count` files (the worker runs every 50 ms).
  nlohmann::json wait_for_list(size_t count) {
    for (int i = 0; i < 200; ++i) {
      auto r = client_->Get("/exports/440/list.json");
      if (r && r->status == 200) {
        auto list = nlohmann::json::parse(r->body, nullptr, false);
        if (list.is_array() && list.size() >= count) return list;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return nlohmann::json::array();
  }

  ServerHarness server_;
  std::string api_key_, public_key_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(CocoaFlowTest, ProcessingNumberUploadIsIdempotentAndExported) {
  const int64_t day = test_day_start();
  auto keys = daily_keys(14, server_.now());
  std::string number = issue_code(*client_, api_key_, "confirmed");
  auto body = cocoa_body(keys, number, "idem-1", kApp, {"440"});
  body["hasSymptom"] = true;
  body["onsetOfSymptomOrTestDate"] = format_iso_date(day / 86400 - 2) + "T09:30:00.000+09:00";
  auto first = put_json(*client_, "/api/v3/diagnosis", body);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["insertedExposures"], 14);

  // The same idempotency key again: the first answer, nothing stored twice (the code is
  // already consumed, so only the replay path can answer 200).
  auto replay = put_json(*client_, "/api/v3/diagnosis", body);
  ASSERT_EQ(replay.status, 200) << replay.raw;
  EXPECT_EQ(replay.body["insertedExposures"], 14);
  auto metrics = client_->Get("/metrics");
  EXPECT_NE(metrics->body.find("exposure_keys_published_total 14\n"), std::string::npos);

  // A consumed processing number with a new idempotency key is not acceptable.
  body["idempotencyKey"] = "idem-2";
  auto reused = put_json(*client_, "/api/v3/diagnosis", body);
  EXPECT_EQ(reused.status, 406) << reused.raw;
  EXPECT_EQ(reused.body["code"], "code_invalid");

  // The v2 path with COCOA's own spelling of the idempotency key.
  auto more = daily_keys(2, server_.now() - 20 * 86400 + 7 * 86400);
  auto v2 = cocoa_body(more, issue_code(*client_, api_key_, "confirmed"), "", kApp, {"440"});
  v2["idempotency_key"] = "idem-3";
  auto second = put_json(*client_, "/api/v2/diagnosis", v2);
  ASSERT_EQ(second.status, 200) << second.raw;
  EXPECT_EQ(second.body["insertedExposures"], 2);

  server_.set_time(day + 18 * 3600);
  auto list = wait_for_list(1);
  ASSERT_EQ(list.size(), 1u) << server_.server_log();
  EXPECT_EQ(list[0]["region"], "440");
  const std::string url = list[0]["url"];
  const std::string prefix = "https://cdn.example/c19r/";
  ASSERT_EQ(url.rfind(prefix, 0), 0u) << url;
  auto files = download_exports(*client_, "440", public_key_);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ("440/" + url.substr(url.rfind('/') + 1), url.substr(prefix.size()));
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    DiagnosisKey found;
    ASSERT_TRUE(contains_key(files[0].keys, keys[i].key, &found)) << i;
    EXPECT_EQ(found.report_type, ReportType::kConfirmedTest);
    EXPECT_EQ(found.days_since_onset_of_symptoms, static_cast<int32_t>(i) - 13 + 2);
  }
  for (const UploadKey& k : more) EXPECT_TRUE(contains_key(files[0].keys, k.key));
  EXPECT_FALSE(contains_key(files[0].keys, keys.back().key));  // still valid: embargoed
  metrics = client_->Get("/metrics");
  EXPECT_NE(metrics->body.find("exposure_export_files_written_total 1\n"), std::string::npos);
  EXPECT_NE(metrics->body.find("exposure_export_window_age_seconds{region=\"440\"}"), std::string::npos);
}

TEST_F(CocoaFlowTest, RequestErrors) {
  auto keys = daily_keys(2, server_.now() - 86400);
  std::string number = issue_code(*client_, api_key_, "confirmed");
  auto check = [&](nlohmann::json body, int status, const std::string& code) {
    auto r = put_json(*client_, "/api/v3/diagnosis", body);
    EXPECT_EQ(r.status, status) << r.raw;
    EXPECT_EQ(r.body.value("code", ""), code) << r.raw;
  };
  check(cocoa_body(keys, number, "", kApp, {"999"}), 400, "bad_request");        // region of no app
  check(cocoa_body(keys, number, "", "com.other", {"440"}), 401, "unknown_health_authority_id");
  auto no_platform = cocoa_body(keys, number, "", kApp, {"440"});
  no_platform.erase("platform");
  check(no_platform, 400, "bad_request");
  auto bad_onset = cocoa_body(keys, number, "", kApp, {"440"});
  bad_onset["symptomOnsetDate"] = "yesterday";
  check(bad_onset, 400, "bad_request");
  check(cocoa_body(keys, "00000000", "", kApp, {"440"}), 406, "code_not_found");
  check(cocoa_body(keys, "0000", "", kApp, {"440"}), 406, "code_invalid");
  // None of these consumed the processing number.
  auto ok = put_json(*client_, "/api/v3/diagnosis", cocoa_body(keys, number, "", kApp, {"440"}));
  EXPECT_EQ(ok.status, 200) << ok.raw;
  server_.advance(16 * 60);
  check(cocoa_body(keys, issue_code(*client_, api_key_, "confirmed"), "", kApp, {"440"}), 200, "");
  std::string expiring = issue_code(*client_, api_key_, "confirmed");
  server_.advance(16 * 60);
  check(cocoa_body(daily_keys(1, server_.now() - 86400), expiring, "", kApp, {"440"}), 406, "code_expired");
}

}  // namespace
}  // namespace exposure::server::testing
