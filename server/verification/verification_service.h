// The verification service (Google's server API): a health authority issues a one-time code
// for a test result; the app trades the code for a token (/api/verify), then the token and
// the HMAC of its keys for a signed certificate (/api/certificate) that /v1/publish checks.
// Codes and token ids are stored hashed, single use; failed code lookups are counted per
// minute and, above the limit, /api/verify answers quota_exceeded (guessing defence).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/secrets.h"
#include "exposure/crypto.h"
#include "exposure/interval.h"
#include "http/api_error.h"
#include "http/api_transaction.h"
#include "storage/storage.h"
#include "verification/verification_api.h"

namespace exposure::server {

struct VerificationSettings {
  int64_t code_ttl_seconds = 15 * 60;         // short code validity (at most 24 h)
  int64_t token_ttl_seconds = 24 * 3600;      // VERIFICATION_TOKEN_DURATION
  int64_t certificate_ttl_seconds = 15 * 60;  // CERTIFICATE_DURATION
  int64_t allowed_clock_skew_seconds = 5;     // iat/nbf of certificates are backdated by this
  int64_t allowed_past_symptom_days = 28;     // symptom/test dates may be this old
  std::string token_issuer = "diagnosis-verification-example";
  std::string certificate_issuer = "diagnosis-verification-example";
  std::string certificate_audience = "exposure-notifications-server";
  std::string certificate_key_id = "v1";       // kid of the certificate key when it is created
  int64_t code_failures_per_minute = 60;       // failed /api/verify lookups before quota_exceeded
  bool allow_user_report_codes = false;        // may /api/issue issue "user-report" codes
  bool maintenance_mode = false;               // /api/verify answers maintenance_mode (429)
  friend bool operator==(const VerificationSettings&, const VerificationSettings&) = default;
};

// A JWT signing key with its kid.
struct JwtSigner {
  std::string kid;
  crypto::EcPrivateKey key;
};

// Loads the token and certificate signing keys from storage, creating (and storing,
// sealed with the server secret) any that is missing.
Result<JwtSigner> load_or_create_jwt_signer(Storage& storage, const ServerSecrets& secrets,
                                            std::string_view purpose, std::string_view kid_if_new, int64_t now);

class VerificationService {
 public:
  VerificationService(Storage& storage, const Clock& clock, const ServerSecrets& secrets, JwtSigner token_signer,
                      JwtSigner certificate_signer, VerificationSettings settings);

  // /api/issue for the authority holding `api_key`.
  ApiResult<IssueReply> issue(std::string_view api_key, const IssueRequest& request);
  // /api/verify.
  ApiResult<VerifyReply> verify(const VerifyRequest& request);
  // /api/certificate.
  ApiResult<CertificateReply> certificate(const CertificateRequest& request);

  // Consumes a code for the COCOA upload path (the code is the "processing number"):
  // the code's record when it is valid, unexpired and unused, marked claimed inside `tx`.
  // Refusals use the verification codes (code_invalid, code_not_found, code_expired);
  // storage failures pass through.
  TxResult<VerificationCode> claim_code_in(Transaction& tx, std::string_view code, int64_t now);
  // Counts a failed code lookup (outside the failed transaction).
  void count_code_failure(int64_t now);
  // quota_exceeded when this minute's failed lookups reached the limit.
  std::optional<ApiError> check_failure_budget(int64_t now);

  // Success-shaped replies with random content (X-Chaff).
  IssueReply fake_issue_reply() const;
  VerifyReply fake_verify_reply() const;
  CertificateReply fake_certificate_reply() const;

  const VerificationSettings& settings() const { return settings_; }
  const JwtSigner& certificate_signer() const { return certificate_signer_; }

 private:
  ApiResult<VerifyReply> verify_code(const VerifyRequest& request, int64_t now);

  Storage& storage_;
  const Clock& clock_;
  const ServerSecrets& secrets_;
  JwtSigner token_signer_;
  JwtSigner certificate_signer_;
  crypto::EcPublicKey token_public_key_;
  VerificationSettings settings_;
};

}  // namespace exposure::server
