// The SQLite ExposureStore (exposures and COCOA idempotency records).
#pragma once

#include "storage/exposure_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace exposure::server::sqlite {

class SqliteExposureStore final : public ExposureStore, private SqliteStore {
 public:
  using SqliteStore::SqliteStore;
  Result<std::vector<Exposure>> find_exposures(std::span<const KeyData> keys) override;
  Status insert_exposures(std::span<const Exposure> exposures) override;
  Status update_revisions(std::span<const Exposure> exposures) override;
  Status scan_exposures(std::string_view region, int64_t from, int64_t to, bool revised,
                        const std::function<void(const Exposure&)>& visit) override;
  Result<int64_t> delete_exposures_before(int64_t cutoff) override;
  Result<std::optional<IdempotentResult>> find_idempotent_result(const Hash& key_hash) override;
  Status insert_idempotent_result(const IdempotentResult& result) override;
  Result<int64_t> delete_idempotent_results_before(int64_t cutoff) override;
};

}  // namespace exposure::server::sqlite
