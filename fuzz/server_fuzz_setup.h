// Fixed server-side context for the server's parser targets: a clock reading, the trusted
// certificate key (the public key of tests/data/server-example-2-keys, whose private half
// signs the committed seeds; see make_seeds.py) and the revision-token key.
#pragma once

#include <cstdint>

#include "exposure/crypto.h"
#include "exposure/secure.h"
#include "fuzz_support.h"
#include "publish/certificate_verifier.h"
#include "publish/key_transform.h"

namespace exposure::fuzz {

// 2020-05-20T18:40:00Z: the keys of tests/data/server-example-2-keys.publish.json are recent.
inline constexpr int64_t kServerNow = 1590000000;
inline constexpr const char* kCertificateIssuer = "fuzz-verifier";
inline constexpr const char* kCertificateAudience = "fuzz-keyserver";
inline constexpr const char* kCertificateKid = "v1";

inline crypto::EcPublicKey parse_certificate_public_key() {
  auto parsed = crypto::EcPublicKey::parse(as_bytes(read_test_data("server-example-2-keys.public.pem")));
  require(parsed.ok(), "certificate public key does not parse");
  return std::move(*parsed);
}

inline const crypto::EcPublicKey& certificate_public_key() {
  static const crypto::EcPublicKey key = parse_certificate_public_key();
  return key;
}

inline const server::CertificateVerifier& certificate_verifier() {
  static const server::CertificateVerifier verifier = [] {
    std::vector<server::CertificateVerifier::TrustedKey> keys;
    keys.push_back({kCertificateIssuer, kCertificateAudience, kCertificateKid, parse_certificate_public_key()});
    return server::CertificateVerifier(std::move(keys));
  }();
  return verifier;
}

// Bytes 0, 1, ..., 31 (make_seeds.py seals the seed tokens with it).
inline const SecretArray<32>& revision_token_key() {
  static const SecretArray<32> key = [] {
    std::array<uint8_t, 32> bytes;
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i);
    return SecretArray<32>(bytes);
  }();
  return key;
}

// The server's default settings with a region, as exposure-server starts.
inline server::PublishSettings publish_settings() {
  server::PublishSettings settings;
  settings.default_region = "US";
  return settings;
}

}  // namespace exposure::fuzz
