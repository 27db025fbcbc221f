// The server's storage interface. Everything the server keeps goes through it; SQLite
// (sqlite/) and PostgreSQL (postgres/) implement it without the services knowing which.
//
// All access happens inside Storage::transaction(): the body runs against a Transaction
// and its writes become visible together when it returns Ok, or not at all otherwise.
// Methods return kNotFound / kAlreadyExists / kFailedPrecondition for the expected
// conditions named in their comments, kIoError for database failures.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exposure/diagnosis_key.h"
#include "exposure/status.h"
#include "storage/records.h"

namespace exposure::server {

class Transaction {
 public:
  virtual ~Transaction() = default;

  // ---- health authorities and apps ----
  // Adds an authority; kAlreadyExists when the name is taken.
  virtual Result<int64_t> insert_health_authority(std::string_view name, const Hash& api_key_hash,
                                                  int64_t now) = 0;
  virtual Result<std::vector<HealthAuthority>> list_health_authorities() = 0;
  // Marks the authority revoked; its API key stops working. kNotFound if unknown or revoked.
  virtual Status revoke_health_authority(std::string_view name, int64_t now) = 0;
  // The active (not revoked) authority whose API key hashes to `api_key_hash`.
  virtual Result<std::optional<HealthAuthority>> find_health_authority_by_key(const Hash& api_key_hash) = 0;

  // Adds or replaces an app.
  virtual Status upsert_app(const AuthorizedApp& app) = 0;
  virtual Result<std::optional<AuthorizedApp>> find_app(std::string_view app_id) = 0;
  virtual Result<std::vector<AuthorizedApp>> list_apps() = 0;
  // kNotFound when unknown.
  virtual Status remove_app(std::string_view app_id) = 0;

  // ---- verification codes and tokens ----
  // kAlreadyExists when a code with the same hash exists (the caller draws another).
  virtual Status insert_code(const VerificationCode& code) = 0;
  virtual Result<std::optional<VerificationCode>> find_code(const Hash& code_hash) = 0;
  // Marks an unclaimed code claimed; kFailedPrecondition when it already was.
  virtual Status claim_code(const Hash& code_hash, int64_t now) = 0;
  // Adds one failed code lookup to the counter of the window starting at `window_start`
  // and returns the window's count so far.
  virtual Result<int64_t> count_code_failure(int64_t window_start) = 0;
  virtual Result<int64_t> code_failures(int64_t window_start) = 0;

  virtual Status insert_token(const VerificationToken& token) = 0;
  virtual Result<std::optional<VerificationToken>> find_token(const Hash& token_hash) = 0;
  // Marks an unused token used; kFailedPrecondition when it already was.
  virtual Status use_token(const Hash& token_hash, int64_t now) = 0;

  // ---- JWT and export signing keys ----
  virtual Result<std::optional<JwtKeyRecord>> find_jwt_key(std::string_view purpose) = 0;
  // kAlreadyExists when the purpose already has a key.
  virtual Status insert_jwt_key(const JwtKeyRecord& key) = 0;

  // kAlreadyExists when (key_id, key_version) exists.
  virtual Status insert_signing_key(const SigningKeyRecord& key) = 0;
  // Newest first.
  virtual Result<std::vector<SigningKeyRecord>> list_signing_keys() = 0;
  // kNotFound when unknown.
  virtual Status set_signing_key_active(std::string_view key_id, std::string_view key_version, bool active) = 0;

  // ---- exposures ----
  // The stored exposures among `keys` (any order).
  virtual Result<std::vector<Exposure>> find_exposures(std::span<const KeyData> keys) = 0;
  // kAlreadyExists when one of the keys is stored already.
  virtual Status insert_exposures(std::span<const Exposure> exposures) = 0;
  // Writes the revision fields (and regions) of stored exposures.
  virtual Status update_revisions(std::span<const Exposure> exposures) = 0;
  // Calls `visit` for every exposure in `region` with created_at (or, with `revised`,
  // revised_at) in [from, to). The reference passed to `visit` is reused between calls.
  virtual Status scan_exposures(std::string_view region, int64_t from, int64_t to, bool revised,
                                const std::function<void(const Exposure&)>& visit) = 0;
  // Deletes exposures created before `cutoff`; returns how many.
  virtual Result<int64_t> delete_exposures_before(int64_t cutoff) = 0;

  // ---- export batches ----
  // Fake keys persisted for the batch (region, start, end); empty when none.
  virtual Result<std::vector<DiagnosisKey>> padding_keys(std::string_view region, int64_t start, int64_t end) = 0;
  virtual Status insert_padding_keys(std::string_view region, int64_t start, int64_t end,
                                     std::span<const DiagnosisKey> keys) = 0;
  // End of the last exported window of `region`, if any.
  virtual Result<std::optional<int64_t>> last_export_end(std::string_view region) = 0;
  virtual Status set_last_export_end(std::string_view region, int64_t end) = 0;
  // (region, end of the last exported window) of every region exported so far.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> list_export_progress() = 0;
  // Records files (replacing rows with the same name).
  virtual Status upsert_export_files(std::span<const ExportFile> files) = 0;
  // All recorded files, by name.
  virtual Result<std::vector<ExportFile>> list_export_files() = 0;
  // Deletes the rows of files whose batch ended before `cutoff` and returns them, and the
  // padding of those batches.
  virtual Result<std::vector<ExportFile>> delete_export_files_before(int64_t cutoff) = 0;

  // ---- COCOA idempotency ----
  virtual Result<std::optional<IdempotentResult>> find_idempotent_result(const Hash& key_hash) = 0;
  virtual Status insert_idempotent_result(const IdempotentResult& result) = 0;

  // ---- leases: one holder at a time across every process on the database ----
  // Takes the lease `name` for `holder` until `expires_at` when nobody holds it, when the
  // current holder's expiry is at or before `now`, or when `holder` holds it already (a
  // renewal). Returns whether `holder` holds it afterwards.
  virtual Result<bool> acquire_lease(std::string_view name, std::string_view holder, int64_t now,
                                     int64_t expires_at) = 0;
  // Gives the lease up when `holder` holds it (no-op otherwise).
  virtual Status release_lease(std::string_view name, std::string_view holder) = 0;

  // ---- housekeeping ----
  // Deletes codes and tokens that expired before `cutoff`, idempotency records created
  // before it, and failure counters of older windows. Returns the number of rows.
  virtual Result<int64_t> delete_expired_secrets(int64_t cutoff) = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;
  // Runs `body` in one transaction: committed when it returns Ok, rolled back otherwise
  // (the body's Status is returned). A failure to begin or commit returns kIoError.
  // Write transactions on the same rows behave as if run one after another (SQLite: one
  // writer at a time; PostgreSQL: row and advisory locks). A transaction that loses a
  // deadlock or serialization conflict and passes the storage error through is run again,
  // so a body must assign its results, not accumulate them across runs.
  virtual Status transaction(const std::function<Status(Transaction&)>& body) = 0;
  // Runs `body` against a consistent read-only snapshot that does not block writers. The
  // body must not write (writes fail).
  virtual Status read(const std::function<Status(Transaction&)>& body) = 0;
  // A cheap round trip to the database (health checks).
  virtual Status ping() = 0;
};

// Opens the storage named by `url` and applies pending schema migrations:
//   "sqlite:PATH" or a plain PATH  - a SQLite file (created when new);
//   "postgres://..." / "postgresql://..." - a PostgreSQL database (any libpq URI).
// kInvalidArgument for an unknown scheme or a malformed URI, kIoError when the database
// cannot be reached; the message is one line and never contains a password.
Result<std::unique_ptr<Storage>> open_storage(std::string_view url);

}  // namespace exposure::server
