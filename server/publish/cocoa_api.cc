#include "publish/cocoa_api.h"

#include "exposure/interval.h"
#include "http/json_fields.h"

namespace exposure::server {

Result<CocoaDiagnosisRequest> parse_cocoa_request(std::string_view body) {
  auto json = parse_json_object(body);
  if (!json.ok()) return json.status();
  CocoaDiagnosisRequest r;
  FieldReader f(*json, "");
  std::string padding, idempotency_snake;
  if (const nlohmann::json* keys = f.read_array("keys")) {
    for (size_t i = 0; i < keys->size(); ++i) {
      FieldReader k((*keys)[i], "keys[" + std::to_string(i) + "]");
      CocoaKey key;
      int32_t dsos = 0;
      k.read("keyData", &key.key_data);
      k.read("rollingStartNumber", &key.rolling_start_number);
      k.read("rollingPeriod", &key.rolling_period);
      k.read("transmissionRisk", &key.transmission_risk);
      k.read("reportType", &key.report_type);
      if (k.read("daysSinceOnsetOfSymptoms", &dsos)) key.days_since_onset = dsos;
      EXPOSURE_RETURN_IF_ERROR(k.finish());
      r.keys.push_back(std::move(key));
    }
  }
  bool has_symptom = false;
  f.read("regions", &r.regions);
  f.read("subRegions", &r.sub_regions);
  f.read("platform", &r.platform);
  f.read("deviceVerificationPayload", &r.device_verification_payload);
  f.read("appPackageName", &r.app_package_name);
  f.read("verificationPayload", &r.verification_payload);
  f.read("idempotencyKey", &r.idempotency_key);
  f.read("idempotency_key", &idempotency_snake);
  f.read("padding", &padding);
  f.read("symptomOnsetDate", &r.symptom_onset_date);
  if (f.read("hasSymptom", &has_symptom)) r.has_symptom = has_symptom;
  f.read("onsetOfSymptomOrTestDate", &r.onset_of_symptom_or_test_date);
  EXPOSURE_RETURN_IF_ERROR(f.finish());
  if (r.idempotency_key.empty()) r.idempotency_key = idempotency_snake;
  return r;
}

std::vector<TekmacKey> cocoa_keys_for_validation(const CocoaDiagnosisRequest& request) {
  std::vector<TekmacKey> out;
  for (const CocoaKey& k : request.keys) {
    out.push_back(TekmacKey{k.key_data, k.rolling_start_number,
                            k.rolling_period == 0 ? int64_t{kTekRollingPeriod} : k.rolling_period,
                            k.transmission_risk});
  }
  return out;
}

nlohmann::json to_json(const CocoaReply& r) {
  nlohmann::json out = {{"insertedExposures", r.inserted_exposures}};
  if (!r.code.empty()) out["code"] = r.code;
  if (!r.error.empty()) out["error"] = r.error;
  if (!r.warnings.empty()) out["warnings"] = r.warnings;
  return out;
}

}  // namespace exposure::server
