// The config linter on COCOA v1.1.4's configuration and on sane ones.
#include "exposure/config_lint.h"

#include <gtest/gtest.h>

#include "support/test_vectors.h"

namespace exposure {
namespace {

RiskConfig load(const std::string& name) {
  auto config = load_risk_config_file(testing::data_path(name));
  EXPECT_TRUE(config.ok()) << config.status().message();
  return *config;
}

KeyMetadataSet all_trl(int trl) {
  KeyMetadataSet set;
  set.add(KeyMetadata{trl, ReportType::kConfirmedTest, std::nullopt});
  return set;
}

const PlatformLint& find(const LintReport& report, const std::string& platform, const std::string& api) {
  for (const auto& r : report.results)
    if (r.platform == platform && r.api == api) return r;
  ADD_FAILURE() << "no result for " << platform << " " << api;
  return report.results.at(0);
}

TEST(ConfigLint, CocoaNeverNotifiesOnAndroidV1) {
  auto report = lint_config(load("cocoa-v1.1.4-config.json"), all_trl(0), all_platform_profiles());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->reference_attenuation_db, 55);
  const auto& android = find(*report, "android", "v1");
  EXPECT_EQ(android.verdict, LintVerdict::kNeverNotifies);
  EXPECT_EQ(android.threshold, 21);
  ASSERT_EQ(android.reasons.size(), 2u);
  EXPECT_NE(android.reasons[1].find("highest score any contact can get is 8"), std::string::npos) << android.reasons[1];
  // iOS reads transmissionRiskScores[0] = 7 for level 0: longer contacts notify there.
  const auto& ios = find(*report, "ios", "v1");
  EXPECT_EQ(ios.verdict, LintVerdict::kReferenceContactFallsShort);
  bool mentions_twenty_minutes = false;
  for (const auto& reason : ios.reasons) mentions_twenty_minutes |= reason.find("from 20 minutes on") != std::string::npos;
  EXPECT_TRUE(mentions_twenty_minutes);
  EXPECT_FALSE(report->all_notify());
  // Had the server published level 1, Android too would reach 21 with a long enough contact.
  auto trl1 = lint_config(load("cocoa-v1.1.4-config.json"), all_trl(1), all_platform_profiles());
  EXPECT_EQ(find(*trl1, "android", "v1").verdict, LintVerdict::kReferenceContactFallsShort);
}

TEST(ConfigLint, SaneConfigsNotifyEverywhere) {
  for (const char* name : {"sane-v1-config.json", "sane-v2-config.json"}) {
    KeyMetadataSet keys = all_trl(0);
    keys.add(KeyMetadata{3, ReportType::kSelfReport, 2});
    auto report = lint_config(load(name), keys, all_platform_profiles());
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->all_notify()) << name << ": " << report->results[0].reasons[0];
    EXPECT_EQ(report->results.size(), 2u);
  }
}

TEST(ConfigLint, V2WithOnlyWeightlessKeysNeverNotifies) {
  RiskConfig config = load("sane-v2-config.json");
  KeyMetadataSet keys;
  keys.add(KeyMetadata{0, ReportType::kConfirmedTest, -10});  // infectiousness NONE in the mapping
  keys.add(KeyMetadata{0, ReportType::kRecursive, 0});        // RECURSIVE weight 0
  auto report = lint_config(config, keys, all_platform_profiles());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(find(*report, "android", "v2").verdict, LintVerdict::kNeverNotifies);
  // A far contact (65 dB at 3 m, weight 0.5): 450 < 900, though longer contacts get there.
  auto far = lint_config(config, all_trl(0), all_platform_profiles(), ReferenceContact{15, 3});
  EXPECT_EQ(far->reference_attenuation_db, 65);
  EXPECT_EQ(find(*far, "ios", "v2").verdict, LintVerdict::kReferenceContactFallsShort);
  EXPECT_EQ(find(*far, "ios", "v2").best_reference_score, 450);
}

TEST(ConfigLint, RejectsEmptyInputs) {
  EXPECT_FALSE(lint_config(RiskConfig{}, all_trl(0), all_platform_profiles()).ok());
  EXPECT_FALSE(lint_config(load("sane-v1-config.json"), KeyMetadataSet{}, all_platform_profiles()).ok());
}

}  // namespace
}  // namespace exposure

namespace exposure {
namespace {

// The worked example of docs/risk.md, through the real code.
TEST(RiskWorkedExample, ThreeScansScoredWithTheSaneConfigs) {
  constexpr EnIntervalNumber kStart = 2646000;
  constexpr uint32_t kTen = kStart * 600 + 10 * 3600;
  KeyMatch m;
  m.key.rolling_start_interval_number = kStart;
  m.key.report_type = ReportType::kConfirmedTest;
  m.key.days_since_onset_of_symptoms = 1;
  for (auto [t, a] : {std::pair<uint32_t, int>{kTen, 40}, {kTen + 300, 60}, {kTen + 600, 60}}) {
    MatchedSighting s;
    s.time = t;
    s.previous_scan_time = t - 300;
    s.attenuation_db = static_cast<uint8_t>(a);
    m.sightings.push_back(s);
  }
  m.per_scan = m.sightings;
  int64_t now = int64_t{kStart} * 600 + 3 * 86400 + 3600;
  auto v1 = score_v1(std::span<const KeyMatch>(&m, 1), *load("sane-v1-config.json").v1, android_profile(), now);
  const auto& record = v1.keys.at(0).records.at(0);
  EXPECT_EQ(record.duration_seconds, 900);
  EXPECT_EQ(record.attenuation_value, 50);
  EXPECT_EQ(record.attenuation_durations_seconds, (std::array<int, 3>{450, 450, 0}));
  EXPECT_EQ(record.full_range_score, 12);
  EXPECT_EQ(score_v1(std::span<const KeyMatch>(&m, 1), *load("cocoa-v1.1.4-config.json").v1, ios_profile(), now)
                .keys[0].records[0].full_range_score, 0);
  RiskConfig v2 = load("sane-v2-config.json");
  auto windows = build_exposure_windows(m, v2.mapping);
  auto scored = score_v2(windows, *v2.daily, ios_profile(), now, v2.minimum_daily_score);
  EXPECT_DOUBLE_EQ(scored.window_scores.at(0).weighted_duration, 1050);
  EXPECT_DOUBLE_EQ(scored.daily_summaries.at(0).total.score_sum, 1575);
  EXPECT_TRUE(scored.notifies);
}

}  // namespace
}  // namespace exposure
