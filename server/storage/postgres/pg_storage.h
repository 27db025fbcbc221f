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

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_exports.h"
#include "storage/postgres/pg_exposures.h"
#include "storage/postgres/pg_federation.h"
#include "storage/postgres/pg_leases.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/pg_verification.h"
#include "storage/storage.h"

namespace exposure::server::postgres {

// Applies the schema migrations not yet recorded in schema_migrations.
Status migrate(Connection& conn);

class PgTransaction final : public Transaction {
 public:
  PgTransaction(Connection& conn, bool writable)
      : verification_(conn, writable), exposures_(conn, writable), exports_(conn, writable), leases_(conn, writable), federation_(conn) {}
  VerificationStore& verification() override { return verification_; }
  ExposureStore& exposures() override { return exposures_; }
  ExportStore& exports() override { return exports_; }
  LeaseStore& leases() override { return leases_; }
  FederationStore& federation() override { return federation_; }

 private:
  PgVerificationStore verification_;
  PgExposureStore exposures_;
  PgExportStore exports_;
  PgLeaseStore leases_;
  PgFederationStore federation_;
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

}  // namespace exposure::server::postgres
