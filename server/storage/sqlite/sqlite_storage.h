// Storage on one SQLite file (WAL). One connection per Storage object, serialised by a
// mutex; write transactions start with BEGIN IMMEDIATE so concurrent processes on the
// same file wait for each other (busy timeout) instead of failing on lock upgrades.
// Concurrent write transactions are batched into one SQLite transaction (group_commit.h)
// and WAL checkpoints run on a thread of their own (wal_checkpointer.h).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "storage/sqlite/group_commit.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/sqlite_exports.h"
#include "storage/sqlite/sqlite_exposures.h"
#include "storage/sqlite/sqlite_federation.h"
#include "storage/sqlite/sqlite_leases.h"
#include "storage/sqlite/sqlite_verification.h"
#include "storage/sqlite/wal_checkpointer.h"
#include "storage/storage.h"

namespace exposure::server::sqlite {

// Applies the schema migrations not yet recorded in schema_migrations.
Status migrate(Database& db);

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(Database& db) : verification_(db), exposures_(db), exports_(db), leases_(db), federation_(db) {}
  VerificationStore& verification() override { return verification_; }
  ExposureStore& exposures() override { return exposures_; }
  ExportStore& exports() override { return exports_; }
  LeaseStore& leases() override { return leases_; }
  FederationStore& federation() override { return federation_; }

 private:
  SqliteVerificationStore verification_;
  SqliteExposureStore exposures_;
  SqliteExportStore exports_;
  SqliteLeaseStore leases_;
  SqliteFederationStore federation_;
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

}  // namespace exposure::server::sqlite
