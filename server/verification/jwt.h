// Compact JWS tokens signed with ES256 (ECDSA P-256 / SHA-256, raw r||s signature), built
// on the crypto facade: verification tokens and verification certificates.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "exposure/bytes.h"
#include "exposure/crypto.h"
#include "exposure/status.h"

namespace exposure::server {

// Longest token accepted for parsing.
inline constexpr size_t kMaxJwtLength = 8192;

// "<b64url header>.<b64url claims>.<b64url signature>" with header
// {"alg":"ES256","kid":kid,"typ":"JWT"}.
std::string sign_jwt(const nlohmann::json& claims, std::string_view kid, const crypto::EcPrivateKey& key);

// A token split and decoded, not yet verified.
struct ParsedJwt {
  nlohmann::json header;  // an object
  nlohmann::json claims;  // an object
  std::string signing_input;  // "<header>.<claims>" as received
  Bytes raw_signature;        // r || s
};

// Splits and decodes a token. kMalformed when it is not three base64url segments, the
// first two are not JSON objects, or the token is longer than kMaxJwtLength.
Result<ParsedJwt> parse_jwt(std::string_view token);

// True when header.alg is "ES256" and the signature verifies under `key`.
bool verify_es256(const ParsedJwt& jwt, const crypto::EcPublicKey& key);

// The time claims as golang-jwt v3 checks them, without leeway and without requiring
// them: exp (now <= exp), iat (iat <= now), nbf (nbf <= now). Numbers may be integers or
// floats; another type fails. kVerificationFailed says which claim failed.
Status check_jwt_times(const nlohmann::json& claims, int64_t now);

// A string claim, or "" when absent or not a string.
std::string string_claim(const nlohmann::json& object, const char* name);

}  // namespace exposure::server
