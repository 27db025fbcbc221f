// The PostgreSQL LeaseStore (leases).
#pragma once

#include "storage/lease_store.h"
#include "storage/postgres/pg_store.h"

namespace exposure::server::postgres {

class PgLeaseStore final : public LeaseStore, private PgStore {
 public:
  using PgStore::PgStore;
  Result<bool> acquire_lease(std::string_view name, std::string_view holder, int64_t now,
                             int64_t expires_at) override;
  Status release_lease(std::string_view name, std::string_view holder) override;
};

}  // namespace exposure::server::postgres
