// A thin RAII layer over the SQLite C API: one connection, cached prepared statements,
// typed binding and column reads. Used only by the SQLite implementation of Storage.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "exposure/bytes.h"
#include "exposure/status.h"

namespace exposure::server::sqlite {

// A prepared statement borrowed from the connection's cache; reset when it goes out of
// scope so it can be reused.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() { reset(); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Makes the statement ready to bind and run again.
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  // Parameters are 1-based, in the order of the SQL text's "?" marks.
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Statement& bind(int i, uint32_t v) { return bind(i, static_cast<int64_t>(v)); }
  Statement& bind(int i, bool v) { return bind(i, static_cast<int64_t>(v ? 1 : 0)); }
  Statement& bind(int i, std::string_view text);
  Statement& bind(int i, const std::string& text) { return bind(i, std::string_view(text)); }
  Statement& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
  Statement& bind(int i, ByteView blob);
  template <typename T>
  Statement& bind(int i, const std::optional<T>& v) {
    if (v) return bind(i, *v);
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  template <typename... Args>
  Statement& bind_all(const Args&... args) {
    int i = 0;
    (bind(++i, args), ...);
    return *this;
  }

  // Advances: true when a row is available, false when done. kAlreadyExists for a
  // constraint violation, kIoError otherwise.
  Result<bool> step();
  // Runs a statement that returns no rows.
  Status run();

  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::optional<int64_t> optional_integer(int col) const {
    return is_null(col) ? std::nullopt : std::optional<int64_t>(integer(col));
  }
  std::string text(int col) const;
  ByteView blob(int col) const;

 private:
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  // Opens (creating) the database file with WAL journaling, synchronous=NORMAL and a
  // busy timeout, so several processes can share it.
  static Result<std::unique_ptr<Database>> open(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without results.
  Status exec(const char* sql);
  // Runs one statement without results through the statement cache (for the statements
  // every transaction runs: BEGIN, COMMIT, SAVEPOINT ...; `sql` as for prepare()).
  Status run(const char* sql);
  // A cached prepared statement for `sql` (a string with static storage duration).
  Result<std::unique_ptr<Statement>> prepare(const char* sql);
  // kIoError "<what>: <sqlite message>".
  Status error(std::string_view what) const;
  sqlite3* handle() { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<const char*, sqlite3_stmt*> cache_;
};

}  // namespace exposure::server::sqlite
