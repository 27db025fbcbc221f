// The whole chain in CI: a small seeded city through the real exposure-server binary over
// HTTP (Google and COCOA uploads, the real export pass, signed files downloaded and
// verified), matched and scored by the library under every platform profile.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>

#include "exposure/keyfile.h"
#include "report.h"
#include "simulation.h"
#include "support/test_paths.h"

namespace exposure::sim {
namespace {

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/exposure-simulator-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    out_dir_ = dir;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(out_dir_, ec);
  }

  // A small city: 40 devices over 3 days, 15 % test positive, apps check twice a day.
  SimulationConfig city(const std::string& risk_config, bool transmission_risk_zero) const {
    SimulationConfig c;
    c.seed = 11;
    c.population.devices = 40;
    c.population.days = 3;
    c.epidemic.positive_share = 0.15;
    c.epidemic.check_interval_hours = 12;
    c.epidemic.transmission_risk_zero = transmission_risk_zero;
    c.risk_config_paths = {std::string(exposure_test_data_dir()) + "/" + risk_config};
    c.server_binary = exposure_server_binary();
    c.out_dir = out_dir_;
    c.threads = 2;
    c.full_match_sample = 8;
    c.export_min_records = 100;  // padding kept small so the test stays fast
    return c;
  }

  static const Evaluation& find(const SimulationResult& r, const std::string& api, const std::string& platform) {
    for (const Evaluation& e : r.evaluations) {
      if (e.api == api && e.profile->name == platform) return e;
    }
    throw std::runtime_error("no evaluation " + api + " " + platform);
  }

  // Every key in the published files.
  std::vector<DiagnosisKey> published_keys(const SimulationResult& r) const {
    std::vector<DiagnosisKey> keys;
    for (const std::string& name : r.export_files) {
      auto contents = keyfile::read_export_path(r.export_dir + "/" + name);
      EXPECT_TRUE(contents.ok()) << contents.status().to_string();
      if (contents.ok()) keys.insert(keys.end(), contents->keys.begin(), contents->keys.end());
    }
    return keys;
  }

  std::string out_dir_;
};

TEST_F(ChainTest, CloseContactsAreNotifiedOnEveryPlatformWithASaneConfig) {
  auto result = run_simulation(city("sane-v2-config.json", false));
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  // Both upload paths were used and the files came back verified.
  EXPECT_GT(result->google_uploads, 0u);
  EXPECT_GT(result->cocoa_uploads, 0u);
  EXPECT_EQ(result->keys_inserted, result->keys_uploaded);
  EXPECT_FALSE(result->export_files.empty());
  EXPECT_EQ(result->cross_check_mismatches, 0u);
  for (const char* platform : {"android", "ios"}) {
    EvaluationStats s = evaluation_stats(*result, find(*result, "v2", platform));
    ASSERT_GT(s.close_contacts, 0u) << "the seeded city must have close contacts";
    EXPECT_EQ(s.true_positives, s.close_contacts) << platform;
    EXPECT_EQ(s.recall, 1.0) << platform;
    EXPECT_GT(s.delay_max_hours, 0) << platform;
  }
}

TEST_F(ChainTest, CocoaV114ConfigWithTransmissionRiskZeroNeverNotifiesOnAndroidButDoesOnIos) {
  auto result = run_simulation(city("cocoa-v1.1.4-config.json", true));
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  // The server published every key with transmission risk 0, as COCOA's did.
  auto keys = published_keys(*result);
  ASSERT_FALSE(keys.empty());
  for (const DiagnosisKey& k : keys) ASSERT_EQ(k.transmission_risk_level, 0);
  // 1. The linter, given the published metadata, says Android v1 never notifies.
  ASSERT_EQ(result->lint.size(), 1u);
  bool android_flagged = false, ios_flagged_never = false;
  for (const auto& v : result->lint[0].second["verdicts"]) {
    if (v["platform"] == "android" && v["api"] == "v1") android_flagged = v["verdict"] == "never-notifies";
    if (v["platform"] == "ios" && v["api"] == "v1") ios_flagged_never = v["verdict"] == "never-notifies";
  }
  EXPECT_TRUE(android_flagged) << result->lint[0].second.dump();
  EXPECT_FALSE(ios_flagged_never);
  // 2. Android v1 indeed notifies no one, although keys matched.
  EXPECT_GT(result->devices_with_matches, 0u);
  EvaluationStats android = evaluation_stats(*result, find(*result, "v1", "android"));
  ASSERT_GT(android.close_contacts, 0u);
  EXPECT_EQ(android.notified, 0u);
  // 3. iOS v1 notifies the close contacts. Not all of them: under this config a record needs
  // more than 15 minutes and an attenuation of at most 63 dB (above, the attenuation score 2
  // times 7 is 14 < 21), which a contact at 2 m behind a body or pocket exceeds. With this
  // seed iOS notifies 11 of 13 (0.846); the bound asserted is 0.75.
  EvaluationStats ios = evaluation_stats(*result, find(*result, "v1", "ios"));
  EXPECT_GT(ios.true_positives, 0u);
  EXPECT_GE(ios.recall, 0.75);
}

TEST_F(ChainTest, TheSameSeedGivesTheSameReport) {
  SimulationConfig config = city("sane-v2-config.json", false);
  config.population.devices = 24;
  config.population.days = 2;
  config.epidemic.positive_share = 0.3;
  auto strip = [](nlohmann::json report) {
    report.erase("measured");
    report.erase("export_dir");
    for (auto& [name, lint] : report["lint"].items()) lint.erase("keys");
    return report;
  };
  auto first = run_simulation(config);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  auto second = run_simulation(config);
  ASSERT_TRUE(second.ok()) << second.status().to_string();
  const nlohmann::json a = strip(report_json(config, *first)), b = strip(report_json(config, *second));
  ASSERT_GT(a["population"]["positives"].get<int>(), 0);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace exposure::sim
