// check_diagnosis_key and is_key_name_part: what a key and a signer name may hold.
#include <algorithm>
#include <limits>
#include <string>

#include "exposure/keyfile_format.h"

namespace exposure::keyfile {

bool is_key_name_part(std::string_view part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Status check_diagnosis_key(const DiagnosisKey& key) {
  if (key.rolling_start_interval_number >
      static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
    return invalid_argument("rolling_start_interval_number " +
                            std::to_string(key.rolling_start_interval_number) +
                            " does not fit an int32");
  }
  if (key.rolling_period < 1 || key.rolling_period > kTekRollingPeriod) {
    return invalid_argument("rolling_period " + std::to_string(key.rolling_period) +
                            " out of range 1..144");
  }
  if (key.transmission_risk_level < 0 || key.transmission_risk_level > kMaxTransmissionRiskLevel) {
    return invalid_argument("transmission_risk_level " +
                            std::to_string(key.transmission_risk_level) + " out of range 0..8");
  }
  auto type = static_cast<int32_t>(key.report_type);
  if (type < static_cast<int32_t>(ReportType::kUnknown) ||
      type > static_cast<int32_t>(ReportType::kRevoked)) {
    return invalid_argument("report_type " + std::to_string(type) + " is not a known report type");
  }
  if (key.days_since_onset_of_symptoms &&
      (*key.days_since_onset_of_symptoms < -kMaxDaysSinceOnset ||
       *key.days_since_onset_of_symptoms > kMaxDaysSinceOnset)) {
    return invalid_argument("days_since_onset_of_symptoms " +
                            std::to_string(*key.days_since_onset_of_symptoms) +
                            " out of range -14..14");
  }
  return Status::Ok();
}

}  // namespace exposure::keyfile
