// Risk-scoring configurations as apps give them to the platforms, read from JSON with the
// platform APIs' field names (docs/risk.md):
//
//   v1 ExposureConfiguration: minimumRiskScore, attenuationScores, daysSinceLastExposureScores,
//     durationScores, transmissionRiskScores, durationAtAttenuationThresholds, and the unused
//     attenuationWeight, daysSinceLastExposureWeight, durationWeight, transmissionRiskWeight;
//   v2 DailySummariesConfig: attenuationBucketThresholdDb, attenuationBucketWeights,
//     reportTypeWeights, infectiousnessWeights, daysSinceExposureThreshold, minimumWindowScore;
//   DiagnosisKeysDataMapping: daysSinceOnsetToInfectiousness, reportTypeWhenMissing,
//     infectiousnessWhenDaysSinceOnsetMissing.
//
// Fields may sit at the top level or inside "exposureConfiguration", "dailySummariesConfig"
// and "diagnosisKeysDataMapping" objects. Apple's names for the v1 arrays
// (attenuationLevelValues, daysSinceLastExposureLevelValues, durationLevelValues,
// transmissionRiskLevelValues, attenuationDurationThresholds) are accepted too. One field is
// the project's own: minimumDailyScore, the app's notification threshold on a day's scoreSum.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "exposure/exposure_window.h"
#include "exposure/status.h"

namespace exposure {

// v1 (ExposureConfiguration). Defaults are the Android builder's.
struct ExposureConfiguration {
  int minimum_risk_score = 4;                                  // 1..4096
  std::array<int, 8> attenuation_scores{4, 4, 4, 4, 4, 4, 4, 4};   // 0..8 each
  std::array<int, 8> days_since_last_exposure_scores{4, 4, 4, 4, 4, 4, 4, 4};
  std::array<int, 8> duration_scores{4, 4, 4, 4, 4, 4, 4, 4};
  std::array<int, 8> transmission_risk_scores{4, 4, 4, 4, 4, 4, 4, 4};
  std::array<int, 2> duration_at_attenuation_thresholds{50, 74};  // 0..255, [0] <= [1]
  bool operator==(const ExposureConfiguration&) const = default;
};

// v2 (DailySummariesConfig). Weight defaults are the builder's (all 0).
struct DailySummariesConfig {
  std::array<double, 6> report_type_weights{};    // by ReportType 0..5, each 0..2.5
  std::array<double, 3> infectiousness_weights{};  // NONE, STANDARD, HIGH, each 0..2.5
  std::array<int, 3> attenuation_bucket_threshold_db{};   // strictly increasing, 0..255
  std::array<double, 4> attenuation_bucket_weights{};     // IMMEDIATE, NEAR, MEDIUM, OTHER
  int days_since_exposure_threshold = 0;                  // 0 = no limit
  double minimum_window_score = 0;
  bool operator==(const DailySummariesConfig&) const = default;
};

struct RiskConfig {
  std::optional<ExposureConfiguration> v1;      // present when any v1 field is given
  std::optional<DailySummariesConfig> daily;    // present when any v2 field is given
  DiagnosisKeysDataMapping mapping;             // defaults when none is given
  // The app's own threshold on a day's scoreSum (not a platform field). Without it a day
  // "notifies" when its scoreSum is above 0.
  std::optional<double> minimum_daily_score;
};

// Parses a configuration. Errors are one line naming the field, e.g.
// "attenuationScores[3]: 9 out of range 0..8" or "unknown field 'minRiskScore'". A v2
// section must give attenuationBucketThresholdDb and attenuationBucketWeights.
Result<RiskConfig> parse_risk_config(std::string_view json_text);
// Reads and parses a file; messages start with the path.
Result<RiskConfig> load_risk_config_file(const std::string& path);

// Names used in JSON and reports ("CONFIRMED_TEST", "HIGH", ...).
const char* report_type_name(ReportType type);
const char* infectiousness_name(Infectiousness value);
const char* calibration_confidence_name(CalibrationConfidence value);

}  // namespace exposure
