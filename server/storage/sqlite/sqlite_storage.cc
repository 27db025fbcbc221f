#include "storage/sqlite/sqlite_storage.h"

#include <set>

#include "storage/schema/render.h"

namespace exposure::server::sqlite {

Status migrate(Database& db) {
  EXPOSURE_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  Status st = [&]() -> Status {
    EXPOSURE_RETURN_IF_ERROR(
        db.exec("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"));
    std::set<int64_t> applied;
    {
      auto stmt = db.prepare("SELECT version FROM schema_migrations");
      if (!stmt.ok()) return stmt.status();
      while (true) {
        auto row = (*stmt)->step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        applied.insert((*stmt)->integer(0));
      }
    }
    for (const schema::Migration* m : schema::pending(applied)) {
      const std::string ddl = schema::sqlite_ddl(*m);
      Status ran = db.exec(ddl.c_str());
      if (!ran.ok()) {
        return Status(ran.code(),
                      "version " + std::to_string(m->version) + " (" + m->what + "): " + ran.message());
      }
      auto stmt = db.prepare("INSERT INTO schema_migrations(version, applied_at) VALUES(?, strftime('%s','now'))");
      if (!stmt.ok()) return stmt.status();
      EXPOSURE_RETURN_IF_ERROR((*stmt)->bind_all(m->version).run());
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
  // query_only makes a write in the body fail instead of taking the write lock; it is
  // turned off again however the body ends.
  EXPOSURE_RETURN_IF_ERROR(db_->run("PRAGMA query_only=1"));
  struct Writable {
    Database& db;
    ~Writable() { (void)db.run("PRAGMA query_only=0"); }
  } writable{*db_};
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
