// A diagnosis key: a TEK published after a positive test, with the metadata export files
// carry. Shared by the key-file reader/writer, the server and the matcher.
#pragma once

#include <cstdint>
#include <optional>

#include "exposure/interval.h"
#include "exposure/keys.h"

namespace exposure {

// Values as in the export file format (TemporaryExposureKey.ReportType).
enum class ReportType : int32_t {
  kUnknown = 0,
  kConfirmedTest = 1,
  kConfirmedClinicalDiagnosis = 2,
  kSelfReport = 3,
  kRecursive = 4,
  kRevoked = 5,
};

inline constexpr int32_t kMaxTransmissionRiskLevel = 8;
inline constexpr int32_t kMaxDaysSinceOnset = 14;  // |days_since_onset_of_symptoms| <= 14

// A published key. Unlike TemporaryExposureKey it is public data, so it is a plain value.
struct DiagnosisKey {
  KeyData key_data{};
  EnIntervalNumber rolling_start_interval_number = 0;
  uint32_t rolling_period = kTekRollingPeriod;  // 1..144; absent in a file means 144
  int32_t transmission_risk_level = 0;          // 0..8; 0 = unknown
  ReportType report_type = ReportType::kUnknown;
  std::optional<int32_t> days_since_onset_of_symptoms;  // -14..14 when known

  EnIntervalNumber end_interval() const { return rolling_start_interval_number + rolling_period; }
  bool operator==(const DiagnosisKey&) const = default;
};

}  // namespace exposure
