// Two phones through the C ABI only, against a real exposure-server over HTTP on loopback:
// A advertises; B parses A's payloads and records sightings in its encrypted store; A tests
// positive and uploads (Google flow, then in another test the COCOA flow) with the requests
// the library builds; the server exports; B checks incrementally and is notified, with its
// reasons; a second check downloads nothing new and notifies nothing new.
//
// The transport is curl (a separate process), because this test links libexposure_c, whose
// BoringSSL must be the only libcrypto in the process.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "client/server_process.h"
#include "exposure.h"
#include "support/test_paths.h"

namespace {

using nlohmann::json;
using exposure::server_client::ServerOptions;
using exposure::server_client::ServerProcess;

constexpr int64_t kDayStart = 1773100800;  // 2026-03-10T00:00Z
constexpr int64_t kContact = kDayStart + 10 * 3600;
// The server embargoes a day's keys until the day is over: the export runs the next day.
constexpr int64_t kExport = kDayStart + 36 * 3600;
constexpr const char* kRegion = "JP";
constexpr const char* kApp = "com.example.app";

const char* kConfig = R"({"attenuationBucketThresholdDb": [55, 63, 70],
  "attenuationBucketWeights": [1.0, 1.0, 0.5, 0], "reportTypeWeights": [0, 1, 1, 1, 1, 0],
  "infectiousnessWeights": [0, 1, 1], "minimumDailyScore": 600})";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Shell single-quoting.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Reply {
  int status = 0;
  std::string body;
};

// One HTTP request through curl; status 0 when no reply came.
Reply curl(const std::string& dir, const std::string& method, const std::string& url,
           const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  const std::string body_path = dir + "/request.body", reply_path = dir + "/reply.body";
  std::filesystem::remove(reply_path);
  std::string command = "curl -s -o " + quoted(reply_path) + " -w '%{http_code}' -X " + method;
  for (const auto& [name, value] : headers) command += " -H " + quoted(name + ": " + value);
  if (method != "GET") {
    std::ofstream(body_path, std::ios::binary) << body;
    command += " --data-binary @" + quoted(body_path);
  }
  command += " " + quoted(url);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  char code[8] = {};
  size_t n = fread(code, 1, sizeof code - 1, pipe);
  pclose(pipe);
  Reply reply;
  reply.status = n > 0 ? std::atoi(code) : 0;
  reply.body = read_file(reply_path);
  return reply;
}

// Runs an exchange to its end with curl as the transport; returns the last status.
exposure_status run(const std::string& dir, const std::string& base_url, exposure_exchange* exchange,
                    std::vector<std::string>* paths = nullptr) {
  for (;;) {
    exposure_http_request request;
    int32_t done = 0;
    exposure_status status = exposure_exchange_next_request(exchange, &request, &done);
    if (status != EXPOSURE_OK || done) return status;
    std::vector<std::pair<std::string, std::string>> headers;
    for (size_t i = 0; i < request.header_count; ++i) headers.emplace_back(request.headers[i].name, request.headers[i].value);
    const std::string body(reinterpret_cast<const char*>(request.body), request.body_length);
    if (paths != nullptr) paths->push_back(request.path);
    Reply reply = curl(dir, request.method, base_url + request.path, headers, body);
    status = exposure_exchange_receive(exchange, reply.status, reinterpret_cast<const uint8_t*>(reply.body.data()),
                                       reply.body.size());
    if (status != EXPOSURE_OK) return status;
  }
}

json result_of(const exposure_exchange* exchange) {
  char* text = nullptr;
  EXPECT_EQ(exposure_exchange_result_json(exchange, &text), EXPOSURE_OK) << exposure_last_error();
  json out = json::parse(text ? text : "null");
  exposure_free_string(text);
  return out;
}

class AppRoundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/exposure-app-round-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    ServerOptions options;
    options.binary = exposure_server_binary();
    options.dir = dir_ + "/server";
    auto server = ServerProcess::create(options);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    ASSERT_TRUE(server_->set_time(kContact).ok());
    auto started = exposure::server_client::start_for_app_round(*server_, kApp, kRegion);
    ASSERT_TRUE(started.ok()) << started.status().message() << "\n" << read_file(server_->log_path());
    api_key_ = started->api_key;
    public_key_ = started->public_key;
    base_url_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  void TearDown() override {
    exposure_key_schedule_free(schedule_a_);
    exposure_store_close(store_a_);
    exposure_store_close(store_b_);
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  exposure_store* open_store(const std::string& name, int64_t now) {
    uint8_t key[EXPOSURE_STORAGE_KEY_LENGTH];
    EXPECT_EQ(exposure_generate_storage_key(key, sizeof key), EXPOSURE_OK);
    exposure_store_options options;
    exposure_store_options_init(&options);
    options.now_unix_seconds = now;
    exposure_store* store = nullptr;
    EXPECT_EQ(exposure_store_open((dir_ + "/" + name).c_str(), key, sizeof key, &options, &store), EXPOSURE_OK)
        << exposure_last_error();
    exposure_wipe(key, sizeof key);
    return store;
  }

  // A advertises for 20 minutes; B hears every payload it scans (every 5 minutes) at -50 dBm.
  void meet() {
    store_a_ = open_store("phone-a", kContact);
    store_b_ = open_store("phone-b", kContact);
    exposure_key_schedule_options options;
    exposure_key_schedule_options_init(&options);
    options.now_unix_seconds = kContact;
    ASSERT_EQ(exposure_key_schedule_new(nullptr, 0, &options, &schedule_a_), EXPOSURE_OK);
    std::vector<exposure_sighting> heard;
    for (int64_t t = kContact; t <= kContact + 20 * 60; t += 300) {
      ASSERT_EQ(exposure_key_schedule_set_time(schedule_a_, t), EXPOSURE_OK);
      exposure_advertisement ad;
      ASSERT_EQ(exposure_key_schedule_current_advertisement(schedule_a_, &ad), EXPOSURE_OK);
      exposure_sighting s{};
      ASSERT_EQ(exposure_parse_advertising_data(ad.advertising_data, sizeof ad.advertising_data, &s.beacon),
                EXPOSURE_OK);
      s.time = static_cast<uint32_t>(t);
      s.previous_scan_time = t == kContact ? 0 : static_cast<uint32_t>(t - 300);
      s.rssi = -50;
      heard.push_back(s);
    }
    exposure_ingest_report report;
    ASSERT_EQ(exposure_store_add_sightings(store_b_, heard.data(), heard.size(), &report), EXPOSURE_OK);
    EXPECT_EQ(report.stored, heard.size());
  }

  std::string issue_code() {
    Reply r = curl(dir_, "POST", base_url_ + "/api/issue", {{"X-API-Key", api_key_}, {"Content-Type", "application/json"}},
                   R"({"testType":"confirmed"})");
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).value("code", std::string());
  }

  // A's keys for upload after same-day release, at `now`.
  std::vector<exposure_tek> keys_for_upload(int64_t now) {
    EXPECT_EQ(exposure_key_schedule_set_time(schedule_a_, now), EXPOSURE_OK);
    EXPECT_EQ(exposure_key_schedule_release_current_key(schedule_a_), EXPOSURE_OK) << exposure_last_error();
    exposure_tek* keys = nullptr;
    size_t count = 0;
    EXPECT_EQ(exposure_key_schedule_keys_for_upload(schedule_a_, &keys, &count), EXPOSURE_OK);
    std::vector<exposure_tek> out(keys, keys + count);
    exposure_free_teks(keys, count);
    return out;
  }

  json upload(int32_t flow, const std::string& code, const std::vector<exposure_tek>& keys, int64_t now,
              exposure_status expected = EXPOSURE_OK) {
    exposure_upload_options options;
    exposure_upload_options_init(&options);
    options.flow = flow;
    options.code = code.c_str();
    options.app_id = kApp;
    const char* regions[] = {kRegion};
    options.regions = regions;
    options.region_count = 1;
    options.now_unix_seconds = now;
    exposure_exchange* exchange = nullptr;
    EXPECT_EQ(exposure_upload_start(store_a_, keys.data(), keys.size(), &options, &exchange), EXPOSURE_OK)
        << exposure_last_error();
    EXPECT_EQ(run(dir_, base_url_, exchange), expected) << exposure_last_error();
    json result = result_of(exchange);
    exposure_exchange_free(exchange);
    return result;
  }

  // Starts B's check at `now`.
  exposure_exchange* start_check(int64_t now) {
    exposure_store_set_time(store_b_, now);
    exposure_check_options options;
    exposure_check_options_init(&options);
    options.region = kRegion;
    exposure_public_key key{"440-v1", reinterpret_cast<const uint8_t*>(public_key_.data()), public_key_.size()};
    options.public_keys = &key;
    options.public_key_count = 1;
    options.config_json = kConfig;
    options.config_length = std::string(kConfig).size();
    options.now_unix_seconds = now;
    exposure_exchange* exchange = nullptr;
    EXPECT_EQ(exposure_check_start(store_b_, &options, &exchange), EXPOSURE_OK) << exposure_last_error();
    return exchange;
  }

  // B's check at `now`; `notify` receives the decision.
  json check(int64_t now, int32_t* notify, std::vector<std::string>* paths = nullptr) {
    exposure_exchange* exchange = start_check(now);
    EXPECT_EQ(run(dir_, base_url_, exchange, paths), EXPOSURE_OK) << exposure_last_error();
    EXPECT_EQ(exposure_check_notify(exchange, notify), EXPOSURE_OK) << exposure_last_error();
    json result = result_of(exchange);
    exposure_exchange_free(exchange);
    return result;
  }

  void export_at(int64_t now) {
    ASSERT_TRUE(server_->set_time(now).ok());
    auto exported = server_->admin({"export", "--once"});
    ASSERT_TRUE(exported.ok()) << exported.status().message() << "\n" << read_file(server_->log_path());
  }

  // The second half of every round: export, B is notified once, then nothing new.
  void expect_b_notified_once() {
    export_at(kExport);
    int32_t notify = -1;
    std::vector<std::string> paths;
    json first = check(kExport + 60, &notify, &paths);
    ASSERT_TRUE(first.contains("check")) << first.dump(2);
    EXPECT_EQ(notify, 1) << first.dump(2);
    const json& decision = first["check"]["decision"];
    EXPECT_EQ(decision["notify"], true);
    EXPECT_EQ(decision["new_days"], json::array({"2026-03-10"}));
    ASSERT_FALSE(decision["reasons"].empty());
    EXPECT_NE(decision["reasons"][0].get<std::string>().find("v2: 2026-03-10 scoreSum"), std::string::npos);
    EXPECT_EQ(first["check"]["matched_keys"].size(), 1u);
    ASSERT_GE(paths.size(), 2u);
    EXPECT_EQ(paths[0], "/exports/JP/index.txt");

    paths.clear();
    json second = check(kExport + 3600, &notify, &paths);
    EXPECT_EQ(notify, 0) << second.dump(2);
    EXPECT_EQ(second["check"]["archives_new"], json::array());
    EXPECT_EQ(paths, std::vector<std::string>{"/exports/JP/index.txt"});  // nothing downloaded
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string api_key_, public_key_, base_url_;
  exposure_key_schedule* schedule_a_ = nullptr;
  exposure_store* store_a_ = nullptr;
  exposure_store* store_b_ = nullptr;
};

TEST_F(AppRoundTest, GoogleFlowUploadNotifiesTheContactOnce) {
  meet();
  const int64_t positive = kContact + 2 * 3600;
  ASSERT_TRUE(server_->set_time(positive).ok());
  std::vector<exposure_tek> keys = keys_for_upload(positive);
  ASSERT_FALSE(keys.empty());
  json uploaded = upload(EXPOSURE_UPLOAD_GOOGLE, issue_code(), keys, positive);
  ASSERT_TRUE(uploaded.contains("upload")) << uploaded.dump(2);
  EXPECT_EQ(uploaded["upload"]["flow"], "google");
  EXPECT_EQ(uploaded["upload"]["test_type"], "confirmed");
  EXPECT_EQ(uploaded["upload"]["keys_inserted"], static_cast<int64_t>(keys.size()));
  EXPECT_EQ(uploaded["upload"]["revised"], false);

  // A second upload (e.g. likely -> confirmed) sends the stored revision token back.
  json revised = upload(EXPOSURE_UPLOAD_GOOGLE, issue_code(), keys, positive + 60);
  ASSERT_TRUE(revised.contains("upload")) << revised.dump(2);
  EXPECT_EQ(revised["upload"]["revised"], true);

  expect_b_notified_once();
}

TEST_F(AppRoundTest, CocoaFlowUploadNotifiesTheContactOnce) {
  meet();
  const int64_t positive = kContact + 2 * 3600;
  ASSERT_TRUE(server_->set_time(positive).ok());
  std::vector<exposure_tek> keys = keys_for_upload(positive);
  json uploaded = upload(EXPOSURE_UPLOAD_COCOA, issue_code(), keys, positive);
  ASSERT_TRUE(uploaded.contains("upload")) << uploaded.dump(2);
  EXPECT_EQ(uploaded["upload"]["flow"], "cocoa");
  EXPECT_EQ(uploaded["upload"]["keys_inserted"], static_cast<int64_t>(keys.size()));
  expect_b_notified_once();
}

TEST_F(AppRoundTest, RefusedCodeIsRejectedWithTheServersCodeAndStoresNothing) {
  meet();
  std::vector<exposure_tek> keys = keys_for_upload(kContact + 3600);
  json refused = upload(EXPOSURE_UPLOAD_GOOGLE, "00000000", keys, kContact + 3600, EXPOSURE_REJECTED);
  ASSERT_TRUE(refused.contains("error")) << refused.dump(2);
  EXPECT_EQ(refused["error"]["status"], "rejected");
  EXPECT_EQ(refused["error"]["http_status"].get<int>() / 100, 4);
  EXPECT_FALSE(refused["error"]["server_code"].get<std::string>().empty());
  // Nothing was recorded: a later upload is not a revision.
  json uploaded = upload(EXPOSURE_UPLOAD_GOOGLE, issue_code(), keys, kContact + 3600);
  EXPECT_EQ(uploaded["upload"]["revised"], false) << uploaded.dump(2);
}

TEST_F(AppRoundTest, ServerDownMidCheckLeavesTheCheckStateForTheNextCheck) {
  meet();
  std::vector<exposure_tek> keys = keys_for_upload(kContact + 2 * 3600);
  ASSERT_TRUE(server_->set_time(kContact + 2 * 3600).ok());
  upload(EXPOSURE_UPLOAD_GOOGLE, issue_code(), keys, kContact + 2 * 3600);
  export_at(kExport);
  // The index arrives, then the archive request gets no reply.
  exposure_exchange* exchange = start_check(kExport + 60);
  ASSERT_NE(exchange, nullptr);
  exposure_http_request request;
  int32_t done = 0;
  ASSERT_EQ(exposure_exchange_next_request(exchange, &request, &done), EXPOSURE_OK);
  Reply index = curl(dir_, "GET", base_url_ + request.path, {}, "");
  ASSERT_EQ(exposure_exchange_receive(exchange, index.status, reinterpret_cast<const uint8_t*>(index.body.data()),
                                      index.body.size()),
            EXPOSURE_OK);
  ASSERT_EQ(exposure_exchange_next_request(exchange, &request, &done), EXPOSURE_OK);
  ASSERT_EQ(done, 0);
  EXPECT_EQ(exposure_exchange_receive(exchange, 0, nullptr, 0), EXPOSURE_UNAVAILABLE);
  EXPECT_NE(std::string(exposure_last_error()).find("no reply"), std::string::npos);
  json failed = result_of(exchange);
  EXPECT_EQ(failed["error"]["status"], "unavailable");
  exposure_exchange_free(exchange);
  // The next check starts over and notifies.
  expect_b_notified_once();
}

}  // namespace
