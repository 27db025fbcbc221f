// Verification certificates (compact ES256 JWS) -> parse_jwt, verify_es256, check_jwt_times
// and CertificateVerifier::verify with a real trusted key.
//
// The first input byte picks the mode. Odd: the rest is the certificate text, as a client
// sends it. Even: the rest is "<header JSON>\n<claims JSON>" which the target signs with the
// trusted private key, so the claim checks behind the signature (issuer, audience, kid,
// times, reportType, symptomOnsetInterval, tekmac) are fuzzed too; such a certificate must
// parse and its signature must verify.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/text.h"
#include "server_fuzz_setup.h"
#include "verification/jwt.h"

namespace {

// The keys of tests/data/server-example-2-keys.publish.json (the seeds' tekmac covers them).
const std::vector<exposure::server::TekmacKey> kUploadedKeys = {
    {"Fy/EgOWYSQw0F3YEM5sVQw==", 2649980, 1, 8},
    {"K2MFOsSDI43hdhaehh89zQ==", 2649866, 114, 1},
};
// base64 of 32 bytes 0x2a: the hmacKey the seeds' tekmac was computed with.
constexpr const char* kHmacKey = "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=";

const exposure::crypto::EcPrivateKey& signing_key() {
  static const exposure::crypto::EcPrivateKey key = [] {
    auto parsed = exposure::crypto::EcPrivateKey::parse_pem(
        exposure::fuzz::read_test_data("server-example-2-keys.private.pem"));
    exposure::fuzz::require(parsed.ok(), "certificate private key does not parse");
    return std::move(*parsed);
  }();
  return key;
}

// "<b64url header>.<b64url claims>.<b64url r||s>" over the given segments' bytes.
std::string sign_segments(std::string_view header, std::string_view claims) {
  using namespace exposure;
  std::string input = server::to_base64url(as_bytes(header)) + "." + server::to_base64url(as_bytes(claims));
  auto raw = crypto::ecdsa_der_to_raw(signing_key().sign_sha256(as_bytes(input)));
  if (!raw.ok()) std::abort();
  return input + "." + server::to_base64url(*raw);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  exposure::fuzz::certificate_public_key();
  signing_key();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exposure;
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string certificate;
  bool signed_here = (data[0] & 1) == 0;
  if (signed_here) {
    size_t newline = rest.find('\n');
    if (newline == std::string_view::npos || rest.size() > server::kMaxJwtLength / 2) return 0;
    certificate = sign_segments(rest.substr(0, newline), rest.substr(newline + 1));
  } else {
    certificate = std::string(rest);
  }

  auto jwt = server::parse_jwt(certificate);
  if (jwt.ok()) {
    if (!jwt->header.is_object() || !jwt->claims.is_object()) std::abort();
    bool verifies = server::verify_es256(*jwt, fuzz::certificate_public_key());
    if (signed_here && server::string_claim(jwt->header, "alg") == "ES256" && !verifies) std::abort();
    (void)server::check_jwt_times(jwt->claims, fuzz::kServerNow);
  } else if (jwt.status().message().empty()) {
    std::abort();
  }
  auto claims = fuzz::certificate_verifier().verify(certificate, kUploadedKeys, kHmacKey, fuzz::kServerNow);
  if (claims.ok() && !jwt.ok()) std::abort();
  if (!claims.ok() && claims.status().message().empty()) std::abort();
  return 0;
}
