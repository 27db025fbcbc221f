// v1 scoring (docs/risk.md) under both platform profiles.
#include <gtest/gtest.h>

#include "exposure/risk.h"

namespace exposure {
namespace {

constexpr EnIntervalNumber kKeyStart = 2646000;           // a UTC midnight
constexpr uint32_t kT = kKeyStart * 600 + 10 * 3600;      // 10:00 that day
constexpr int64_t kSameDay = int64_t{kKeyStart} * 600 + 86399;

KeyMatch scans(std::vector<std::pair<uint32_t, int>> time_and_attenuation, int trl = 0) {
  KeyMatch m;
  m.key.rolling_start_interval_number = kKeyStart;
  m.key.transmission_risk_level = trl;
  for (auto [t, a] : time_and_attenuation) {
    MatchedSighting s;
    s.time = t;
    s.attenuation_db = static_cast<uint8_t>(a);
    m.per_scan.push_back(s);
  }
  m.sightings = m.per_scan;
  return m;
}

ExposureConfiguration all_ones() {
  ExposureConfiguration c;
  c.minimum_risk_score = 1;
  c.attenuation_scores.fill(1);
  c.days_since_last_exposure_scores.fill(1);
  c.duration_scores.fill(1);
  c.transmission_risk_scores.fill(1);
  return c;
}

TEST(RiskV1, Buckets) {
  EXPECT_EQ(v1_attenuation_bucket(74), 0);
  EXPECT_EQ(v1_attenuation_bucket(73), 1);
  EXPECT_EQ(v1_attenuation_bucket(52), 2);
  EXPECT_EQ(v1_attenuation_bucket(51), 3);
  EXPECT_EQ(v1_attenuation_bucket(10), 7);
  EXPECT_EQ(v1_days_bucket(14), 0);
  EXPECT_EQ(v1_days_bucket(13), 1);
  EXPECT_EQ(v1_days_bucket(1), 7);
  EXPECT_EQ(v1_days_bucket(-3), 7);
  EXPECT_EQ(v1_duration_bucket(0), 0);
  EXPECT_EQ(v1_duration_bucket(5), 1);
  EXPECT_EQ(v1_duration_bucket(15), 3);
  EXPECT_EQ(v1_duration_bucket(31), 7);
}

TEST(RiskV1, RecordDurationAttenuationAndThresholdDurations) {
  // Scans at 0, 300, 600 s: (-150..0) 40, (0..300) 40, (300..600) 60, (600..750) 60.
  auto m = scans({{kT, 40}, {kT + 300, 60}, {kT + 600, 60}});
  auto r = score_v1(std::span<const KeyMatch>(&m, 1), all_ones(), android_profile(), kSameDay);
  ASSERT_EQ(r.keys.size(), 1u);
  ASSERT_EQ(r.keys[0].records.size(), 1u);
  const auto& record = r.keys[0].records[0];
  EXPECT_EQ(record.duration_seconds, 900);
  EXPECT_EQ(record.attenuation_value, 50);  // (150*40 + 300*40 + 300*60 + 150*60) / 900
  EXPECT_EQ(record.attenuation_durations_seconds, (std::array<int, 3>{450, 450, 0}));
  EXPECT_EQ(r.summary.attenuation_durations_minutes, (std::array<int, 3>{7, 7, 0}));
}

TEST(RiskV1, SeriesSplitAboveSixHundredSecondsAndFiveMinuteRounding) {
  // Gaps of exactly 600 s stay in one series; 601 s start another.
  auto m = scans({{kT, 30}, {kT + 600, 30}, {kT + 1201, 30}, {kT + 1201 + 151, 30}});
  auto r = score_v1(std::span<const KeyMatch>(&m, 1), all_ones(), android_profile(), kSameDay);
  ASSERT_EQ(r.keys[0].records.size(), 2u);
  EXPECT_EQ(r.keys[0].records[0].duration_seconds, 900);  // 600 + 300
  EXPECT_EQ(r.keys[0].records[1].duration_seconds, 600);  // 151 + 300 = 451 -> 600 (151 > 150)
  auto one = scans({{kT, 30}, {kT + 150, 30}});
  auto r1 = score_v1(std::span<const KeyMatch>(&one, 1), all_ones(), android_profile(), kSameDay);
  EXPECT_EQ(r1.keys[0].records[0].duration_seconds, 300);  // 450 -> 300 (150 rounds down)
}

// Worked example (docs/risk.md, "Where we differ from the platforms, and why"): one key's
// RPIs of intervals 2993882 and 2993883 heard in one scan at t = 1796329696, then the first
// RPI again 26 s later (another scan), then one sighting every ~10 minutes. TX power -10 dBm.
TEST(RiskV1, TwoSightingsInOneSecondKeepTheFirstOnesAttenuation) {
  constexpr uint32_t t = 1796329696;
  struct Seen {
    uint32_t time;
    EnIntervalNumber interval;
    int rssi;
  };
  const Seen seen[] = {
      {t, 2993882, -71},         // 61 dB
      {t, 2993883, -38},         // 28 dB, same second
      {t + 26, 2993882, -40},    // 30 dB
      {t + 626, 2993883, -40},   // 30 dB
      {t + 1216, 2993884, -61},  // 51 dB
      {t + 1816, 2993885, -61},  // 51 dB
      {t + 2200, 2993886, -61},  // 51 dB
  };
  KeyMatch m;
  m.key.rolling_start_interval_number = 2993760;  // that day's midnight
  for (const Seen& s : seen) {
    MatchedSighting ms;
    ms.time = s.time;
    ms.interval = s.interval;
    ms.rssi = static_cast<int8_t>(s.rssi);
    ms.tx_power_dbm = -10;
    ms.attenuation_db = static_cast<uint8_t>(-10 - s.rssi);
    m.per_scan.push_back(ms);
  }
  m.sightings = m.per_scan;
  ExposureConfiguration c = all_ones();
  c.duration_at_attenuation_thresholds = {33, 67};
  // Periods: 150 s and 26 s at 61 dB (the first point of second t; the 28 dB one adds no
  // period), 600 + 590 s at 30 dB, 600 + 384 + 150 s at 51 dB. The replaced rule gave the
  // 26 s to 28 dB instead: 1216 / 1284 / 0 s and an attenuation value of 41 (103412 / 2500).
  // Apple does not document this construction; the iOS profile scores it the same way.
  for (const PlatformProfile& p : all_platform_profiles()) {
    auto r = score_v1(std::span<const KeyMatch>(&m, 1), c, p, int64_t{t} + 3600);
    ASSERT_EQ(r.keys.size(), 1u) << p.name;
    ASSERT_EQ(r.keys[0].records.size(), 1u) << p.name;
    const ExposureRecord& record = r.keys[0].records[0];
    EXPECT_EQ(record.duration_seconds, 2400) << p.name;  // 2200 + 300 = 2500, 100 s rounds down
    EXPECT_EQ(record.attenuation_durations_seconds, (std::array<int, 3>{1190, 1310, 0})) << p.name;
    EXPECT_EQ(record.attenuation_value, 42) << p.name;  // 104270 / 2500 = 41.708
    EXPECT_EQ(r.summary.attenuation_durations_minutes, (std::array<int, 3>{19, 21, 0})) << p.name;
  }
}

TEST(RiskV1, TransmissionRiskLevelZeroDiffersBetweenPlatforms) {
  ExposureConfiguration c = all_ones();
  c.transmission_risk_scores = {7, 2, 3, 4, 5, 6, 7, 8};
  auto trl0 = scans({{kT, 30}}, 0);
  auto trl3 = scans({{kT, 30}}, 3);
  auto score = [&](const KeyMatch& m, const PlatformProfile& p) {
    return score_v1(std::span<const KeyMatch>(&m, 1), c, p, kSameDay).keys[0].records[0].full_range_score;
  };
  EXPECT_EQ(score(trl0, android_profile()), 1);  // literal 1
  EXPECT_EQ(score(trl0, ios_profile()), 7);      // transmissionRiskScores[0]
  EXPECT_EQ(score(trl3, android_profile()), 3);  // transmissionRiskScores[2]
  EXPECT_EQ(score(trl3, ios_profile()), 4);      // transmissionRiskScores[3]
}

TEST(RiskV1, MinimumRiskScoreAndIosCap) {
  ExposureConfiguration c;
  c.attenuation_scores.fill(8);
  c.days_since_last_exposure_scores.fill(8);
  c.duration_scores.fill(8);
  c.transmission_risk_scores.fill(8);
  c.minimum_risk_score = 4096;
  auto m = scans({{kT, 30}}, 1);
  auto android = score_v1(std::span<const KeyMatch>(&m, 1), c, android_profile(), kSameDay);
  auto ios = score_v1(std::span<const KeyMatch>(&m, 1), c, ios_profile(), kSameDay);
  EXPECT_EQ(android.summary.maximum_risk_score, 4096);
  EXPECT_EQ(ios.summary.maximum_risk_score, 255);
  EXPECT_EQ(ios.summary.maximum_risk_score_full_range, 4096);
  EXPECT_TRUE(android.notifies);
  c.duration_scores.fill(7);  // 3584 < 4096: scored 0, still counted as a match
  auto below = score_v1(std::span<const KeyMatch>(&m, 1), c, android_profile(), kSameDay);
  EXPECT_FALSE(below.notifies);
  EXPECT_EQ(below.summary.matched_key_count, 1u);
  EXPECT_EQ(below.summary.maximum_risk_score, 0);
  EXPECT_EQ(below.keys[0].records[0].full_range_score, 3584);
  EXPECT_EQ(below.keys[0].records[0].risk_score, 0);
}

TEST(RiskV1, DaysCountFromTheKeyStartDay) {
  ExposureConfiguration c = all_ones();
  c.days_since_last_exposure_scores = {1, 2, 3, 4, 5, 6, 7, 8};
  auto m = scans({{kT, 30}});
  auto day = [&](int days_later) {
    return score_v1(std::span<const KeyMatch>(&m, 1), c, android_profile(), kSameDay + 86400 * days_later);
  };
  EXPECT_EQ(day(0).keys[0].records[0].factors[1], 8);
  EXPECT_EQ(day(2).keys[0].records[0].factors[1], 7);
  EXPECT_EQ(day(14).keys[0].records[0].factors[1], 1);
  EXPECT_EQ(day(3).summary.days_since_last_exposure, 3);
}

}  // namespace
}  // namespace exposure
