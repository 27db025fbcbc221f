#include "verification/verification_service.h"

#include <set>

#include "common/text.h"
#include "verification/jwt.h"
#include "verification/test_type.h"

namespace exposure::server {
namespace {

constexpr size_t kCodeDigits = 8;
constexpr int kCodeDrawAttempts = 10;
constexpr int32_t kMaxTzOffsetMinutes = 14 * 60;

bool is_short_code(std::string_view code) {
  if (code.size() != kCodeDigits) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string subject_of(std::string_view type, std::string_view symptom_date, std::string_view test_date) {
  return std::string(type) + "." + std::string(symptom_date) + "." + std::string(test_date);
}

// Checks an optional YYYY-MM-DD date against the issuer's local today (tz offset applied).
std::optional<ApiError> check_date(const char* field, const std::string& date, int64_t now, int32_t tz_offset,
                                   int64_t max_days_back) {
  if (date.empty()) return std::nullopt;
  auto day = parse_iso_date(date);
  if (!day.ok()) return api_error(400, "invalid_date", std::string(field) + ": " + day.status().message());
  int64_t today = floor_div(now + int64_t{tz_offset} * 60, 86400);
  if (*day > today) return api_error(400, "invalid_date", std::string(field) + " " + date + " is in the future");
  if (*day < today - max_days_back) {
    return api_error(400, "invalid_date",
                     std::string(field) + " " + date + " is more than " + std::to_string(max_days_back) + " days ago");
  }
  return std::nullopt;
}

std::string fake_jwt(size_t claims_bytes) {
  return random_base64url(40) + "." + random_base64url(claims_bytes) + "." + random_base64url(64);
}

}  // namespace

Result<JwtSigner> load_or_create_jwt_signer(Storage& storage, const ServerSecrets& secrets, std::string_view purpose,
                                            std::string_view kid_if_new, int64_t now) {
  std::optional<JwtKeyRecord> record;
  Status st = storage.transaction([&](Transaction& tx) -> Status {
    auto found = tx.verification().find_jwt_key(purpose);
    if (!found.ok()) return found.status();
    if (*found) {
      record = std::move(**found);
      return Status::Ok();
    }
    auto key = crypto::EcPrivateKey::generate();
    std::string pem = key.pem();
    JwtKeyRecord fresh{std::string(purpose), std::string(kid_if_new), secrets.seal(pem, "jwt-key"), now};
    secure_wipe(pem.data(), pem.size());
    EXPOSURE_RETURN_IF_ERROR(tx.verification().insert_jwt_key(fresh));
    record = std::move(fresh);
    return Status::Ok();
  });
  EXPOSURE_RETURN_IF_ERROR(st);
  auto pem = secrets.open(record->sealed_private_key, "jwt-key");
  if (!pem.ok()) return pem.status();
  auto key = crypto::EcPrivateKey::parse_pem(*pem);
  secure_wipe(pem->data(), pem->size());
  if (!key.ok()) return Status(ErrorCode::kCorrupt, "stored " + std::string(purpose) + " key: " + key.status().message());
  return JwtSigner{record->kid, std::move(*key)};
}

VerificationService::VerificationService(Storage& storage, const Clock& clock, const ServerSecrets& secrets,
                                         JwtSigner token_signer, JwtSigner certificate_signer,
                                         VerificationSettings settings)
    : storage_(storage),
      clock_(clock),
      secrets_(secrets),
      token_signer_(std::move(token_signer)),
      certificate_signer_(std::move(certificate_signer)),
      token_public_key_(token_signer_.key.public_key()),
      settings_(std::move(settings)) {}

ApiResult<IssueReply> VerificationService::issue(std::string_view api_key, const IssueRequest& request) {
  const int64_t now = clock_.now_unix_seconds();
  if (api_key.empty()) return api_error(401, "unauthorized", "missing X-API-Key header");
  Hash key_hash = secrets_.api_key_hash(api_key);
  std::optional<HealthAuthority> authority;
  Status st = storage_.read([&](Transaction& tx) -> Status {
    auto found = tx.verification().find_health_authority_by_key(key_hash);
    if (!found.ok()) return found.status();
    authority = *found;
    return Status::Ok();
  });
  if (!st.ok()) return internal_failure("issue: load health authority", st);
  if (!authority) return api_error(401, "unauthorized", "invalid API key");

  auto type = parse_test_type(request.test_type);
  if (!type || (*type == TestType::kUserReport && !settings_.allow_user_report_codes)) {
    return api_error(400, "invalid_test_type", "testType must be confirmed, likely or negative");
  }
  if (request.tz_offset_minutes < -kMaxTzOffsetMinutes || request.tz_offset_minutes > kMaxTzOffsetMinutes) {
    return api_error(400, "unparsable_request", "tzOffset must be within -840..840 minutes");
  }
  if (!request.phone.empty() || request.only_generate_sms) {
    return api_error(400, "sms_not_configured", "this server does not send SMS; leave phone empty");
  }
  for (auto [field, date] : {std::pair{"symptomDate", &request.symptom_date}, std::pair{"testDate", &request.test_date}}) {
    if (auto error = check_date(field, *date, now, request.tz_offset_minutes, settings_.allowed_past_symptom_days)) {
      return *error;
    }
  }
  std::string uuid = request.uuid;
  if (uuid.empty()) {
    uuid = random_uuid();
  } else if (uuid.size() > 64) {
    return api_error(400, "unparsable_request", "uuid longer than 64 characters");
  }

  VerificationCode code;
  code.uuid = uuid;
  code.health_authority_id = authority->id;
  code.test_type = test_type_name(*type);
  code.symptom_date = request.symptom_date;
  code.test_date = request.test_date;
  code.issued_at = now;
  code.expires_at = now + settings_.code_ttl_seconds;
  for (int attempt = 0; attempt < kCodeDrawAttempts; ++attempt) {
    std::string text = random_digits(kCodeDigits);
    code.code_hash = secrets_.code_hash(text);
    st = storage_.transaction([&](Transaction& tx) { return tx.verification().insert_code(code); });
    if (st.ok()) return IssueReply{uuid, text, code.expires_at, code.expires_at};
    if (st.code() != ErrorCode::kAlreadyExists) return internal_failure("issue: store code", st);
  }
  return api_error(429, "quota_exceeded", "no free verification code; retry later");
}

std::optional<ApiError> VerificationService::check_failure_budget(int64_t now) {
  int64_t failures = 0;
  Status st = storage_.read([&](Transaction& tx) -> Status {
    auto count = tx.verification().code_failures(floor_to(now, 60));
    if (!count.ok()) return count.status();
    failures = *count;
    return Status::Ok();
  });
  if (!st.ok()) return internal_failure("verify: read failure counter", st);
  if (failures >= settings_.code_failures_per_minute) {
    return api_error(429, "quota_exceeded", "too many failed code attempts; retry in a minute");
  }
  return std::nullopt;
}

void VerificationService::count_code_failure(int64_t now) {
  Status st = storage_.transaction([&](Transaction& tx) -> Status {
    auto count = tx.verification().count_code_failure(floor_to(now, 60));
    return count.ok() ? Status::Ok() : count.status();
  });
  if (!st.ok()) log_error("verify: count failure: " + st.to_string());
}

TxResult<VerificationCode> VerificationService::claim_code_in(Transaction& tx, std::string_view text, int64_t now) {
  if (!is_short_code(text)) return api_error(400, "code_invalid", "verification code must be 8 digits");
  auto found = tx.verification().find_code(secrets_.code_hash(text));
  if (!found.ok()) return found.status();
  if (!*found) return api_error(400, "code_not_found", "verification code not found");
  const VerificationCode& code = **found;
  if (code.claimed_at) return api_error(400, "code_invalid", "verification code already used");
  if (code.expires_at <= now) return api_error(400, "code_expired", "verification code expired");
  Status st = tx.verification().claim_code(code.code_hash, now);
  if (st.code() == ErrorCode::kFailedPrecondition) return api_error(400, "code_invalid", "verification code already used");
  if (!st.ok()) return st;
  return code;
}

ApiResult<VerifyReply> VerificationService::verify(const VerifyRequest& request) {
  const int64_t now = clock_.now_unix_seconds();
  if (settings_.maintenance_mode) return api_error(429, "maintenance_mode", "verification is in maintenance mode");
  if (auto error = check_failure_budget(now)) return *error;
  auto reply = verify_code(request, now);
  if (!reply.ok() && (reply.error().code == "code_not_found" || reply.error().code == "code_invalid")) {
    count_code_failure(now);
  }
  return reply;
}

ApiResult<VerifyReply> VerificationService::verify_code(const VerifyRequest& request, int64_t now) {
  auto accepted = expand_accept_list(request.accept);
  if (!accepted.ok()) return api_error(400, "invalid_test_type", accepted.status().message());

  // The reply and the token's claims, signed once the token is stored.
  struct Claimed {
    VerifyReply reply;
    nlohmann::json claims;
  };
  auto claimed = api_transaction(storage_, "verify: claim code", [&](Transaction& tx) -> TxResult<Claimed> {
    auto code = claim_code_in(tx, request.code, now);
    if (!code.ok()) return std::move(code).failure();
    auto type = parse_test_type(code->test_type);
    if (!type || !accepted->count(*type)) {
      // Refused: rolls back, so the code stays usable.
      return api_error(412, "unsupported_test_type", "the app does not accept test type " + code->test_type);
    }
    std::string token_id;
    {
      Bytes id(96);
      crypto::random_bytes(id);
      token_id = to_base64(id);
      while (!token_id.empty() && token_id.back() == '=') token_id.pop_back();
    }
    VerificationToken token;
    token.token_hash = secrets_.token_hash(token_id);
    token.health_authority_id = code->health_authority_id;
    token.test_type = code->test_type;
    token.symptom_date = code->symptom_date;
    token.test_date = code->test_date;
    token.issued_at = now;
    token.expires_at = now + settings_.token_ttl_seconds;
    if (Status st = tx.verification().insert_token(token); !st.ok()) return st;
    return Claimed{VerifyReply{token.test_type, token.symptom_date, token.test_date, ""},
                   {{"iss", settings_.token_issuer},
                    {"aud", settings_.token_issuer},
                    {"iat", now},
                    {"exp", token.expires_at},
                    {"jti", token_id},
                    {"sub", subject_of(token.test_type, token.symptom_date, token.test_date)}}};
  });
  if (!claimed.ok()) return claimed.error();
  // Signed outside the transaction: the body runs with the database's writer lock held,
  // for every request batched with it.
  claimed->reply.token = sign_jwt(claimed->claims, token_signer_.kid, token_signer_.key);
  return claimed->reply;
}

ApiResult<CertificateReply> VerificationService::certificate(const CertificateRequest& request) {
  const int64_t now = clock_.now_unix_seconds();
  auto jwt = parse_jwt(request.token);
  if (!jwt.ok()) return api_error(400, "token_invalid", "token: " + jwt.status().message());
  if (string_claim(jwt->header, "kid") != token_signer_.kid || !verify_es256(*jwt, token_public_key_)) {
    return api_error(400, "token_invalid", "token signature does not verify");
  }
  if (string_claim(jwt->claims, "iss") != settings_.token_issuer ||
      string_claim(jwt->claims, "aud") != settings_.token_issuer) {
    return api_error(400, "token_invalid", "token issuer or audience is wrong");
  }
  if (Status times = check_jwt_times(jwt->claims, now); !times.ok()) {
    return api_error(400, "token_invalid", "token: " + times.message());
  }
  auto hmac = from_base64(request.ekeyhmac);
  if (!hmac.ok() || hmac->size() != 32) return api_error(400, "hmac_invalid", "ekeyhmac must be base64 of 32 bytes");

  std::string token_id = string_claim(jwt->claims, "jti");
  Hash token_hash = secrets_.token_hash(token_id);
  std::optional<VerificationToken> token;
  Status st = storage_.read([&](Transaction& tx) -> Status {
    auto found = tx.verification().find_token(token_hash);
    if (!found.ok()) return found.status();
    token = *found;
    return Status::Ok();
  });
  if (!st.ok()) return internal_failure("certificate: load token", st);
  if (token_id.empty() || !token || token->used_at || token->expires_at < now ||
      string_claim(jwt->claims, "sub") != subject_of(token->test_type, token->symptom_date, token->test_date)) {
    return api_error(400, "token_expired", "token expired, already used or unknown");
  }

  nlohmann::json claims = {{"iss", settings_.certificate_issuer},
                           {"aud", settings_.certificate_audience},
                           {"iat", now - settings_.allowed_clock_skew_seconds},
                           {"nbf", now - settings_.allowed_clock_skew_seconds},
                           {"exp", now + settings_.certificate_ttl_seconds},
                           {"reportType", token->test_type},
                           {"tekmac", request.ekeyhmac}};
  if (!token->symptom_date.empty()) {
    auto day = parse_iso_date(token->symptom_date);
    if (day.ok()) claims["symptomOnsetInterval"] = static_cast<uint32_t>(*day * 144);
  }
  std::string certificate = sign_jwt(claims, certificate_signer_.kid, certificate_signer_.key);
  // The token is claimed only after the certificate is signed.
  st = storage_.transaction([&](Transaction& tx) { return tx.verification().use_token(token_hash, now); });
  if (st.code() == ErrorCode::kFailedPrecondition) return api_error(400, "token_expired", "token already used");
  if (!st.ok()) return internal_failure("certificate: claim token", st);
  return CertificateReply{certificate};
}

IssueReply VerificationService::fake_issue_reply() const {
  int64_t expires = clock_.now_unix_seconds() + settings_.code_ttl_seconds;
  return IssueReply{random_uuid(), random_digits(kCodeDigits), expires, expires};
}

VerifyReply VerificationService::fake_verify_reply() const {
  return VerifyReply{"confirmed", format_iso_date(floor_div(clock_.now_unix_seconds(), 86400) - 2), "",
                     fake_jwt(250)};
}

CertificateReply VerificationService::fake_certificate_reply() const { return CertificateReply{fake_jwt(240)}; }

}  // namespace exposure::server
