// Storage on a PostgreSQL database (libpq). A small pool of connections serves concurrent
// transactions. Write transactions run at READ COMMITTED and take the locks the SQLite
// path gets from its single writer: row updates that check their precondition in the
// WHERE clause (claim a code, use a token, take a lease), and transaction-scoped advisory
// locks around every read-then-write (the exposures of an upload, JWT keys, idempotency
// records, export padding). Deadlocks and serialization failures are retried. Read
// transactions see one REPEATABLE READ snapshot and do not block writers.
//
// Schema migrations are versioned in schema_migrations and applied at open under a
// session advisory lock, so several instances may start at once.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/columns.h"
#include "storage/postgres/pg_connection.h"
#include "storage/storage.h"

namespace exposure::server::postgres {

// Applies the schema migrations not yet recorded in schema_migrations.
Status migrate(Connection& conn);

class PgTransaction final : public Transaction {
 public:
  PgTransaction(Connection& conn, bool writable) : conn_(conn), writable_(writable) {}

  Result<int64_t> insert_health_authority(std::string_view name, const Hash& api_key_hash, int64_t now) override;
  Result<std::vector<HealthAuthority>> list_health_authorities() override;
  Status revoke_health_authority(std::string_view name, int64_t now) override;
  Result<std::optional<HealthAuthority>> find_health_authority_by_key(const Hash& api_key_hash) override;
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

  Result<std::optional<JwtKeyRecord>> find_jwt_key(std::string_view purpose) override;
  Status insert_jwt_key(const JwtKeyRecord& key) override;
  Status insert_signing_key(const SigningKeyRecord& key) override;
  Result<std::vector<SigningKeyRecord>> list_signing_keys() override;
  Status set_signing_key_active(std::string_view key_id, std::string_view key_version, bool active) override;

  Result<std::vector<Exposure>> find_exposures(std::span<const KeyData> keys) override;
  Status insert_exposures(std::span<const Exposure> exposures) override;
  Status update_revisions(std::span<const Exposure> exposures) override;
  Status scan_exposures(std::string_view region, int64_t from, int64_t to, bool revised,
                        const std::function<void(const Exposure&)>& visit) override;
  Result<int64_t> delete_exposures_before(int64_t cutoff) override;

  Result<std::vector<DiagnosisKey>> padding_keys(std::string_view region, int64_t start, int64_t end) override;
  Status insert_padding_keys(std::string_view region, int64_t start, int64_t end,
                             std::span<const DiagnosisKey> keys) override;
  Result<std::optional<int64_t>> last_export_end(std::string_view region) override;
  Status set_last_export_end(std::string_view region, int64_t end) override;
  Result<std::vector<std::pair<std::string, int64_t>>> list_export_progress() override;
  Status upsert_export_files(std::span<const ExportFile> files) override;
  Result<std::vector<ExportFile>> list_export_files() override;
  Result<std::vector<ExportFile>> delete_export_files_before(int64_t cutoff) override;

  Result<std::optional<IdempotentResult>> find_idempotent_result(const Hash& key_hash) override;
  Status insert_idempotent_result(const IdempotentResult& result) override;
  Result<bool> acquire_lease(std::string_view name, std::string_view holder, int64_t now, int64_t expires_at) override;
  Status release_lease(std::string_view name, std::string_view holder) override;
  Result<int64_t> delete_expired_secrets(int64_t cutoff) override;

 private:
  // In a write transaction, waits for the transaction-scoped advisory lock (`space`, `key`)
  // of each key, in ascending order (so two transactions cannot deadlock on them).
  Status lock(int32_t space, std::vector<int32_t> keys);

  Connection& conn_;
  bool writable_;
};

class PgStorage final : public Storage {
 public:
  // Connects (one connection first, more on demand) and migrates the schema.
  static Result<std::unique_ptr<PgStorage>> open(const std::string& url);
  Status transaction(const std::function<Status(Transaction&)>& body) override;
  Status read(const std::function<Status(Transaction&)>& body) override;
  Status ping() override;

 private:
  explicit PgStorage(std::string url) : url_(std::move(url)) {}
  Result<std::unique_ptr<Connection>> borrow();
  void give_back(std::unique_ptr<Connection> conn);
  Status run(bool writable, const std::function<Status(Transaction&)>& body);

  static constexpr size_t kMaxConnections = 8;
  const std::string url_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_connections_ = 0;
};

// Inside PgTransaction methods: runs the prepared statement `sql` with the remaining
// arguments as parameters; `var` is the Result<Rows>, or the error is returned.
#define PG_RUN(var, sql, ...)                                                          \
  auto var = conn_.run(sql, ::exposure::server::postgres::Params::of(__VA_ARGS__)); \
  if (!var.ok()) return var.status()

// Advisory lock spaces (first key of pg_advisory_xact_lock(int, int)).
enum LockSpace : int32_t {
  kLockMigrations = 0x45580001,
  kLockExposureKeys = 0x45580002,
  kLockJwtKeys = 0x45580003,
  kLockIdempotency = 0x45580004,
  kLockPadding = 0x45580005,
};

// The first four bytes of `bytes` as a lock key.
int32_t lock_key(ByteView bytes);

}  // namespace exposure::server::postgres
