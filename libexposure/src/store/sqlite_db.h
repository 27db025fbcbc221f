// Thin RAII layer over the SQLite C API for the store: connections, prepared statements and
// transactions, with every SQLite result code turned into a Status. Write transactions call
// the fault-injection hook of write_hook.h at its named points.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "exposure/bytes.h"
#include "exposure/status.h"

namespace exposure::store_internal {

// Maps a SQLite result code to a Status: SQLITE_FULL -> kResourceExhausted,
// SQLITE_CORRUPT/NOTADB -> kCorrupt, SQLITE_BUSY/LOCKED -> kFailedPrecondition, file-system
// codes -> kIoError, anything else -> kInternal. `doing` says what was attempted.
Status sqlite_status(int rc, sqlite3* db, std::string_view doing);

class Database;

class Statement {
 public:
  Statement() = default;
  Statement(Database* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;
  ~Statement();

  // Parameters are numbered from 1. Blobs are bound without copying: keep them alive until
  // the statement is stepped.
  Status bind_int64(int index, int64_t value);
  Status bind_blob(int index, ByteView value);
  Status bind_text(int index, std::string_view value);
  // Runs one step: true when a row is available, false when the statement is done (a
  // statement that can modify the database then counts as one write of the open write
  // transaction, see write_hook.h).
  Result<bool> step();
  // Steps a statement that returns no rows, then resets it for reuse.
  Status run();
  // Resets the statement and clears its bindings.
  void reset();

  // Columns are numbered from 0; valid until the next step.
  int64_t column_int64(int column) const;
  ByteView column_blob(int column) const;
  std::string column_text(int column) const;
  bool column_is_null(int column) const;

 private:
  Database* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // Opens an existing file read-write (never creates it).
  static Result<std::unique_ptr<Database>> open(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows (one write of the open write
  // transaction, see write_hook.h).
  Status exec(const char* sql);
  Result<Statement> prepare(std::string_view sql);
  // Runs a single-value query such as "PRAGMA journal_mode=WAL" and returns the text of the
  // first column of the first row.
  Result<std::string> query_text(const char* sql);
  sqlite3* handle() { return db_; }

 private:
  friend class Statement;
  friend class Transaction;
  explicit Database(sqlite3* db) : db_(db) {}
  // Runs `sql` without counting it as a write (BEGIN, COMMIT, ROLLBACK).
  Status exec_control(const char* sql);
  // Counts one write of the open write transaction and calls the hook (none when no write
  // transaction is open).
  void note_write();

  sqlite3* db_;
  bool writing_ = false;  // a write transaction is open
  uint64_t writes_ = 0;   // writes so far in it
};

// A transaction that rolls back unless committed. One at a time per Database.
class Transaction {
 public:
  // BEGIN IMMEDIATE (takes the write lock now) or BEGIN DEFERRED (a read snapshot).
  enum class Kind { kWrite, kRead };
  static Result<std::unique_ptr<Transaction>> begin(Database& db, Kind kind);
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Database& db) : db_(db) {}
  Database& db_;
  bool open_ = true;
};

}  // namespace exposure::store_internal
