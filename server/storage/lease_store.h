// Leases: named roles (the export worker's "export") that one holder at a time has, across
// every process on the database, until an expiry by the server clock. Reached inside a
// transaction as tx.leases() (storage.h).
#pragma once

#include <cstdint>
#include <string_view>

#include "exposure/status.h"

namespace exposure::server {

class LeaseStore {
 public:
  virtual ~LeaseStore() = default;

  // Takes the lease `name` for `holder` until `expires_at` when nobody holds it, when the
  // current holder's expiry is at or before `now`, or when `holder` holds it already (a
  // renewal). Returns whether `holder` holds it afterwards. Of concurrent callers, at most
  // one gets a free lease.
  virtual Result<bool> acquire_lease(std::string_view name, std::string_view holder, int64_t now,
                                     int64_t expires_at) = 0;
  // Gives the lease up when `holder` holds it (no-op otherwise).
  virtual Status release_lease(std::string_view name, std::string_view holder) = 0;
};

}  // namespace exposure::server
