// tekmac (also "ekeyhmac"): the HMAC-SHA256 that binds a verification certificate to the keys
// an app uploads. The app computes it under a random secret and sends it to /api/certificate;
// the key server recomputes it from the published keys and the secret (hmacKey) and compares.
// The message is the keys sorted by their base64 text (byte-wise), each written
// "<base64 key>.<rollingStartNumber>.<rollingPeriod>.<transmissionRisk>" (or without the
// last part), joined with "," — as Google's exposure-notifications-server computes it.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "exposure/bytes.h"
#include "exposure/crypto.h"

namespace exposure {

// A key as the HMAC message writes it: the base64 text exactly as sent.
struct TekmacKey {
  std::string key;
  int64_t rolling_start_number = 0;
  int64_t rolling_period = 0;
  int64_t transmission_risk = 0;
};

// The HMAC message (see above).
std::string tekmac_cleartext(std::span<const TekmacKey> keys, bool include_transmission_risk);

// HMAC-SHA256(secret, tekmac_cleartext(keys, include_transmission_risk)).
crypto::Digest256 compute_tekmac(std::span<const TekmacKey> keys, ByteView secret, bool include_transmission_risk);

}  // namespace exposure
