// Checks a verification certificate on /v1/publish (Google's server API): an ES256 JWT
// whose iss names a trusted verifier, aud equals that verifier's audience, kid names one of
// its keys, time claims hold, reportType is known and tekmac matches the uploaded keys.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/crypto.h"
#include "exposure/status.h"
#include "publish/tekmac.h"

namespace exposure::server {

struct CertificateClaims {
  std::string report_type;  // confirmed | likely | negative | user-report
  std::optional<int64_t> symptom_onset_interval;
};

class CertificateVerifier {
 public:
  struct TrustedKey {
    std::string issuer;
    std::string audience;
    std::string kid;
    crypto::EcPublicKey key;
  };
  explicit CertificateVerifier(std::vector<TrustedKey> keys) : keys_(std::move(keys)) {}

  // The certificate's claims, or kVerificationFailed naming the first check that failed.
  Result<CertificateClaims> verify(std::string_view certificate, std::span<const TekmacKey> keys,
                                   std::string_view hmac_key, int64_t now) const;

 private:
  std::vector<TrustedKey> keys_;
};

}  // namespace exposure::server
