#include "storage/postgres/pg_store.h"

#include <algorithm>
#include <string>

namespace exposure::server::postgres {

int32_t lock_key(ByteView bytes) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4 && i < bytes.size(); ++i) v = (v << 8) | bytes[i];
  return static_cast<int32_t>(v);
}

Status PgStore::lock(int32_t space, std::vector<int32_t> keys) {
  if (!writable_) return Status::Ok();
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (keys.empty()) return Status::Ok();
  std::string array = "{";
  for (int32_t key : keys) array += (array.size() > 1 ? "," : "") + std::to_string(key);
  array += "}";
  // The aggregate consumes the sorted subquery in order, so the locks are taken ascending.
  PG_RUN(r,
         "SELECT count(pg_advisory_xact_lock($1, k)) FROM "
         "(SELECT k FROM unnest($2::int4[]) AS k ORDER BY k) AS sorted",
         int64_t{space}, array);
  return Status::Ok();
}

}  // namespace exposure::server::postgres
