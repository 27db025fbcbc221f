#include "storage/postgres/pg_storage.h"

#include <chrono>
#include <cstring>
#include <set>
#include <thread>

#include "exposure/crypto.h"
#include "storage/schema/render.h"

namespace exposure::server::postgres {
namespace {

constexpr int kMaxAttempts = 8;

// A short random pause before re-running a transaction that lost a conflict.
void backoff(int attempt) {
  uint8_t jitter = 0;
  crypto::random_bytes(MutableByteView(&jitter, 1));
  std::this_thread::sleep_for(std::chrono::microseconds((1000 << attempt) + jitter * 20));
}

}  // namespace

Status migrate(Connection& conn) {
  // The session lock makes concurrent starts apply each migration once: the others wait
  // here, then find the versions recorded.
  auto locked = conn.run("SELECT pg_advisory_lock($1, 0)", Params::of(int64_t{kLockMigrations}));
  if (!locked.ok()) return Status(locked.status().code(), "schema migration: " + locked.status().message());
  Status st = [&]() -> Status {
    EXPOSURE_RETURN_IF_ERROR(conn.exec("BEGIN"));
    EXPOSURE_RETURN_IF_ERROR(conn.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations(version bigint PRIMARY KEY, applied_at bigint NOT NULL)"));
    auto versions = conn.run("SELECT version FROM schema_migrations");
    if (!versions.ok()) return versions.status();
    std::set<int64_t> applied;
    for (int i = 0; i < versions->size(); ++i) applied.insert(versions->integer(i, 0));
    for (const schema::Migration* m : schema::pending(applied)) {
      const std::string ddl = schema::postgres_ddl(*m);
      Status ran = conn.exec(ddl.c_str());
      if (!ran.ok()) {
        return Status(ran.code(),
                      "version " + std::to_string(m->version) + " (" + m->what + "): " + ran.message());
      }
      auto recorded = conn.run(
          "INSERT INTO schema_migrations(version, applied_at) VALUES($1, extract(epoch FROM now())::bigint)",
          Params::of(m->version));
      if (!recorded.ok()) return recorded.status();
    }
    return conn.exec("COMMIT");
  }();
  if (!st.ok()) (void)conn.exec("ROLLBACK");
  auto unlocked = conn.run("SELECT pg_advisory_unlock($1, 0)", Params::of(int64_t{kLockMigrations}));
  if (!st.ok()) return Status(st.code(), "schema migration: " + st.message());
  return unlocked.ok() ? Status::Ok() : unlocked.status();
}

Result<std::unique_ptr<PgStorage>> PgStorage::open(const std::string& url) {
  auto conn = Connection::open(url);
  if (!conn.ok()) return conn.status();
  EXPOSURE_RETURN_IF_ERROR(migrate(**conn));
  std::unique_ptr<PgStorage> storage(new PgStorage(url));
  storage->open_connections_ = 1;
  storage->idle_.push_back(std::move(*conn));
  return storage;
}

Result<std::unique_ptr<Connection>> PgStorage::borrow() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    available_.wait(lock, [this] { return !idle_.empty() || open_connections_ < kMaxConnections; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_connections_;
  }
  auto conn = Connection::open(url_);
  if (!conn.ok()) {
    std::lock_guard<std::mutex> lock(mutex_);
    --open_connections_;
    available_.notify_one();
  }
  return conn;
}

void PgStorage::give_back(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (conn->healthy()) {
    conn->clear_failure();
    idle_.push_back(std::move(conn));
  } else {
    conn.reset();  // broken or stuck in a transaction: the next borrower opens a new one
    --open_connections_;
  }
  available_.notify_one();
}

Status PgStorage::run(bool writable, const std::function<Status(Transaction&)>& body) {
  for (int attempt = 0;; ++attempt) {
    auto borrowed = borrow();
    if (!borrowed.ok()) return borrowed.status();
    std::unique_ptr<Connection> conn = std::move(*borrowed);
    Status begin = conn->exec(writable ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!begin.ok()) {
      // A pooled connection the server dropped (restart, idle timeout): retry on a new one.
      const bool stale = !conn->healthy();
      give_back(std::move(conn));
      if (stale && attempt == 0) continue;
      return begin;
    }
    PgTransaction tx(*conn, writable);
    Status st = body(tx);
    if (st.ok() && conn->in_failed_transaction()) {
      // A statement failed but the body went on: nothing of it may be committed.
      st = Status(ErrorCode::kIoError, "transaction aborted: " + conn->last_failure().message());
    }
    if (st.ok()) {
      st = conn->exec("COMMIT");
      if (st.ok()) {
        give_back(std::move(conn));
        return st;
      }
    } else {
      (void)conn->exec("ROLLBACK");
    }
    // Re-run only when the body passed the conflict through unchanged: a body that turned
    // it into its own answer has already decided what to report.
    const bool retry = conn->last_failure_retryable() && st.code() == conn->last_failure().code() &&
                       st.message() == conn->last_failure().message() && attempt + 1 < kMaxAttempts;
    give_back(std::move(conn));
    if (!retry) return st;
    backoff(attempt);
  }
}

Status PgStorage::transaction(const std::function<Status(Transaction&)>& body) { return run(true, body); }

Status PgStorage::read(const std::function<Status(Transaction&)>& body) { return run(false, body); }

Status PgStorage::ping() {
  auto borrowed = borrow();
  if (!borrowed.ok()) return borrowed.status();
  std::unique_ptr<Connection> conn = std::move(*borrowed);
  Status st = conn->exec("SELECT 1");
  give_back(std::move(conn));
  return st;
}

}  // namespace exposure::server::postgres
