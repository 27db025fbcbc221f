// Storage on one SQLite file (WAL). One connection per Storage object, serialised by a
// mutex; write transactions start with BEGIN IMMEDIATE so concurrent processes on the
// same file wait for each other (busy timeout) instead of failing on lock upgrades.
// Concurrent write transactions are batched into one SQLite transaction (group_commit.h)
// and WAL checkpoints run on a thread of their own (wal_checkpointer.h).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "storage/columns.h"
#include "storage/sqlite/group_commit.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/wal_checkpointer.h"
#include "storage/storage.h"

namespace exposure::server::sqlite {

// Applies the schema migrations not yet recorded in schema_migrations.
Status migrate(Database& db);

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(Database& db) : db_(db) {}

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
  Database& db_;
};

class SqliteStorage final : public Storage {
 public:
  static Result<std::unique_ptr<SqliteStorage>> open(const std::string& path);
  Status transaction(const std::function<Status(Transaction&)>& body) override;
  Status read(const std::function<Status(Transaction&)>& body) override;
  Status ping() override;

 private:
  SqliteStorage(std::unique_ptr<Database> db, const std::string& path);
  std::mutex mutex_;
  std::unique_ptr<Database> db_;
  GroupCommit group_commit_;                       // write transactions, batched
  std::unique_ptr<WalCheckpointer> checkpointer_;  // stopped before db_ closes
};

// Inside SqliteTransaction methods: borrows the cached statement for `sql` as `var`, or
// returns the preparation error.
#define EXPOSURE_SQLITE_PREPARE(var, sql)                  \
  auto var##_result = db_.prepare(sql);                    \
  if (!var##_result.ok()) return var##_result.status();    \
  ::exposure::server::sqlite::Statement& var = **var##_result
#define PREPARE EXPOSURE_SQLITE_PREPARE
// Rows changed by the last statement (single-row updates check it is 1).
#define CHANGED_ROWS() sqlite3_changes(db_.handle())

}  // namespace exposure::server::sqlite
