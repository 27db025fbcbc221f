#include "verification/jwt.h"

#include <cmath>

#include "common/text.h"

namespace exposure::server {
namespace {

Result<nlohmann::json> decode_segment(std::string_view segment, const char* what) {
  auto bytes = from_base64(segment);
  if (!bytes.ok()) return malformed(std::string("JWT ") + what + " is not base64url");
  try {
    auto value = nlohmann::json::parse(bytes->begin(), bytes->end());
    if (!value.is_object()) return malformed(std::string("JWT ") + what + " is not a JSON object");
    return value;
  } catch (const std::exception&) {
    return malformed(std::string("JWT ") + what + " is not JSON");
  }
}

bool is_base64url(std::string_view s) {
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string sign_jwt(const nlohmann::json& claims, std::string_view kid, const crypto::EcPrivateKey& key) {
  nlohmann::json header = {{"alg", "ES256"}, {"kid", std::string(kid)}, {"typ", "JWT"}};
  std::string input = to_base64url(as_bytes(header.dump())) + "." + to_base64url(as_bytes(claims.dump()));
  Bytes der = key.sign_sha256(as_bytes(input));
  auto raw = crypto::ecdsa_der_to_raw(der);
  if (!raw.ok()) std::abort();  // our own signer always produces a valid DER signature
  return input + "." + to_base64url(*raw);
}

Result<ParsedJwt> parse_jwt(std::string_view token) {
  if (token.size() > kMaxJwtLength) return malformed("JWT longer than " + std::to_string(kMaxJwtLength) + " bytes");
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return malformed("JWT must have three dot-separated segments");
  }
  std::string_view h = token.substr(0, first), c = token.substr(first + 1, second - first - 1),
                   s = token.substr(second + 1);
  if (h.empty() || c.empty() || s.empty() || !is_base64url(h) || !is_base64url(c) || !is_base64url(s)) {
    return malformed("JWT segments must be non-empty base64url");
  }
  ParsedJwt jwt;
  auto header = decode_segment(h, "header");
  if (!header.ok()) return header.status();
  auto claims = decode_segment(c, "claims");
  if (!claims.ok()) return claims.status();
  auto signature = from_base64(s);
  if (!signature.ok()) return malformed("JWT signature is not base64url");
  jwt.header = std::move(*header);
  jwt.claims = std::move(*claims);
  jwt.signing_input = std::string(token.substr(0, second));
  jwt.raw_signature = std::move(*signature);
  return jwt;
}

bool verify_es256(const ParsedJwt& jwt, const crypto::EcPublicKey& key) {
  if (string_claim(jwt.header, "alg") != "ES256") return false;
  auto der = crypto::ecdsa_raw_to_der(jwt.raw_signature);
  if (!der.ok()) return false;
  return key.verify_sha256(as_bytes(jwt.signing_input), *der);
}

Status check_jwt_times(const nlohmann::json& claims, int64_t now) {
  struct Check {
    const char* name;
    bool (*ok)(double value, double now);
    const char* failure;
  };
  static const Check kChecks[] = {
      {"exp", [](double v, double n) { return n <= v; }, "token is expired"},
      {"iat", [](double v, double n) { return v <= n; }, "token used before issued"},
      {"nbf", [](double v, double n) { return v <= n; }, "token is not valid yet"},
  };
  for (const Check& check : kChecks) {
    auto it = claims.find(check.name);
    if (it == claims.end() || it->is_null()) continue;
    if (!it->is_number() || !std::isfinite(it->get<double>())) {
      return Status(ErrorCode::kVerificationFailed, std::string("claim ") + check.name + " is not a number");
    }
    if (!check.ok(it->get<double>(), static_cast<double>(now))) {
      return Status(ErrorCode::kVerificationFailed, check.failure);
    }
  }
  return Status::Ok();
}

std::string string_claim(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace exposure::server
