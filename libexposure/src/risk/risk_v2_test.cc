// v2 scoring: window scores and daily summaries (docs/risk.md).
#include <gtest/gtest.h>

#include "exposure/risk.h"

namespace exposure {
namespace {

constexpr uint32_t kDay = 18400;
constexpr int64_t kNow = int64_t{kDay} * 86400 + 43200;

ExposureWindow window(uint32_t day, std::vector<ScanInstance> scans, ReportType type = ReportType::kConfirmedTest,
                      Infectiousness inf = Infectiousness::kStandard) {
  ExposureWindow w;
  w.start_time = day * 86400 + 3600;
  w.report_type = type;
  w.infectiousness = inf;
  w.scan_instances = std::move(scans);
  return w;
}

DailySummariesConfig config() {
  DailySummariesConfig c;
  c.attenuation_bucket_threshold_db = {50, 60, 70};
  c.attenuation_bucket_weights = {2.0, 1.0, 0.5, 0};
  c.report_type_weights = {0, 1.0, 1.0, 0.5, 1.0, 0};
  c.infectiousness_weights = {0, 1.0, 2.0};
  return c;
}

TEST(RiskV2, BucketsHaveInclusiveUpperBounds) {
  auto c = config();
  EXPECT_EQ(attenuation_bucket(c, 50), AttenuationBucket::kImmediate);
  EXPECT_EQ(attenuation_bucket(c, 51), AttenuationBucket::kNear);
  EXPECT_EQ(attenuation_bucket(c, 70), AttenuationBucket::kMedium);
  EXPECT_EQ(attenuation_bucket(c, 71), AttenuationBucket::kOther);
}

TEST(RiskV2, WindowScoresAndDailySums) {
  std::vector<ExposureWindow> windows{
      window(kDay, {{45, 40, 300}, {55, 50, 300}, {75, 70, 120}}),                       // 600+300+0 = 900
      window(kDay, {{65, 60, 300}}, ReportType::kSelfReport, Infectiousness::kHigh),     // 150*0.5*2 = 150
      window(kDay - 1, {{45, 45, 60}}, ReportType::kRevoked),                            // left out
  };
  auto r = score_v2(windows, config(), android_profile(), kNow);
  ASSERT_EQ(r.window_scores.size(), 3u);
  EXPECT_DOUBLE_EQ(r.window_scores[0].weighted_duration, 900);
  EXPECT_DOUBLE_EQ(r.window_scores[0].score, 900);
  EXPECT_DOUBLE_EQ(r.window_scores[1].weighted_duration, 150);
  EXPECT_DOUBLE_EQ(r.window_scores[1].score, 150);
  EXPECT_FALSE(r.window_scores[2].considered);
  ASSERT_EQ(r.daily_summaries.size(), 1u);
  const auto& day = r.daily_summaries[0];
  EXPECT_EQ(day.days_since_epoch, kDay);
  EXPECT_DOUBLE_EQ(day.by_report_type[1].score_sum, 900);
  EXPECT_DOUBLE_EQ(day.by_report_type[3].maximum_score, 150);
  EXPECT_DOUBLE_EQ(day.total.maximum_score, 900);
  EXPECT_DOUBLE_EQ(day.total.score_sum, 1050);
  EXPECT_DOUBLE_EQ(day.total.weighted_duration_sum, 1050);
  EXPECT_TRUE(r.notifies);
  EXPECT_FALSE(score_v2(windows, config(), ios_profile(), kNow, 2000.0).notifies);
}

TEST(RiskV2, MinimumWindowScoreDropsTheWholeWindowButKeepsTheDay) {
  auto c = config();
  c.minimum_window_score = 1000;
  std::vector<ExposureWindow> windows{window(kDay, {{45, 40, 300}})};
  auto r = score_v2(windows, c, android_profile(), kNow);
  EXPECT_FALSE(r.window_scores[0].counted);
  ASSERT_EQ(r.daily_summaries.size(), 1u);
  EXPECT_EQ(r.daily_summaries[0].total, ExposureSummaryData{});
  EXPECT_FALSE(r.notifies);
}

TEST(RiskV2, AgeThresholdAndInfectiousnessNone) {
  auto c = config();
  c.days_since_exposure_threshold = 3;
  std::vector<ExposureWindow> windows{window(kDay - 3, {{45, 40, 300}}), window(kDay - 4, {{45, 40, 300}}),
                                      window(kDay, {{45, 40, 300}}, ReportType::kConfirmedTest, Infectiousness::kNone)};
  auto r = score_v2(windows, c, android_profile(), kNow);
  EXPECT_TRUE(r.window_scores[0].considered);
  EXPECT_FALSE(r.window_scores[1].considered);
  EXPECT_FALSE(r.window_scores[2].considered);
  ASSERT_EQ(r.daily_summaries.size(), 1u);
  EXPECT_EQ(r.daily_summaries[0].days_since_epoch, kDay - 3);
}

// Worked example (docs/risk.md, "Where we differ from the platforms, and why"): a STANDARD
// window yesterday and a NONE window today, each one scan of 300 s at 45 dB (IMMEDIATE,
// weight 2: weighted duration 600), minimumWindowScore 0. GMS's released summary code keeps
// the NONE window; Google's DiagnosisKeysDataMapping documentation drops it, and so do we.
TEST(RiskV2, WindowsOfInfectiousnessNoneMakeNoDailySummary) {
  std::vector<ExposureWindow> windows{
      window(kDay - 1, {{45, 40, 300}}),
      window(kDay, {{45, 40, 300}}, ReportType::kConfirmedTest, Infectiousness::kNone),
  };
  for (double none_weight : {1.0, 0.0}) {
    auto c = config();
    c.infectiousness_weights[static_cast<size_t>(Infectiousness::kNone)] = none_weight;
    // GMS's code would add today: scoreSum 600 (weight 1) or 0 (weight 0), with a weighted
    // duration of 600 either way; with weight 1 today alone would reach a threshold of 600.
    for (const PlatformProfile& p : all_platform_profiles()) {
      auto r = score_v2(windows, c, p, kNow, 600.0);
      EXPECT_FALSE(r.window_scores[1].considered) << p.name << " " << none_weight;
      EXPECT_DOUBLE_EQ(r.window_scores[1].score, 0) << p.name << " " << none_weight;
      ASSERT_EQ(r.daily_summaries.size(), 1u) << p.name << " " << none_weight;
      EXPECT_EQ(r.daily_summaries[0].days_since_epoch, kDay - 1);
      EXPECT_DOUBLE_EQ(r.daily_summaries[0].total.score_sum, 600);
      EXPECT_DOUBLE_EQ(r.daily_summaries[0].total.weighted_duration_sum, 600);
      EXPECT_TRUE(r.notifies);  // yesterday's 600 reaches it
      auto today_only = score_v2(std::span(windows).subspan(1), c, p, kNow, 600.0);
      EXPECT_TRUE(today_only.daily_summaries.empty()) << p.name << " " << none_weight;
      EXPECT_FALSE(today_only.notifies) << p.name << " " << none_weight;
    }
  }
}

}  // namespace
}  // namespace exposure
