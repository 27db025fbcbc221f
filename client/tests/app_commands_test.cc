// `exposure upload` and `exposure check` end to end: two device stores made with the library,
// a real exposure-server on loopback, and the `exposure` command (which runs exposure-client).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "client/app_client.h"
#include "client/server_process.h"
#include "exposure/ble.h"
#include "exposure/key_schedule.h"
#include "exposure/store.h"
#include "support/test_paths.h"

namespace exposure {
namespace {

using nlohmann::json;

constexpr int64_t kDayStart = 1773100800;  // 2026-03-10T00:00Z
constexpr int64_t kContact = kDayStart + 10 * 3600;
constexpr int64_t kPositive = kContact + 2 * 3600;
constexpr int64_t kExport = kDayStart + 36 * 3600;  // the day's keys are embargoed until it ends

struct CommandRun {
  int exit_code = -1;
  std::string out;
};

CommandRun run(const std::string& command) {
  CommandRun r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) r.out.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class AppCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/exposure-app-commands-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    server_client::ServerOptions options;
    options.binary = exposure_server_binary();
    options.dir = dir_ + "/server";
    auto server = server_client::ServerProcess::create(options);
    ASSERT_TRUE(server.ok());
    server_ = std::move(*server);
    ASSERT_TRUE(server_->set_time(kContact).ok());
    auto started = server_client::start_for_app_round(*server_, "com.example.app", "JP");
    ASSERT_TRUE(started.ok()) << started.status().message();
    api_key_ = started->api_key;
    public_key_ = "440-v1=" + started->public_key;
    url_ = "http://127.0.0.1:" + std::to_string(server_->port());
    std::ofstream(dir_ + "/config.json") << R"({"attenuationBucketThresholdDb": [55, 63, 70],
      "attenuationBucketWeights": [1.0, 1.0, 0.5, 0], "reportTypeWeights": [0, 1, 1, 1, 1, 0],
      "infectiousnessWeights": [0, 1, 1], "minimumDailyScore": 600})";
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Phone A (own key in force at the contact) and phone B (A's payloads heard for 20 min).
  void make_phones() {
    for (const char* name : {"a", "b"}) {
      StorageKey key = generate_storage_key();
      ASSERT_TRUE(write_storage_key_file(dir_ + "/" + name + ".key", key).ok());
    }
    ManualClock clock(kContact);
    StoreOptions options;
    options.clock = &clock;
    auto a = Store::open(dir_ + "/a", *read_storage_key_file(dir_ + "/a.key"), options);
    auto b = Store::open(dir_ + "/b", *read_storage_key_file(dir_ + "/b.key"), options);
    ASSERT_TRUE(a.ok() && b.ok());
    KeySchedule schedule(clock, {});
    std::vector<Sighting> heard;
    for (int64_t t = kContact; t <= kContact + 20 * 60; t += 300) {
      clock.set(t);
      Advertisement ad = schedule.current_advertisement();
      auto payload = parse_advertising_data(ad.advertising_data);
      ASSERT_TRUE(payload.ok());
      Sighting s;
      s.rpi = payload->rpi;
      s.aem = payload->aem;
      s.time = static_cast<uint32_t>(t);
      s.previous_scan_time = t == kContact ? 0 : static_cast<uint32_t>(t - 300);
      s.rssi = -50;
      heard.push_back(s);
    }
    ASSERT_TRUE((*a)->save_own_keys(schedule.history()).ok());
    ASSERT_TRUE((*b)->add_sightings(heard).ok());
  }

  std::string issue_code() {
    httplib::Client client(url_);
    auto code = app_client::issue_code(client, api_key_, {});
    EXPECT_TRUE(code.ok()) << code.status().message();
    return code.ok() ? *code : "";
  }

  std::string exposure(const std::string& args) { return std::string(exposure_cli_binary()) + " " + args; }
  std::string store_args(const char* phone, int64_t now) {
    return "--url " + url_ + " --store " + dir_ + "/" + phone + " --key-file " + dir_ + "/" + phone +
           ".key --now " + std::to_string(now);
  }
  std::string check_args(int64_t now) {
    return "check " + store_args("b", now) + " --region JP --public-key '" + public_key_ + "' --config " + dir_ +
           "/config.json";
  }

  std::string dir_, api_key_, public_key_, url_;
  std::unique_ptr<server_client::ServerProcess> server_;
};

TEST_F(AppCommandsTest, UploadThenCheckNotifiesOnceWithReasons) {
  make_phones();
  ASSERT_TRUE(server_->set_time(kPositive).ok());
  CommandRun upload = run(exposure("upload " + store_args("a", kPositive) + " --code " + issue_code() + " --release-today"));
  ASSERT_EQ(upload.exit_code, 0) << upload.out;
  json uploaded = json::parse(upload.out);
  EXPECT_EQ(uploaded["flow"], "google");
  EXPECT_EQ(uploaded["keys_inserted"], 1);

  ASSERT_TRUE(server_->set_time(kExport).ok());
  ASSERT_TRUE(server_->admin({"export", "--once"}).ok());
  CommandRun first = run(exposure(check_args(kExport + 60)));
  ASSERT_EQ(first.exit_code, 0) << first.out;
  json checked = json::parse(first.out);
  EXPECT_EQ(checked["decision"]["notify"], true) << first.out;
  EXPECT_EQ(checked["decision"]["new_days"], json::array({"2026-03-10"}));
  EXPECT_EQ(checked["matched_keys"].size(), 1u);

  CommandRun second = run(exposure(check_args(kExport + 3600)));
  ASSERT_EQ(second.exit_code, 0) << second.out;
  json again = json::parse(second.out);
  EXPECT_EQ(again["decision"]["notify"], false);
  EXPECT_EQ(again["archives_new"], json::array());
}

TEST_F(AppCommandsTest, ErrorsAreOneLineAndExitCodesSayWhose) {
  make_phones();
  CommandRun refused = run(exposure("upload " + store_args("a", kPositive) + " --code 00000000 --release-today"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(std::count(refused.out.begin(), refused.out.end(), '\n'), 1) << refused.out;
  EXPECT_NE(refused.out.find("upload: verify: HTTP 4"), std::string::npos) << refused.out;

  CommandRun no_server = run(exposure("check --url http://127.0.0.1:1 --store " + dir_ + "/b --key-file " + dir_ +
                               "/b.key --region JP --public-key '" + public_key_ + "' --config " + dir_ +
                               "/config.json"));
  EXPECT_EQ(no_server.exit_code, 1);
  EXPECT_NE(no_server.out.find("no reply from the server"), std::string::npos) << no_server.out;

  CommandRun usage = run(exposure("check --url " + url_));
  EXPECT_EQ(usage.exit_code, 2) << usage.out;
}

}  // namespace
}  // namespace exposure
