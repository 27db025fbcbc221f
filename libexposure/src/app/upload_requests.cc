// The upload's requests and replies (exposure/app.h, "The upload requests and replies").
#include <nlohmann/json.hpp>

#include "app/messages.h"
#include "exposure/app.h"
#include "exposure/crypto.h"
#include "exposure/tekmac.h"

namespace exposure::app {

using nlohmann::json;
using namespace app_internal;

namespace {

std::vector<TekmacKey> tekmac_keys(std::span<const UploadKey> keys) {
  std::vector<TekmacKey> out;
  out.reserve(keys.size());
  for (const UploadKey& k : keys) out.push_back({to_base64(k.key), k.start, k.period, k.transmission_risk});
  return out;
}

// The JSON object of a 200 reply, or the error (filling `server_error`).
Result<json> reply_object(std::string_view step, const HttpResponse& response, ServerError* server_error) {
  ServerError error;
  Status status = reply_status(step, response, &error);
  if (!status.ok()) {
    if (server_error != nullptr) *server_error = error;
    return status;
  }
  return json_object(step, response);
}

}  // namespace

std::vector<UploadKey> upload_keys(std::span<const TemporaryExposureKey> keys, int32_t transmission_risk) {
  std::vector<UploadKey> out;
  out.reserve(keys.size());
  for (const TemporaryExposureKey& k : keys) {
    out.push_back({k.key_data.array(), k.rolling_start_interval_number, k.rolling_period, transmission_risk});
  }
  return out;
}

std::string ekeyhmac(std::span<const UploadKey> keys, ByteView secret) {
  return to_base64(compute_tekmac(tekmac_keys(keys), secret, true));
}

HttpRequest verify_request(std::string_view code, const UploadOptions& options) {
  return json_request("POST", options.verify_path, padded_body({{"code", code}}, kVerifyBodyBytes));
}

HttpRequest certificate_request(std::string_view token, std::string_view ekeyhmac_text, const UploadOptions& options) {
  return json_request("POST", options.certificate_path,
                      padded_body({{"token", token}, {"ekeyhmac", ekeyhmac_text}}, kCertificateBodyBytes));
}

HttpRequest publish_request(std::span<const UploadKey> keys, std::string_view certificate, ByteView hmac_secret,
                            std::string_view revision_token, const UploadOptions& options) {
  json list = json::array();
  for (const TekmacKey& k : tekmac_keys(keys)) {
    list.push_back({{"key", k.key},
                    {"rollingStartNumber", k.rolling_start_number},
                    {"rollingPeriod", k.rolling_period},
                    {"transmissionRisk", k.transmission_risk}});
  }
  json body = {{"temporaryExposureKeys", std::move(list)},
               {"healthAuthorityID", options.app_id},
               {"verificationPayload", certificate},
               {"hmacKey", to_base64(hmac_secret)}};
  if (!revision_token.empty()) body["revisionToken"] = revision_token;
  return json_request("POST", options.publish_path, padded_body(std::move(body), kPublishBodyBytes));
}

HttpRequest cocoa_request(std::span<const UploadKey> keys, const UploadOptions& options) {
  json list = json::array();
  for (const TekmacKey& k : tekmac_keys(keys)) {
    list.push_back({{"keyData", k.key},
                    {"rollingStartNumber", k.rolling_start_number},
                    {"rollingPeriod", k.rolling_period},
                    {"transmissionRisk", k.transmission_risk},
                    {"reportType", 1}});
  }
  Bytes idempotency(16);
  crypto::random_bytes(idempotency);
  json body = {{"keys", std::move(list)},
               {"regions", options.regions},
               {"platform", options.platform},
               {"deviceVerificationPayload", "device-check-token"},
               {"appPackageName", options.app_id},
               {"verificationPayload", options.code},
               {"idempotencyKey", to_hex(idempotency)}};
  if (!options.onset_date.empty()) body["onsetOfSymptomOrTestDate"] = options.onset_date;
  return json_request("PUT", options.cocoa_path, padded_body(std::move(body), kCocoaBodyBytes));
}

Result<VerifyReply> parse_verify_reply(const HttpResponse& response, ServerError* server_error) {
  auto body = reply_object("verify", response, server_error);
  if (!body.ok()) return body.status();
  auto token = string_member("verify", *body, "token");
  if (!token.ok()) return token.status();
  return VerifyReply{std::move(*token), body->value("testtype", std::string())};
}

Result<std::string> parse_certificate_reply(const HttpResponse& response, ServerError* server_error) {
  auto body = reply_object("certificate", response, server_error);
  if (!body.ok()) return body.status();
  return string_member("certificate", *body, "certificate");
}

Result<PublishReply> parse_publish_reply(std::string_view step, const HttpResponse& response,
                                         ServerError* server_error) {
  auto body = reply_object(step, response, server_error);
  if (!body.ok()) return body.status();
  // insertedExposures is left out when it is 0 (as Google's server does).
  auto inserted = body->find("insertedExposures");
  if (inserted != body->end() && !inserted->is_number_integer()) {
    return malformed(std::string(step) + ": 'insertedExposures' is not an integer");
  }
  PublishReply out;
  out.inserted = inserted != body->end() ? inserted->get<int64_t>() : 0;
  out.revision_token = body->value("revisionToken", std::string());
  out.code = body->value("code", std::string());
  if (auto w = body->find("warnings"); w != body->end() && w->is_array()) {
    for (const json& text : *w) {
      if (text.is_string()) out.warnings.push_back(text.get<std::string>());
    }
  }
  return out;
}

}  // namespace exposure::app
