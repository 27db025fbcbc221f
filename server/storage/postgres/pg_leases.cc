// PostgreSQL LeaseStore.
#include "storage/postgres/pg_leases.h"

namespace exposure::server::postgres {
Result<bool> PgLeaseStore::acquire_lease(std::string_view name, std::string_view holder,
                                         int64_t now, int64_t expires_at) {
  // A competing INSERT/UPDATE waits for this row's lock and then re-checks the WHERE clause
  // against the committed row, so two instances never both get the lease.
  PG_RUN(
      r,
      "INSERT INTO leases(name, holder, expires_at) VALUES($1, $2, $3) "
      "ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
      "WHERE leases.holder = excluded.holder OR leases.expires_at <= $4",
      name, holder, expires_at, now);
  return r->affected() == 1;
}

Status PgLeaseStore::release_lease(std::string_view name, std::string_view holder) {
  PG_RUN(r, "DELETE FROM leases WHERE name = $1 AND holder = $2", name, holder);
  return Status::Ok();
}

}  // namespace exposure::server::postgres
