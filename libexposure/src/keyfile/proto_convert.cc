#include "proto_convert.h"

#include <algorithm>

namespace exposure::keyfile {

Result<DiagnosisKey> key_from_proto(const pb::TemporaryExposureKey& proto) {
  if (!proto.has_key_data()) return malformed("key_data missing");
  if (proto.key_data().size() != 16) {
    return malformed("key_data has " + std::to_string(proto.key_data().size()) +
                     " bytes, expected 16");
  }
  if (proto.rolling_start_interval_number() < 0) {
    return malformed("rolling_start_interval_number " +
                     std::to_string(proto.rolling_start_interval_number()) + " is negative");
  }
  if (proto.rolling_period() < 1 ||
      proto.rolling_period() > static_cast<int32_t>(kTekRollingPeriod)) {
    return malformed("rolling_period " + std::to_string(proto.rolling_period()) +
                     " out of range 1..144");
  }
  DiagnosisKey key;
  std::copy_n(proto.key_data().begin(), 16, key.key_data.begin());
  key.rolling_start_interval_number =
      static_cast<EnIntervalNumber>(proto.rolling_start_interval_number());
  key.rolling_period = static_cast<uint32_t>(proto.rolling_period());
  key.transmission_risk_level = proto.transmission_risk_level();
  key.report_type = static_cast<ReportType>(proto.report_type());
  if (proto.has_days_since_onset_of_symptoms()) {
    key.days_since_onset_of_symptoms = proto.days_since_onset_of_symptoms();
  }
  Status valid = check_diagnosis_key(key);
  if (!valid.ok()) return Status(ErrorCode::kMalformed, valid.message());
  return key;
}

void key_to_proto(const DiagnosisKey& key, pb::TemporaryExposureKey* proto) {
  proto->Clear();
  proto->set_key_data(key.key_data.data(), key.key_data.size());
  proto->set_transmission_risk_level(key.transmission_risk_level);
  if (key.rolling_start_interval_number != 0) {
    proto->set_rolling_start_interval_number(
        static_cast<int32_t>(key.rolling_start_interval_number));
  }
  if (key.rolling_period != kTekRollingPeriod) {
    proto->set_rolling_period(static_cast<int32_t>(key.rolling_period));
  }
  if (key.report_type != ReportType::kUnknown) {
    proto->set_report_type(static_cast<int32_t>(key.report_type));
  }
  if (key.days_since_onset_of_symptoms) {
    proto->set_days_since_onset_of_symptoms(*key.days_since_onset_of_symptoms);
  }
}

SignatureInfo signature_info_from_proto(const pb::SignatureInfo& proto) {
  return {proto.verification_key_id(), proto.verification_key_version(),
          proto.signature_algorithm()};
}

void signature_info_to_proto(const SignatureInfo& info, pb::SignatureInfo* proto) {
  proto->Clear();
  proto->set_verification_key_version(info.key_version);
  proto->set_verification_key_id(info.key_id);
  proto->set_signature_algorithm(info.algorithm);
}

TekSignature tek_signature_from_proto(const pb::TEKSignature& proto) {
  TekSignature s;
  s.info = signature_info_from_proto(proto.signature_info());
  if (proto.has_batch_num()) s.batch_num = proto.batch_num();
  if (proto.has_batch_size()) s.batch_size = proto.batch_size();
  s.signature.assign(proto.signature().begin(), proto.signature().end());
  return s;
}

void tek_signature_to_proto(const TekSignature& signature, pb::TEKSignature* proto) {
  proto->Clear();
  signature_info_to_proto(signature.info, proto->mutable_signature_info());
  if (signature.batch_num) proto->set_batch_num(*signature.batch_num);
  if (signature.batch_size) proto->set_batch_size(*signature.batch_size);
  proto->set_signature(signature.signature.data(), signature.signature.size());
}

}  // namespace exposure::keyfile
