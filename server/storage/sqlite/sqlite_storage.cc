#include "storage/sqlite/sqlite_storage.h"

namespace exposure::server::sqlite {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Append only: a released migration is never edited; changes come as a new version.
const Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE health_authorities(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  api_key_hash BLOB NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER);
CREATE TABLE authorized_apps(
  app_id TEXT PRIMARY KEY,
  regions TEXT NOT NULL);
CREATE TABLE verification_codes(
  code_hash BLOB PRIMARY KEY,
  uuid TEXT NOT NULL,
  health_authority_id INTEGER NOT NULL,
  test_type TEXT NOT NULL,
  symptom_date TEXT NOT NULL,
  test_date TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  claimed_at INTEGER) WITHOUT ROWID;
CREATE INDEX verification_codes_expires_at ON verification_codes(expires_at);
CREATE TABLE code_failures(
  window_start INTEGER PRIMARY KEY,
  count INTEGER NOT NULL);
CREATE TABLE verification_tokens(
  token_hash BLOB PRIMARY KEY,
  health_authority_id INTEGER NOT NULL,
  test_type TEXT NOT NULL,
  symptom_date TEXT NOT NULL,
  test_date TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER) WITHOUT ROWID;
CREATE INDEX verification_tokens_expires_at ON verification_tokens(expires_at);
CREATE TABLE jwt_keys(
  purpose TEXT PRIMARY KEY,
  kid TEXT NOT NULL,
  sealed_private_key BLOB NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE signing_keys(
  key_id TEXT NOT NULL,
  key_version TEXT NOT NULL,
  sealed_private_key BLOB NOT NULL,
  public_key_pem TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  active INTEGER NOT NULL,
  PRIMARY KEY(key_id, key_version));
CREATE TABLE exposures(
  key_data BLOB PRIMARY KEY,
  rolling_start INTEGER NOT NULL,
  rolling_period INTEGER NOT NULL,
  transmission_risk INTEGER NOT NULL,
  report_type TEXT NOT NULL,
  days_since_onset INTEGER,
  regions TEXT NOT NULL,
  traveler INTEGER NOT NULL,
  local_provenance INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  health_authority_id INTEGER NOT NULL,
  revised_report_type TEXT NOT NULL DEFAULT '',
  revised_at INTEGER,
  revised_days_since_onset INTEGER,
  revised_transmission_risk INTEGER) WITHOUT ROWID;
CREATE INDEX exposures_created_at ON exposures(created_at);
CREATE INDEX exposures_revised_at ON exposures(revised_at) WHERE revised_at IS NOT NULL;
CREATE TABLE padding_keys(
  region TEXT NOT NULL,
  batch_start INTEGER NOT NULL,
  batch_end INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  key_data BLOB NOT NULL,
  rolling_start INTEGER NOT NULL,
  rolling_period INTEGER NOT NULL,
  transmission_risk INTEGER NOT NULL,
  report_type INTEGER NOT NULL,
  days_since_onset INTEGER,
  PRIMARY KEY(region, batch_start, batch_end, seq)) WITHOUT ROWID;
CREATE TABLE export_state(
  region TEXT PRIMARY KEY,
  last_end INTEGER NOT NULL);
CREATE TABLE export_files(
  name TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  batch_start INTEGER NOT NULL,
  batch_end INTEGER NOT NULL,
  file_num INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  size INTEGER NOT NULL);
CREATE TABLE idempotent_results(
  key_hash BLOB PRIMARY KEY,
  http_status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL) WITHOUT ROWID;
)sql"},
    {2, R"sql(
CREATE TABLE leases(
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL);
)sql"},
};

}  // namespace

Status migrate(Database& db) {
  EXPOSURE_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  Status st = [&]() -> Status {
    EXPOSURE_RETURN_IF_ERROR(
        db.exec("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"));
    int64_t current = 0;
    {
      auto stmt = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      if (!stmt.ok()) return stmt.status();
      auto row = (*stmt)->step();
      if (!row.ok()) return row.status();
      current = (*stmt)->integer(0);
    }
    for (const Migration& m : kMigrations) {
      if (m.version <= current) continue;
      EXPOSURE_RETURN_IF_ERROR(db.exec(m.sql));
      auto stmt = db.prepare("INSERT INTO schema_migrations(version, applied_at) VALUES(?, strftime('%s','now'))");
      if (!stmt.ok()) return stmt.status();
      EXPOSURE_RETURN_IF_ERROR((*stmt)->bind_all(int64_t{m.version}).run());
    }
    return Status::Ok();
  }();
  if (!st.ok()) {
    (void)db.exec("ROLLBACK");
    return Status(st.code(), "schema migration: " + st.message());
  }
  return db.exec("COMMIT");
}

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::open(const std::string& path) {
  auto db = Database::open(path);
  if (!db.ok()) return db.status();
  EXPOSURE_RETURN_IF_ERROR(migrate(**db));
  return std::unique_ptr<SqliteStorage>(new SqliteStorage(std::move(*db), path));
}

SqliteStorage::SqliteStorage(std::unique_ptr<Database> db, const std::string& path)
    : db_(std::move(db)), group_commit_(*db_, mutex_) {
  checkpointer_ = std::make_unique<WalCheckpointer>(path, 250, mutex_);
  if (checkpointer_->started()) (void)db_->exec("PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864");
}

Status SqliteStorage::transaction(const std::function<Status(Transaction&)>& body) {
  return group_commit_.run(body);
}

Status SqliteStorage::read(const std::function<Status(Transaction&)>& body) {
  std::lock_guard<std::mutex> lock(mutex_);
  EXPOSURE_RETURN_IF_ERROR(db_->run("BEGIN DEFERRED"));
  SqliteTransaction tx(*db_);
  Status st = body(tx);
  (void)db_->run(st.ok() ? "COMMIT" : "ROLLBACK");
  return st;
}

Status SqliteStorage::ping() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto stmt = db_->prepare("SELECT 1");
  if (!stmt.ok()) return stmt.status();
  auto row = (*stmt)->step();
  return row.ok() ? Status::Ok() : row.status();
}

}  // namespace exposure::server::sqlite
