// The SQLite ExportStore (export padding, progress and files).
#pragma once

#include "storage/export_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace exposure::server::sqlite {

class SqliteExportStore final : public ExportStore, private SqliteStore {
 public:
  using SqliteStore::SqliteStore;
  Result<std::vector<DiagnosisKey>> padding_keys(std::string_view region, int64_t start,
                                                 int64_t end) override;
  Status insert_padding_keys(std::string_view region, int64_t start, int64_t end,
                             std::span<const DiagnosisKey> keys) override;
  Result<std::optional<int64_t>> last_export_end(std::string_view region) override;
  Status set_last_export_end(std::string_view region, int64_t end) override;
  Result<std::vector<std::pair<std::string, int64_t>>> list_export_progress() override;
  Status upsert_export_files(std::span<const ExportFile> files) override;
  Result<std::vector<ExportFile>> list_export_files() override;
  Result<std::vector<ExportFile>> delete_export_files_before(int64_t cutoff) override;
};

}  // namespace exposure::server::sqlite
