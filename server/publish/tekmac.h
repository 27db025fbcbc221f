// tekmac: the HMAC that binds a verification certificate to the uploaded keys
// (server-api.md §5, the reference server's CalculateAllAllowedExposureKeyHMAC).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "exposure/bytes.h"
#include "exposure/crypto.h"

namespace exposure::server {

// A key as sent in the request: the base64 text exactly as received.
struct TekmacKey {
  std::string key;
  int64_t rolling_start_number = 0;
  int64_t rolling_period = 0;
  int64_t transmission_risk = 0;
};

// The HMAC message: keys sorted by their base64 text (byte-wise), each as
// "<key>.<start>.<period>.<risk>" (or without ".<risk>"), joined with ",".
std::string tekmac_cleartext(std::span<const TekmacKey> keys, bool include_transmission_risk);

// HMAC-SHA256(secret, cleartext).
crypto::Digest256 compute_tekmac(std::span<const TekmacKey> keys, ByteView secret, bool include_transmission_risk);

// True when `tekmac` (base64, tolerant) equals the HMAC of the keys, or, when every
// transmission risk is 0, the HMAC of the form without risks. Constant-time comparison.
bool tekmac_matches(std::span<const TekmacKey> keys, ByteView secret, std::string_view tekmac);

}  // namespace exposure::server
