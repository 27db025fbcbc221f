// The rows the server stores, independent of the database behind the Storage interface.
// Secrets (API keys, codes, token ids, idempotency keys) appear only as keyed hashes
// (common/secrets.h); private keys only sealed with the server secret.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/crypto.h"
#include "exposure/keys.h"

namespace exposure::server {

using Hash = crypto::Digest256;

// A health authority that issues verification codes with its API key.
struct HealthAuthority {
  int64_t id = 0;
  std::string name;
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
};

// An app allowed to publish keys (its healthAuthorityID / appPackageName, lower case) and
// the regions its keys are published to (empty: the server's default region).
struct AuthorizedApp {
  std::string app_id;
  std::vector<std::string> regions;
};

// A one-time verification code ("processing number" for COCOA).
struct VerificationCode {
  Hash code_hash{};
  std::string uuid;
  int64_t health_authority_id = 0;
  std::string test_type;     // confirmed | likely | negative | user-report
  std::string symptom_date;  // YYYY-MM-DD or empty
  std::string test_date;     // YYYY-MM-DD or empty
  int64_t issued_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> claimed_at;
};

// The record behind a verification token (the JWT from /api/verify), keyed by its jti.
struct VerificationToken {
  Hash token_hash{};
  int64_t health_authority_id = 0;
  std::string test_type;
  std::string symptom_date;
  std::string test_date;
  int64_t issued_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> used_at;
};

// A published diagnosis key with what the exporter needs (the key server's exposure row).
struct Exposure {
  KeyData key_data{};
  uint32_t rolling_start = 0;
  uint32_t rolling_period = 0;
  int32_t transmission_risk = 0;
  std::string report_type;  // confirmed | likely | negative | user-report | ""
  std::optional<int32_t> days_since_onset;
  std::vector<std::string> regions;
  bool traveler = false;
  bool local_provenance = true;
  int64_t created_at = 0;  // hour-truncated upload time, or the embargo time
  int64_t health_authority_id = 0;
  // Set once, when the key is revised.
  std::string revised_report_type;
  std::optional<int64_t> revised_at;
  std::optional<int32_t> revised_days_since_onset;
  std::optional<int32_t> revised_transmission_risk;
};

// An export signing key. key_id/key_version are what apps configure ("<id>-<version>").
struct SigningKeyRecord {
  std::string key_id;
  std::string key_version;
  Bytes sealed_private_key;
  std::string public_key_pem;
  int64_t created_at = 0;
  bool active = true;
};

// A JWT signing key of the verification service (purpose "token" or "certificate").
struct JwtKeyRecord {
  std::string purpose;
  std::string kid;
  Bytes sealed_private_key;
  int64_t created_at = 0;
};

// An export file in the tree: name is relative to the export root ("JP/<start>-<end>-00001.zip").
struct ExportFile {
  std::string region;
  std::string name;
  int64_t batch_start = 0;
  int64_t batch_end = 0;
  int32_t file_num = 0;
  int64_t created_at = 0;
  int64_t size = 0;
};

// The first answer to a COCOA upload with an idempotency key, replayed for repeats.
struct IdempotentResult {
  Hash key_hash{};
  int http_status = 0;
  std::string body;
  int64_t created_at = 0;
};

}  // namespace exposure::server
