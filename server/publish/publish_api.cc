#include "publish/publish_api.h"

#include "http/json_fields.h"

namespace exposure::server {

Result<PublishRequest> parse_publish_request(std::string_view body) {
  auto json = parse_json_object(body);
  if (!json.ok()) return json.status();
  PublishRequest r;
  FieldReader f(*json, "");
  std::string padding;
  if (const nlohmann::json* keys = f.read_array("temporaryExposureKeys")) {
    for (size_t i = 0; i < keys->size(); ++i) {
      FieldReader k((*keys)[i], "temporaryExposureKeys[" + std::to_string(i) + "]");
      TekmacKey key;
      int32_t start = 0, period = 0, risk = 0;
      k.read("key", &key.key);
      k.read("rollingStartNumber", &start);
      k.read("rollingPeriod", &period);
      k.read("transmissionRisk", &risk);
      EXPOSURE_RETURN_IF_ERROR(k.finish());
      key.rolling_start_number = start;
      key.rolling_period = period;
      key.transmission_risk = risk;
      r.keys.push_back(std::move(key));
    }
  }
  f.read("healthAuthorityID", &r.health_authority_id);
  f.read("verificationPayload", &r.verification_payload);
  f.read("hmacKey", &r.hmac_key);
  f.read("symptomOnsetInterval", &r.symptom_onset_interval);
  f.read("traveler", &r.traveler);
  f.read("revisionToken", &r.revision_token);
  f.read("padding", &padding);
  EXPOSURE_RETURN_IF_ERROR(f.finish());
  return r;
}

nlohmann::json to_json(const PublishReply& r) {
  nlohmann::json out = nlohmann::json::object();
  if (!r.revision_token.empty()) out["revisionToken"] = r.revision_token;
  if (r.inserted_exposures != 0) out["insertedExposures"] = r.inserted_exposures;
  if (!r.code.empty()) out["code"] = r.code;
  if (!r.error.empty()) out["error"] = r.error;
  if (!r.warnings.empty()) out["warnings"] = r.warnings;
  return out;
}

}  // namespace exposure::server
