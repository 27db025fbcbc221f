#include "publish/certificate_verifier.h"

#include <cmath>

#include "exposure/secure.h"
#include "verification/jwt.h"
#include "verification/test_type.h"

namespace exposure::server {
namespace {

Status failed(const std::string& why) { return Status(ErrorCode::kVerificationFailed, why); }

}  // namespace

Result<CertificateClaims> CertificateVerifier::verify(std::string_view certificate, std::span<const TekmacKey> keys,
                                                      std::string_view hmac_key, int64_t now) const {
  auto jwt = parse_jwt(certificate);
  if (!jwt.ok()) return failed("certificate: " + jwt.status().message());
  if (string_claim(jwt->header, "alg") != "ES256") return failed("certificate alg must be ES256");
  std::string kid = string_claim(jwt->header, "kid");
  if (kid.empty()) return failed("certificate header has no kid");
  std::string issuer = string_claim(jwt->claims, "iss");
  const TrustedKey* trusted = nullptr;
  bool issuer_known = false;
  for (const TrustedKey& k : keys_) {
    if (k.issuer != issuer) continue;
    issuer_known = true;
    if (k.kid == kid) trusted = &k;
  }
  if (!issuer_known) return failed("certificate issuer is not trusted");
  if (!trusted) return failed("certificate kid names no key of its issuer");
  if (string_claim(jwt->claims, "aud") != trusted->audience) return failed("certificate audience is wrong");
  if (!verify_es256(*jwt, trusted->key)) return failed("certificate signature does not verify");
  if (Status times = check_jwt_times(jwt->claims, now); !times.ok()) return failed("certificate: " + times.message());

  CertificateClaims claims;
  claims.report_type = string_claim(jwt->claims, "reportType");
  if (!parse_test_type(claims.report_type)) return failed("certificate reportType is unknown");
  auto onset = jwt->claims.find("symptomOnsetInterval");
  if (onset != jwt->claims.end() && onset->is_number()) {
    double v = onset->get<double>();
    if (std::isfinite(v) && v >= 0 && v < 4294967296.0) claims.symptom_onset_interval = static_cast<int64_t>(v);
  }
  auto secret = from_base64(hmac_key);
  if (!secret.ok()) return failed("hmacKey is not base64");
  bool match = tekmac_matches(keys, *secret, string_claim(jwt->claims, "tekmac"));
  secure_wipe(secret->data(), secret->size());
  if (!match) return failed("certificate tekmac does not match the uploaded keys");
  return claims;
}

}  // namespace exposure::server
