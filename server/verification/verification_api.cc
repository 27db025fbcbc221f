#include "verification/verification_api.h"

#include "common/text.h"
#include "http/json_fields.h"

namespace exposure::server {

Result<IssueRequest> parse_issue_request(std::string_view body) {
  auto json = parse_json_object(body);
  if (!json.ok()) return json.status();
  IssueRequest r;
  FieldReader f(*json, "");
  std::string padding;
  f.read("testType", &r.test_type);
  f.read("symptomDate", &r.symptom_date);
  f.read("testDate", &r.test_date);
  f.read("tzOffset", &r.tz_offset_minutes);
  f.read("phone", &r.phone);
  f.read("smsTemplateLabel", &r.sms_template_label);
  f.read("uuid", &r.uuid);
  f.read("externalIssuerID", &r.external_issuer_id);
  f.read("onlyGenerateSMS", &r.only_generate_sms);
  f.read("padding", &padding);
  EXPOSURE_RETURN_IF_ERROR(f.finish());
  return r;
}

Result<VerifyRequest> parse_verify_request(std::string_view body) {
  auto json = parse_json_object(body);
  if (!json.ok()) return json.status();
  VerifyRequest r;
  FieldReader f(*json, "");
  std::string padding;
  f.read("code", &r.code);
  f.read("accept", &r.accept);
  f.read("nonce", &r.nonce);
  f.read("padding", &padding);
  EXPOSURE_RETURN_IF_ERROR(f.finish());
  return r;
}

Result<CertificateRequest> parse_certificate_request(std::string_view body) {
  auto json = parse_json_object(body);
  if (!json.ok()) return json.status();
  CertificateRequest r;
  FieldReader f(*json, "");
  std::string padding;
  f.read("token", &r.token);
  f.read("ekeyhmac", &r.ekeyhmac);
  f.read("padding", &padding);
  EXPOSURE_RETURN_IF_ERROR(f.finish());
  return r;
}

nlohmann::json to_json(const IssueReply& r) {
  return {{"uuid", r.uuid},
          {"code", r.code},
          {"expiresAt", format_rfc1123(r.expires_at)},
          {"expiresAtTimestamp", r.expires_at},
          {"longExpiresAt", format_rfc1123(r.long_expires_at)},
          {"longExpiresAtTimestamp", r.long_expires_at}};
}

nlohmann::json to_json(const VerifyReply& r) {
  nlohmann::json out = {{"testtype", r.test_type}, {"token", r.token}};
  if (!r.symptom_date.empty()) out["symptomDate"] = r.symptom_date;
  if (!r.test_date.empty()) out["testDate"] = r.test_date;
  return out;
}

nlohmann::json to_json(const CertificateReply& r) { return {{"certificate", r.certificate}}; }

}  // namespace exposure::server
