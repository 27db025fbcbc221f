// The export component's rows: the fake keys padding each batch, the end of the last
// exported window per region, and the files of the export tree. Reached inside a
// transaction as tx.exports() (storage.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exposure/diagnosis_key.h"
#include "exposure/status.h"
#include "storage/records.h"

namespace exposure::server {

class ExportStore {
 public:
  virtual ~ExportStore() = default;

  // Fake keys persisted for the batch (region, start, end), in insertion order; empty when
  // none. In a write transaction, a second caller for the same batch waits until the first
  // one's transaction ends, so read, then draw and insert when empty, pads a batch once.
  virtual Result<std::vector<DiagnosisKey>> padding_keys(std::string_view region, int64_t start,
                                                         int64_t end) = 0;
  virtual Status insert_padding_keys(std::string_view region, int64_t start, int64_t end,
                                     std::span<const DiagnosisKey> keys) = 0;
  // End of the last exported window of `region`, if any.
  virtual Result<std::optional<int64_t>> last_export_end(std::string_view region) = 0;
  virtual Status set_last_export_end(std::string_view region, int64_t end) = 0;
  // (region, end of the last exported window) of every region exported so far, by region.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> list_export_progress() = 0;
  // Records files (replacing rows with the same name).
  virtual Status upsert_export_files(std::span<const ExportFile> files) = 0;
  // All recorded files, by name.
  virtual Result<std::vector<ExportFile>> list_export_files() = 0;
  // Deletes the rows of files whose batch ended before `cutoff` and returns them (by name),
  // and the padding of those batches.
  virtual Result<std::vector<ExportFile>> delete_export_files_before(int64_t cutoff) = 0;
};

}  // namespace exposure::server
