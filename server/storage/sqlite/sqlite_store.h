// What the SQLite implementations of the component stores share: the connection of the
// transaction they run in, and the macros their methods are written with.
#pragma once

#include "storage/columns.h"
#include "storage/sqlite/sqlite_db.h"

namespace exposure::server::sqlite {

class SqliteStore {
 public:
  explicit SqliteStore(Database& db) : db_(db) {}

 protected:
  Database& db_;
};

// Inside store methods: borrows the cached statement for `sql` as `var`, or returns the
// preparation error.
#define EXPOSURE_SQLITE_PREPARE(var, sql)               \
  auto var##_result = db_.prepare(sql);                 \
  if (!var##_result.ok()) return var##_result.status(); \
  ::exposure::server::sqlite::Statement& var = **var##_result
#define PREPARE EXPOSURE_SQLITE_PREPARE
// Rows changed by the last statement (single-row updates check it is 1).
#define CHANGED_ROWS() sqlite3_changes(db_.handle())

}  // namespace exposure::server::sqlite
