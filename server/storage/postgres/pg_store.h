// What the PostgreSQL implementations of the component stores share: the connection of the
// transaction they run in, the advisory locks they take, and the macro their methods are
// written with.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/columns.h"
#include "storage/postgres/pg_connection.h"

namespace exposure::server::postgres {

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

class PgStore {
 public:
  PgStore(Connection& conn, bool writable) : conn_(conn), writable_(writable) {}

 protected:
  // In a write transaction, waits for the transaction-scoped advisory lock (`space`, `key`)
  // of each key, in ascending order (so two transactions cannot deadlock on them). Read
  // transactions take none: they see one snapshot and never block.
  Status lock(int32_t space, std::vector<int32_t> keys);

  Connection& conn_;
  const bool writable_;
};

// Inside store methods: runs the prepared statement `sql` with the remaining arguments as
// parameters; `var` is the Result<Rows>, or the error is returned.
#define PG_RUN(var, sql, ...)                                                       \
  auto var = conn_.run(sql, ::exposure::server::postgres::Params::of(__VA_ARGS__)); \
  if (!var.ok()) return var.status()

}  // namespace exposure::server::postgres
