// The verification component's rows: health authorities and their API keys, the apps allowed
// to publish, verification codes and tokens, the code-failure counters, and the server's
// signing keys (the verification service's JWT keys, export signing keys). Reached inside a
// transaction as tx.verification() (storage.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "exposure/status.h"
#include "storage/records.h"

namespace exposure::server {

class VerificationStore {
 public:
  virtual ~VerificationStore() = default;

  // ---- health authorities and apps ----
  // Adds an authority; kAlreadyExists when the name or the API key is taken.
  virtual Result<int64_t> insert_health_authority(std::string_view name, const Hash& api_key_hash,
                                                  int64_t now) = 0;
  // Every authority, revoked ones included, by id.
  virtual Result<std::vector<HealthAuthority>> list_health_authorities() = 0;
  // Marks the authority revoked; its API key stops working. kNotFound if unknown or revoked.
  virtual Status revoke_health_authority(std::string_view name, int64_t now) = 0;
  // The active (not revoked) authority whose API key hashes to `api_key_hash`, compared in
  // constant time.
  virtual Result<std::optional<HealthAuthority>> find_health_authority_by_key(
      const Hash& api_key_hash) = 0;

  // Adds or replaces an app.
  virtual Status upsert_app(const AuthorizedApp& app) = 0;
  virtual Result<std::optional<AuthorizedApp>> find_app(std::string_view app_id) = 0;
  // Every app, by id.
  virtual Result<std::vector<AuthorizedApp>> list_apps() = 0;
  // kNotFound when unknown.
  virtual Status remove_app(std::string_view app_id) = 0;

  // ---- verification codes and tokens ----
  // kAlreadyExists when a code with the same hash exists (the caller draws another).
  virtual Status insert_code(const VerificationCode& code) = 0;
  virtual Result<std::optional<VerificationCode>> find_code(const Hash& code_hash) = 0;
  // Marks an unclaimed code claimed; kFailedPrecondition when it already was (also when a
  // concurrent transaction claimed it first).
  virtual Status claim_code(const Hash& code_hash, int64_t now) = 0;
  // Adds one failed code lookup to the counter of the window starting at `window_start`
  // and returns the window's count so far.
  virtual Result<int64_t> count_code_failure(int64_t window_start) = 0;
  // The count of the window (0 when none failed).
  virtual Result<int64_t> code_failures(int64_t window_start) = 0;

  // kAlreadyExists when a token with the same hash exists.
  virtual Status insert_token(const VerificationToken& token) = 0;
  virtual Result<std::optional<VerificationToken>> find_token(const Hash& token_hash) = 0;
  // Marks an unused token used; kFailedPrecondition when it already was.
  virtual Status use_token(const Hash& token_hash, int64_t now) = 0;

  // Deletes codes and tokens that expired before `cutoff` and the failure counters of
  // windows that started before it. Returns the number of rows.
  virtual Result<int64_t> delete_expired_secrets(int64_t cutoff) = 0;

  // ---- JWT and export signing keys ----
  // The key of `purpose`. Instances starting together on one database: in a write
  // transaction, a second caller waits until the first one's transaction ends, so find,
  // then insert when absent, creates one key.
  virtual Result<std::optional<JwtKeyRecord>> find_jwt_key(std::string_view purpose) = 0;
  // kAlreadyExists when the purpose already has a key.
  virtual Status insert_jwt_key(const JwtKeyRecord& key) = 0;

  // kAlreadyExists when (key_id, key_version) exists.
  virtual Status insert_signing_key(const SigningKeyRecord& key) = 0;
  // Newest first (created_at; equal times: the later insert first).
  virtual Result<std::vector<SigningKeyRecord>> list_signing_keys() = 0;
  // kNotFound when unknown.
  virtual Status set_signing_key_active(std::string_view key_id, std::string_view key_version,
                                        bool active) = 0;
};

}  // namespace exposure::server
