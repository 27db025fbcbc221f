// A /v1/publish body -> what the server does before touching storage: the strict JSON
// decode (parse_publish_request), the verification certificate with its tekmac
// (CertificateVerifier), the revision token (open_revision_token) and the key validation
// and shaping (transform_upload). A request that decodes must re-encode to one that
// decodes to the same values.
#include <cstdint>
#include <cstdlib>

#include "publish/publish_api.h"
#include "publish/revision_token.h"
#include "server_fuzz_setup.h"

namespace {

bool same_request(const exposure::server::PublishRequest& a, const exposure::server::PublishRequest& b) {
  if (a.keys.size() != b.keys.size()) return false;
  for (size_t i = 0; i < a.keys.size(); ++i) {
    const auto &x = a.keys[i], &y = b.keys[i];
    if (x.key != y.key || x.rolling_start_number != y.rolling_start_number ||
        x.rolling_period != y.rolling_period || x.transmission_risk != y.transmission_risk) {
      return false;
    }
  }
  return a.health_authority_id == b.health_authority_id && a.verification_payload == b.verification_payload &&
         a.hmac_key == b.hmac_key && a.symptom_onset_interval == b.symptom_onset_interval &&
         a.traveler == b.traveler && a.revision_token == b.revision_token;
}

nlohmann::json to_json(const exposure::server::PublishRequest& r) {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : r.keys) {
    keys.push_back({{"key", k.key},
                    {"rollingStartNumber", k.rolling_start_number},
                    {"rollingPeriod", k.rolling_period},
                    {"transmissionRisk", k.transmission_risk}});
  }
  return {{"temporaryExposureKeys", keys}, {"healthAuthorityID", r.health_authority_id},
          {"verificationPayload", r.verification_payload}, {"hmacKey", r.hmac_key},
          {"symptomOnsetInterval", r.symptom_onset_interval}, {"traveler", r.traveler},
          {"revisionToken", r.revision_token}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exposure;
  auto request = server::parse_publish_request(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!request.ok()) {
    if (request.status().message().empty()) std::abort();
    return 0;
  }
  // Invalid UTF-8 cannot have decoded, so the request always re-encodes.
  auto again = server::parse_publish_request(to_json(*request).dump());
  if (!again.ok() || !same_request(*request, *again)) std::abort();

  auto claims = fuzz::certificate_verifier().verify(request->verification_payload, request->keys, request->hmac_key,
                                                    fuzz::kServerNow);
  if (!request->revision_token.empty()) {
    (void)server::open_revision_token(request->revision_token, fuzz::revision_token_key(),
                                      fuzz::publish_settings().revision_token_aad);
  }
  server::UploadContext ctx;
  ctx.regions = {"US"};
  ctx.traveler = request->traveler;
  ctx.report_type = claims.ok() ? claims->report_type : "confirmed";
  if (request->symptom_onset_interval != 0) ctx.request_onset_interval = request->symptom_onset_interval;
  if (claims.ok()) ctx.certificate_onset_interval = claims->symptom_onset_interval;
  auto upload = server::transform_upload(request->keys, ctx, fuzz::kServerNow, fuzz::publish_settings());
  if (upload.ok()) {
    if (upload->exposures.empty() || upload->exposures.size() > request->keys.size()) std::abort();
  } else if (upload.error().http_status != 400 || upload.error().message.empty()) {
    std::abort();
  }
  return 0;
}
