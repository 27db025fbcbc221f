// The SQLite VerificationStore (health authorities, apps, codes, tokens, failure counters, signing
// keys).
#pragma once

#include "storage/sqlite/sqlite_store.h"
#include "storage/verification_store.h"

namespace exposure::server::sqlite {

class SqliteVerificationStore final : public VerificationStore, private SqliteStore {
 public:
  using SqliteStore::SqliteStore;
  Result<int64_t> insert_health_authority(std::string_view name, const Hash& api_key_hash,
                                          int64_t now) override;
  Result<std::vector<HealthAuthority>> list_health_authorities() override;
  Status revoke_health_authority(std::string_view name, int64_t now) override;
  Result<std::optional<HealthAuthority>> find_health_authority_by_key(
      const Hash& api_key_hash) override;
  Status upsert_app(const AuthorizedApp& app) override;
  Result<std::optional<AuthorizedApp>> find_app(std::string_view app_id) override;
  Result<std::vector<AuthorizedApp>> list_apps() override;
  Status remove_app(std::string_view app_id) override;
  Status insert_code(const VerificationCode& code) override;
  Result<std::optional<VerificationCode>> find_code(const Hash& code_hash) override;
  Status claim_code(const Hash& code_hash, int64_t now) override;
  Result<int64_t> count_code_failure(int64_t window_start) override;
  Result<int64_t> code_failures(int64_t window_start) override;
  Status insert_token(const VerificationToken& token) override;
  Result<std::optional<VerificationToken>> find_token(const Hash& token_hash) override;
  Status use_token(const Hash& token_hash, int64_t now) override;
  Result<int64_t> delete_expired_secrets(int64_t cutoff) override;
  Result<std::optional<JwtKeyRecord>> find_jwt_key(std::string_view purpose) override;
  Status insert_jwt_key(const JwtKeyRecord& key) override;
  Status insert_signing_key(const SigningKeyRecord& key) override;
  Result<std::vector<SigningKeyRecord>> list_signing_keys() override;
  Status set_signing_key_active(std::string_view key_id, std::string_view key_version,
                                bool active) override;
};

}  // namespace exposure::server::sqlite
