// The notification decision: which days qualify under v1 and v2, and that a day notifies once.
#include <gtest/gtest.h>

#include "exposure/decision.h"

namespace exposure {
namespace {

constexpr uint32_t kDay = 20420;  // 2025-11-28
constexpr int64_t kNow = int64_t{kDay + 1} * 86400 + 43200;

ExposureWindow window(uint32_t day, int seconds_at_45_db) {
  ExposureWindow w;
  w.start_time = day * 86400 + 3600;
  for (int s = seconds_at_45_db; s > 0; s -= 300) w.scan_instances.push_back({45, 40, std::min(s, 300)});
  return w;
}

RiskConfig v2_config(std::optional<double> minimum_daily_score) {
  RiskConfig c;
  c.daily.emplace();
  c.daily->attenuation_bucket_threshold_db = {50, 60, 70};
  c.daily->attenuation_bucket_weights = {1.0, 0.5, 0.25, 0};
  c.daily->report_type_weights = {0, 1.0, 1.0, 1.0, 1.0, 0};
  c.daily->infectiousness_weights = {0, 1.0, 1.0};
  c.minimum_daily_score = minimum_daily_score;
  return c;
}

KeyMatch contact(uint32_t day, int minutes, int attenuation, int trl) {
  KeyMatch m;
  m.key.rolling_start_interval_number = day * 144;
  m.key.transmission_risk_level = trl;
  for (int i = 0; i <= minutes / 5; ++i) {
    MatchedSighting s;
    s.time = day * 86400 + 36000 + i * 300;
    s.attenuation_db = static_cast<uint8_t>(attenuation);
    m.per_scan.push_back(s);
  }
  m.sightings = m.per_scan;
  return m;
}

TEST(Decision, V2DayQualifiesAtTheThresholdAndOnlyOnce) {
  // Day kDay: 900 s at 45 dB (IMMEDIATE, weight 1) = score 900; day kDay - 1: 300.
  std::vector<ExposureWindow> windows{window(kDay, 900), window(kDay - 1, 300)};
  Decision d = decide({}, windows, v2_config(900.0), android_profile(), kNow);
  EXPECT_TRUE(d.notify);
  EXPECT_EQ(d.new_days, std::vector<int64_t>{kDay});
  ASSERT_EQ(d.qualifying.size(), 1u);
  EXPECT_EQ(d.qualifying[0].api, "v2");
  EXPECT_DOUBLE_EQ(d.qualifying[0].score, 900);
  EXPECT_DOUBLE_EQ(d.qualifying[0].threshold, 900);
  ASSERT_FALSE(d.reasons.empty());
  EXPECT_EQ(d.reasons[0], "v2: 2025-11-28 scoreSum 900 >= 900 (new)");

  Decision again = decide({}, windows, v2_config(900.0), android_profile(), kNow, {kDay});
  EXPECT_FALSE(again.notify);
  EXPECT_TRUE(again.new_days.empty());
  ASSERT_EQ(again.qualifying.size(), 1u);
  EXPECT_TRUE(again.qualifying[0].notified_before);

  Decision above = decide({}, windows, v2_config(901.0), android_profile(), kNow);
  EXPECT_FALSE(above.notify);
  EXPECT_TRUE(above.qualifying.empty());
}

TEST(Decision, V2WithoutThresholdNeedsAScoreAboveZero) {
  std::vector<ExposureWindow> windows{window(kDay, 300)};
  EXPECT_TRUE(decide({}, windows, v2_config(std::nullopt), ios_profile(), kNow).notify);
  RiskConfig zero = v2_config(std::nullopt);
  zero.daily->attenuation_bucket_weights = {0, 0, 0, 0};
  EXPECT_FALSE(decide({}, windows, zero, ios_profile(), kNow).notify);
}

TEST(Decision, V1RecordDayAndThePlatformsTransmissionFactor) {
  // 15 minutes at 40 dB, TRL 0: Android's transmission factor is 1, iOS's is
  // transmissionRiskScores[0]. All other factors 1; minimumRiskScore 5.
  RiskConfig c;
  c.v1.emplace();
  c.v1->attenuation_scores.fill(1);
  c.v1->days_since_last_exposure_scores.fill(1);
  c.v1->duration_scores.fill(1);
  c.v1->transmission_risk_scores = {5, 1, 1, 1, 1, 1, 1, 1};
  c.v1->minimum_risk_score = 5;
  KeyMatch m = contact(kDay, 15, 40, 0);
  Decision android = decide(std::span<const KeyMatch>(&m, 1), {}, c, android_profile(), kNow);
  Decision ios = decide(std::span<const KeyMatch>(&m, 1), {}, c, ios_profile(), kNow);
  EXPECT_FALSE(android.notify);  // 1 x 1 x 1 x 1 = 1 < 5
  EXPECT_TRUE(ios.notify);       // 1 x 1 x 1 x 5 = 5
  EXPECT_EQ(ios.new_days, std::vector<int64_t>{kDay});
  ASSERT_TRUE(android.v1.has_value());
  EXPECT_EQ(android.v1->keys.size(), 1u);
}

TEST(Decision, BothApisQualifyTheSameDayOnce) {
  RiskConfig c = v2_config(100.0);
  c.v1.emplace();
  c.v1->minimum_risk_score = 1;
  KeyMatch m = contact(kDay, 15, 40, 1);
  std::vector<ExposureWindow> windows = build_exposure_windows(m, c.mapping);
  Decision d = decide(std::span<const KeyMatch>(&m, 1), windows, c, android_profile(), kNow);
  EXPECT_TRUE(d.notify);
  EXPECT_EQ(d.qualifying.size(), 2u);
  EXPECT_EQ(d.new_days, std::vector<int64_t>{kDay});
}

TEST(Decision, ThresholdRulesAreTheScorersOwn) {
  ExposureConfiguration v1;
  v1.minimum_risk_score = 10;
  EXPECT_TRUE(v1_record_reaches_threshold(10, v1));
  EXPECT_FALSE(v1_record_reaches_threshold(9, v1));
  EXPECT_TRUE(v2_day_reaches_threshold(0.5, std::nullopt));
  EXPECT_FALSE(v2_day_reaches_threshold(0, std::nullopt));
  EXPECT_TRUE(v2_day_reaches_threshold(0, 0.0));
}

}  // namespace
}  // namespace exposure
