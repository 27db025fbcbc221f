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
};

class Storage {
 public:
  virtual ~Storage() = default;
  // Runs `body` in one transaction: committed when it returns Ok, rolled back otherwise
  // (the body's Status is returned). A failure to begin or commit returns kIoError.
  // Write transactions on the same rows behave as if run one after another (SQLite: one
  // writer at a time; PostgreSQL: row and advisory locks). A transaction that loses a
  // deadlock or serialization conflict and passes the storage error through is run again,
  // so a body must assign its results, not accumulate them across runs.
  virtual Status transaction(const std::function<Status(Transaction&)>& body) = 0;
  // Runs `body` against a consistent read-only snapshot that does not block writers. The
  // body must not write (writes fail).
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
