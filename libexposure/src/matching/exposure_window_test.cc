// Exposure Windows from matched sightings (docs/matching.md).
#include "exposure/exposure_window.h"

#include <gtest/gtest.h>

#include <set>

#include "exposure/risk.h"

namespace exposure {
namespace {

MatchedSighting at(uint32_t time, int attenuation, uint32_t previous_scan = 0,
                   CalibrationConfidence confidence = CalibrationConfidence::kLowest) {
  MatchedSighting m;
  m.time = time;
  m.previous_scan_time = previous_scan;
  m.attenuation_db = static_cast<uint8_t>(attenuation);
  m.calibration_confidence = confidence;
  return m;
}

KeyMatch match_of(std::vector<MatchedSighting> sightings) {
  KeyMatch m;
  m.key.report_type = ReportType::kConfirmedTest;
  m.key.days_since_onset_of_symptoms = 2;
  m.sightings = std::move(sightings);
  m.stream_position = 7;
  return m;
}

constexpr uint32_t T = 1600000000;

TEST(ExposureWindow, ScansMergeWithin25And5SecondsAndRoundHalfUp) {
  // 10 s and 25 s gaps join the scan; 26 s does not.
  auto windows = build_exposure_windows(
      match_of({at(T, 40, T - 300, CalibrationConfidence::kHigh), at(T + 10, 41), at(T + 35, 50),
                at(T + 61, 60, 0)}),
      {});
  ASSERT_EQ(windows.size(), 1u);
  const auto& w = windows[0];
  EXPECT_EQ(w.start_time, T);
  EXPECT_EQ(w.calibration_confidence, CalibrationConfidence::kHigh);
  EXPECT_EQ(w.key_stream_position, 7u);
  ASSERT_EQ(w.scan_instances.size(), 2u);
  EXPECT_EQ(w.scan_instances[0], (ScanInstance{44, 40, 300}));  // (40+41+50)/3 = 43.67 -> 44
  EXPECT_EQ(w.scan_instances[1], (ScanInstance{60, 60, 120}));  // previous scan unknown
}

TEST(ExposureWindow, SecondsSinceLastScanUsesWholeMinutesCappedAtFive) {
  uint32_t minute = 26666667 * 60;  // start of a minute
  auto windows = build_exposure_windows(
      match_of({at(minute + 5, 50, minute - 55),          // minutes differ by 1 -> 60
                at(minute + 100, 50, minute + 99),         // same minute -> 0
                at(minute + 200, 50, minute - 3600),       // capped at 300
                at(minute + 300, 50, minute + 400)}),      // previous after the sighting -> 0
      {});
  ASSERT_EQ(windows.size(), 1u);
  std::vector<int> seconds;
  for (const auto& s : windows[0].scan_instances) seconds.push_back(s.seconds_since_last_scan);
  EXPECT_EQ(seconds, (std::vector<int>{60, 0, 300, 0}));
}

// Worked example (docs/matching.md, "Where we differ from the platforms, and why"): a
// sighting at t = 1796329696 (16 s into its minute) whose recorded previous scan is 90 s
// later, in the next minute, then a sighting 5 minutes later whose previous scan is t.
TEST(ExposureWindow, PreviousScanAfterTheSightingCountsZeroSecondsNotMinusSixty) {
  constexpr uint32_t t = 1796329696;
  auto windows = build_exposure_windows(match_of({at(t, 45, t + 90), at(t + 300, 45, t)}), {});
  ASSERT_EQ(windows.size(), 1u);
  // GMS: 60 x (minute(t) - minute(t + 90)) = -60 for the first scan; we clamp it to 0.
  EXPECT_EQ(windows[0].scan_instances,
            (std::vector<ScanInstance>{{45, 45, 0}, {45, 45, 300}}));
  DailySummariesConfig config;
  config.attenuation_bucket_threshold_db = {50, 60, 70};
  config.attenuation_bucket_weights = {1.0, 1.0, 1.0, 1.0};
  config.report_type_weights[static_cast<size_t>(ReportType::kConfirmedTest)] = 1.0;
  config.infectiousness_weights[static_cast<size_t>(Infectiousness::kStandard)] = 1.0;
  // The window scores 0 + 300 = 300 here, where GMS scores -60 + 300 = 240; windows are built
  // the same way for both profiles (Apple documents no rule for this case).
  for (const PlatformProfile& p : all_platform_profiles()) {
    auto scored = score_v2(windows, config, p, int64_t{t} + 3600);
    EXPECT_DOUBLE_EQ(scored.window_scores[0].weighted_duration, 300) << p.name;
    EXPECT_DOUBLE_EQ(scored.window_scores[0].score, 300) << p.name;
  }
}

TEST(ExposureWindow, CutAtThirtyMinutesFromTheWindowStart) {
  auto windows = build_exposure_windows(
      match_of({at(T, 30), at(T + 1799, 31), at(T + 1800, 32, 0, CalibrationConfidence::kLow),
                at(T + 1810, 33)}),
      {});
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].scan_instances.size(), 2u);
  EXPECT_EQ(windows[1].start_time, T + 1800);
  EXPECT_EQ(windows[1].calibration_confidence, CalibrationConfidence::kLow);
  ASSERT_EQ(windows[1].scan_instances.size(), 1u);  // a new window always opens a new scan
  EXPECT_EQ(windows[1].scan_instances[0], (ScanInstance{33, 32, 120}));  // 32.5 -> 33
  EXPECT_EQ(windows[1].day(), (T + 1800) / 86400);
}

TEST(ExposureWindow, ReportTypeAndInfectiousnessFromTheMapping) {
  DiagnosisKeysDataMapping mapping;
  mapping.days_since_onset_to_infectiousness.fill(Infectiousness::kNone);
  mapping.days_since_onset_to_infectiousness[2 + 14] = Infectiousness::kHigh;
  mapping.report_type_when_missing = ReportType::kSelfReport;
  mapping.infectiousness_when_days_since_onset_missing = Infectiousness::kStandard;
  KeyMatch m = match_of({at(T, 30)});
  auto w = build_exposure_windows(m, mapping);
  EXPECT_EQ(w[0].report_type, ReportType::kConfirmedTest);
  EXPECT_EQ(w[0].infectiousness, Infectiousness::kHigh);
  m.key.report_type = ReportType::kUnknown;
  m.key.days_since_onset_of_symptoms.reset();
  w = build_exposure_windows(m, mapping);
  EXPECT_EQ(w[0].report_type, ReportType::kSelfReport);
  EXPECT_EQ(w[0].infectiousness, Infectiousness::kStandard);
  m.key.days_since_onset_of_symptoms = 3;
  EXPECT_EQ(build_exposure_windows(m, mapping)[0].infectiousness, Infectiousness::kNone);
  m.key.days_since_onset_of_symptoms = 15;  // out of range: "missing"
  EXPECT_EQ(build_exposure_windows(m, mapping)[0].infectiousness, Infectiousness::kStandard);
}

TEST(ExposureWindow, ShuffleKeepsEveryWindow) {
  std::vector<ExposureWindow> windows(50);
  for (size_t i = 0; i < windows.size(); ++i) windows[i].start_time = static_cast<uint32_t>(i);
  auto shuffled = windows;
  shuffle_exposure_windows(shuffled);
  std::set<uint32_t> starts;
  for (const auto& w : shuffled) starts.insert(w.start_time);
  EXPECT_EQ(starts.size(), 50u);
  EXPECT_NE(shuffled, windows);  // 1 in 50! to fail by chance
}

}  // namespace
}  // namespace exposure
