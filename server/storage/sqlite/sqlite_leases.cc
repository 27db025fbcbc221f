// SQLite LeaseStore.
#include "storage/sqlite/sqlite_leases.h"

namespace exposure::server::sqlite {
Result<bool> SqliteLeaseStore::acquire_lease(std::string_view name, std::string_view holder,
                                             int64_t now, int64_t expires_at) {
  PREPARE(
      s,
      "INSERT INTO leases(name, holder, expires_at) VALUES(?, ?, ?) "
      "ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
      "WHERE leases.holder = excluded.holder OR leases.expires_at <= ?");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(name, holder, expires_at, now).run());
  return CHANGED_ROWS() == 1;
}

Status SqliteLeaseStore::release_lease(std::string_view name, std::string_view holder) {
  PREPARE(s, "DELETE FROM leases WHERE name = ? AND holder = ?");
  return s.bind_all(name, holder).run();
}

}  // namespace exposure::server::sqlite
