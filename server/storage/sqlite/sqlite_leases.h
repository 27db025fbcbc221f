// The SQLite LeaseStore (leases).
#pragma once

#include "storage/lease_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace exposure::server::sqlite {

class SqliteLeaseStore final : public LeaseStore, private SqliteStore {
 public:
  using SqliteStore::SqliteStore;
  Result<bool> acquire_lease(std::string_view name, std::string_view holder, int64_t now,
                             int64_t expires_at) override;
  Status release_lease(std::string_view name, std::string_view holder) override;
};

}  // namespace exposure::server::sqlite
