// Risk scoring of matches: the v1 API (ExposureConfiguration -> exposure records and an
// ExposureSummary) and the v2 API (Exposure Windows -> window scores -> DailySummary), each
// under a platform profile, because Android and iOS read the same inputs differently.
// docs/risk.md states every formula, every platform difference and its source.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "exposure/exposure_window.h"
#include "exposure/matching.h"
#include "exposure/risk_config.h"

namespace exposure {

// ---- Platform profiles --------------------------------------------------------------------

enum class Platform { kAndroid, kIos };

// Besides the two differences below, both profiles score three edges alike (docs/risk.md,
// "Where we differ from the platforms, and why", gives the sources and worked examples):
//   v1, two sightings of a key in one second: the first one's attenuation carries the next
//     period. Android: as GMS. iOS: Apple does not document its construction.
//   v2, a previous scan recorded after the sighting: 0 seconds since the last scan. Android:
//     GMS gives a negative value (we differ). iOS: not documented.
//   v2, windows of infectiousness NONE: left out of daily summaries. Android: as Google's
//     DiagnosisKeysDataMapping documentation says; GMS's released code keeps them (we follow
//     the documentation). iOS: not documented (Apple has no weight for NONE).
struct PlatformProfile {
  Platform platform;
  const char* name;  // "android", "ios"
  // v1 transmission factor for a key's transmission risk level (0..8).
  //   Android: level 0 -> 1 (a literal, not a configured value); level L -> scores[L - 1].
  //   iOS:     level L -> scores[L] for 0..7 (Apple documents levels 0..7); 8 -> scores[7].
  int transmission_factor(const ExposureConfiguration& config, int transmission_risk_level) const;
  // iOS reports v1 scores as ENRiskScore (UInt8): capped at 255. Android: 0..4096.
  int reported_v1_score(int full_range_score) const;
};

const PlatformProfile& android_profile();
const PlatformProfile& ios_profile();
// android then ios.
std::span<const PlatformProfile> all_platform_profiles();
// "android" or "ios"; nullptr for another name.
const PlatformProfile* find_platform_profile(std::string_view name);

// ---- v1 -------------------------------------------------------------------------------------

// v1 bucket constants (RiskScoreCalculator).
inline constexpr int kV1SeriesGapSeconds = 600;
inline constexpr int kV1ScanIntervalSeconds = 300;

// Bucket indices into the 8-entry score arrays.
int v1_attenuation_bucket(int attenuation_db);  // 0 if > 73 ... 7 if <= 10
int v1_days_bucket(int64_t days);               // 0 if >= 14 ... 7 if < 2
int v1_duration_bucket(int64_t minutes);        // 0 if <= 0 ... 7 if > 30

// One exposure record: a series of per-scan sightings without a gap above 600 s.
struct ExposureRecord {
  uint32_t start_time = 0;
  uint32_t end_time = 0;
  int duration_seconds = 0;                      // 5-minute buckets, at least 300
  int attenuation_value = 0;                     // time-weighted, step interpolation, rounded
  std::array<int, 3> attenuation_durations_seconds{};  // < low, low..high, >= high
  int full_range_score = 0;                      // product of the four factors, 0..4096
  int risk_score = 0;                            // reported: 0 below minimumRiskScore, iOS caps at 255
  std::array<int, 4> factors{};                  // attenuation, days, duration, transmission
};

// A matched key's records (ExposureResult).
struct KeyExposureResult {
  uint64_t key_stream_position = 0;
  int transmission_risk_level = 0;
  int64_t days_since_key_start = 0;  // latencyDays
  std::vector<ExposureRecord> records;
  int maximum_risk_score = 0;
  int64_t total_risk_score = 0;
  std::array<int, 3> attenuation_durations_seconds{};  // over all records
};

struct ExposureSummary {
  int days_since_last_exposure = 0;  // valid when matched_key_count > 0
  uint64_t matched_key_count = 0;
  int maximum_risk_score = 0;        // as the platform reports it
  int64_t summation_risk_score = 0;
  int maximum_risk_score_full_range = 0;
  std::array<int, 3> attenuation_durations_minutes{};  // summed, each capped at 30
};

struct V1Result {
  std::vector<KeyExposureResult> keys;
  ExposureSummary summary;
  // The app's usual decision (COCOA's among them): some record scored >= minimumRiskScore.
  bool notifies = false;
};

// Scores matched keys (their per_scan lists) with `config` as `profile` does, at time `now`
// (unix seconds; days since a key's start are counted from it).
V1Result score_v1(std::span<const KeyMatch> matches, const ExposureConfiguration& config,
                  const PlatformProfile& profile, int64_t now);

// ---- v2 -------------------------------------------------------------------------------------

enum class AttenuationBucket { kImmediate = 0, kNear = 1, kMedium = 2, kOther = 3 };
AttenuationBucket attenuation_bucket(const DailySummariesConfig& config, int typical_attenuation_db);

struct WindowScore {
  bool considered = false;       // report type and age let it into a daily summary
  double weighted_duration = 0;  // seconds x bucket weights
  double score = 0;              // weighted_duration x report-type x infectiousness weights
  bool counted = false;          // considered and score >= minimumWindowScore
};

struct ExposureSummaryData {
  double maximum_score = 0;
  double score_sum = 0;
  double weighted_duration_sum = 0;
  bool operator==(const ExposureSummaryData&) const = default;
};

struct DailySummary {
  int64_t days_since_epoch = 0;
  std::array<ExposureSummaryData, 6> by_report_type{};  // index = ReportType
  ExposureSummaryData total;
};

struct V2Result {
  std::vector<WindowScore> window_scores;     // parallel to the windows given
  std::vector<DailySummary> daily_summaries;  // ascending by day
  // Some day's scoreSum reaches the app's threshold (above 0 when none is configured).
  bool notifies = false;
};

// Scores windows and builds daily summaries. Windows of report type other than 1..4, of
// infectiousness NONE, or older than daysSinceExposureThreshold days before `now` are left
// out; a day with only windows below minimumWindowScore still gets a summary of zeros.
V2Result score_v2(std::span<const ExposureWindow> windows, const DailySummariesConfig& config,
                  const PlatformProfile& profile, int64_t now,
                  std::optional<double> minimum_daily_score = std::nullopt);

}  // namespace exposure
