// The server's storage interface. Everything the server keeps goes through it; SQLite
// (sqlite/) and PostgreSQL (postgres/) implement it without the services knowing which.
//
// All access happens inside Storage::transaction(): the body runs against a Transaction
// and its writes become visible together when it returns Ok, or not at all otherwise.
// Store methods return kNotFound / kAlreadyExists / kFailedPrecondition for the expected
// conditions named in their comments, kIoError for database failures.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "exposure/status.h"
#include "storage/export_store.h"
#include "storage/exposure_store.h"
#include "storage/federation_store.h"
#include "storage/lease_store.h"
#include "storage/verification_store.h"

namespace exposure::server {

// One transaction's view of the database: a store per component, each with its own
// contract (verification_store.h, exposure_store.h, export_store.h, lease_store.h). The
// references are valid while the transaction runs.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual VerificationStore& verification() = 0;
  virtual ExposureStore& exposures() = 0;
  virtual ExportStore& exports() = 0;
  virtual LeaseStore& leases() = 0;
  // Federation partners, imported files and key provenance (storage/federation_store.h).
  virtual FederationStore& federation() = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Runs `body` in one write transaction: committed when it returns Ok, rolled back
  // otherwise; the body's Status is returned, or kIoError when the transaction cannot begin
  // or commit (nothing of the body is stored then). Typed outcomes of API requests:
  // http/api_transaction.h.
  //
  // What waits for what:
  //  - SQLite: one writer per database file. The write transactions of one Storage are
  //    batched (sqlite/group_commit.h): their bodies run one after another on one thread,
  //    each in a savepoint of one BEGIN IMMEDIATE ... COMMIT, a failed body rolled back
  //    alone; so every body sees the writes of the bodies before it. Writers on another
  //    connection to the file (another Storage or process) wait up to 10 s for its write
  //    lock, then fail with kIoError. Nothing is retried.
  //  - PostgreSQL: write transactions run at once at READ COMMITTED, each on a pooled
  //    connection (up to 8 per Storage; more callers wait for one). They wait for each other
  //    only on a row both change (a claim, a token use, a lease, a counter, an upsert) and
  //    on the advisory locks that the read-then-write methods take until commit (see
  //    find_exposures, find_idempotent_result, find_jwt_key, padding_keys). A body that
  //    returns a deadlock or serialization failure unchanged is run again, up to 8 times
  //    after a short random pause: a body assigns its results rather than accumulating them,
  //    and leaves nothing outside the database it could not repeat.
  virtual Status transaction(const std::function<Status(Transaction&)>& body) = 0;

  // Runs `body` read-only against one consistent snapshot (the last commit before it
  // began); a write fails. The body's Status is returned.
  //  - SQLite: on the Storage's one connection, so it waits while a write batch of the same
  //    Storage runs, but never for writers on other connections (WAL) and blocks none of
  //    them: a long reader (the export worker) uses a Storage of its own.
  //  - PostgreSQL: REPEATABLE READ READ ONLY on a pooled connection; it takes no locks,
  //    waits for no writer and blocks none (retried as above on a serialization failure).
  virtual Status read(const std::function<Status(Transaction&)>& body) = 0;

  // A cheap round trip to the database (health checks).
  virtual Status ping() = 0;
};

// Opens the storage named by `url` and applies pending schema migrations:
//   "sqlite:PATH" or a plain PATH  - a SQLite file (created when new);
//   "postgres://..." / "postgresql://..." - a PostgreSQL database (any libpq URI).
// kInvalidArgument for an unknown scheme or a malformed URI, kIoError when the database
// cannot be reached; the message is one line and never contains a password.
Result<std::unique_ptr<Storage>> open_storage(std::string_view url);

}  // namespace exposure::server
