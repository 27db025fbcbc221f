// Reading risk configurations: field names of the platform APIs, range checks, one-line
// errors naming the field.
#include "exposure/risk_config.h"

#include <gtest/gtest.h>

#include "support/test_vectors.h"

namespace exposure {
namespace {

TEST(RiskConfig, ReadsCocoaV1Configuration) {
  auto config = load_risk_config_file(testing::data_path("cocoa-v1.1.4-config.json"));
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_TRUE(config->v1.has_value());
  EXPECT_FALSE(config->daily.has_value());
  EXPECT_EQ(config->v1->minimum_risk_score, 21);
  EXPECT_EQ(config->v1->attenuation_scores, (std::array<int, 8>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(config->v1->duration_scores, (std::array<int, 8>{0, 0, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(config->v1->transmission_risk_scores[0], 7);
  EXPECT_EQ(config->v1->duration_at_attenuation_thresholds, (std::array<int, 2>{50, 70}));
  EXPECT_EQ(config->mapping, DiagnosisKeysDataMapping{});
}

TEST(RiskConfig, ReadsNestedV2SectionsAndMapping) {
  auto config = load_risk_config_file(testing::data_path("sane-v2-config.json"));
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_TRUE(config->daily.has_value());
  EXPECT_FALSE(config->v1.has_value());
  const auto& d = *config->daily;
  EXPECT_EQ(d.attenuation_bucket_threshold_db, (std::array<int, 3>{55, 63, 73}));
  EXPECT_EQ(d.attenuation_bucket_weights[0], 1.5);
  EXPECT_EQ(d.report_type_weights, (std::array<double, 6>{0, 1.0, 1.0, 0.8, 0, 0}));
  EXPECT_EQ(d.infectiousness_weights, (std::array<double, 3>{0, 1.0, 1.5}));
  EXPECT_EQ(d.days_since_exposure_threshold, 14);
  EXPECT_EQ(config->mapping.days_since_onset_to_infectiousness[0 + 14], Infectiousness::kHigh);
  EXPECT_EQ(config->mapping.days_since_onset_to_infectiousness[-6 + 14], Infectiousness::kNone);  // not given
  EXPECT_EQ(config->minimum_daily_score, 900);
}

TEST(RiskConfig, AcceptsAppleNamesNumbersAndArrays) {
  auto config = parse_risk_config(R"({"attenuationLevelValues": [0,1,2,3,4,5,6,7],
      "transmissionRiskLevelValues": [8,8,8,8,8,8,8,8], "attenuationDurationThresholds": [40, 60],
      "attenuationBucketThresholdDb": [30, 50, 70], "attenuationBucketWeights": [2.5, 1, 0.5, 0],
      "reportTypeWeights": [0, 1, 1, 1, 0, 0], "infectiousnessWeights": {"1": 1.0, "2": 2.0},
      "reportTypeWhenMissing": 2, "infectiousnessWhenDaysSinceOnsetMissing": "HIGH"})");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->v1->attenuation_scores[7], 7);
  EXPECT_EQ(config->v1->transmission_risk_scores[0], 8);
  EXPECT_EQ(config->v1->minimum_risk_score, 4);  // builder default
  EXPECT_EQ(config->v1->duration_at_attenuation_thresholds, (std::array<int, 2>{40, 60}));
  EXPECT_EQ(config->daily->infectiousness_weights, (std::array<double, 3>{0, 1, 2}));
  EXPECT_EQ(config->mapping.report_type_when_missing, ReportType::kConfirmedClinicalDiagnosis);
  EXPECT_EQ(config->mapping.infectiousness_when_days_since_onset_missing, Infectiousness::kHigh);
}

TEST(RiskConfig, BadConfigsGiveOneLineNamingTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"attenuationScores": [1,2,3,9,5,6,7,8]})", "attenuationScores[3]: 9 out of range 0..8"},
      {R"({"durationScores": [1,2,3]})", "durationScores: expected an array of 8 values"},
      {R"({"minimumRiskScore": 0})", "minimumRiskScore: 0 out of range 1..4096"},
      {R"({"minimumRiskScore": 2.5})", "minimumRiskScore: expected an integer"},
      {R"({"minRiskScore": 1})", "unknown field 'minRiskScore'"},
      {R"({"durationAtAttenuationThresholds": [70, 50]})", "durationAtAttenuationThresholds: first must not exceed second"},
      {R"({"attenuationBucketThresholdDb": [50, 50, 70], "attenuationBucketWeights": [1,1,1,1]})",
       "attenuationBucketThresholdDb: must be strictly increasing"},
      {R"({"attenuationBucketWeights": [1,1,1,1]})", "attenuationBucketThresholdDb: required"},
      {R"({"attenuationBucketThresholdDb": [1,2,3], "attenuationBucketWeights": [1,1,3,1]})",
       "attenuationBucketWeights[2]: 3 out of range 0..2.5"},
      {R"({"reportTypeWeights": {"POSITIVE": 1}})", "reportTypeWeights: unknown value \"POSITIVE\""},
      {R"({"reportTypeWhenMissing": "UNKNOWN"})", "reportTypeWhenMissing: must not be UNKNOWN"},
      {R"({"daysSinceOnsetToInfectiousness": {"15": "HIGH"}})", "daysSinceOnsetToInfectiousness: day '15'"},
      {R"({"minimumDailyScore": 0})", "minimumDailyScore: 0 out of range above 0"},
      {R"({"minimumRiskScore": 21,})", "not valid JSON at byte"},
      {R"([1, 2])", "expected a JSON object"},
      // Found by fuzz_risk_config: the parser's out_of_range exception escaped.
      {"8E949", "not valid JSON: a number is out of range"},
      {R"({"minimumRiskScore": -1e400})", "not valid JSON: a number is out of range"},
  };
  for (const auto& [json, expected] : cases) {
    auto config = parse_risk_config(json);
    ASSERT_FALSE(config.ok()) << json;
    EXPECT_NE(config.status().message().find(expected), std::string::npos) << json << " -> " << config.status().message();
    EXPECT_EQ(config.status().message().find('\n'), std::string::npos);
  }
  auto missing = load_risk_config_file("/nonexistent/config.json");
  EXPECT_EQ(missing.status().code(), ErrorCode::kIoError);
}

}  // namespace
}  // namespace exposure
