// SQLite ExportStore: export padding, progress and files.
#include "storage/sqlite/sqlite_exports.h"

namespace exposure::server::sqlite {
namespace {

ExportFile read_export_file(const Statement& s) {
  ExportFile f;
  f.name = s.text(0);
  f.region = s.text(1);
  f.batch_start = s.integer(2);
  f.batch_end = s.integer(3);
  f.file_num = static_cast<int32_t>(s.integer(4));
  f.created_at = s.integer(5);
  f.size = s.integer(6);
  return f;
}

}  // namespace
Result<std::vector<DiagnosisKey>> SqliteExportStore::padding_keys(std::string_view region,
                                                                  int64_t start, int64_t end) {
  PREPARE(s,
          "SELECT key_data, rolling_start, rolling_period, transmission_risk, report_type, "
          "days_since_onset "
          "FROM padding_keys WHERE region = ? AND batch_start = ? AND batch_end = ? ORDER BY seq");
  s.bind_all(region, start, end);
  std::vector<DiagnosisKey> out;
  while (true) {
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    DiagnosisKey k;
    ByteView key = s.blob(0);
    if (key.size() == k.key_data.size()) std::memcpy(k.key_data.data(), key.data(), key.size());
    k.rolling_start_interval_number = static_cast<EnIntervalNumber>(s.integer(1));
    k.rolling_period = static_cast<uint32_t>(s.integer(2));
    k.transmission_risk_level = static_cast<int32_t>(s.integer(3));
    k.report_type = static_cast<ReportType>(s.integer(4));
    k.days_since_onset_of_symptoms = narrow(s.optional_integer(5));
    out.push_back(k);
  }
  return out;
}

Status SqliteExportStore::insert_padding_keys(std::string_view region, int64_t start, int64_t end,
                                              std::span<const DiagnosisKey> keys) {
  PREPARE(s,
          "INSERT INTO padding_keys(region, batch_start, batch_end, seq, key_data, rolling_start, "
          "rolling_period, "
          "transmission_risk, report_type, days_since_onset) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int64_t seq = 0;
  for (const DiagnosisKey& k : keys) {
    s.reset();
    s.bind_all(region, start, end, seq++, ByteView(k.key_data), k.rolling_start_interval_number,
               k.rolling_period, k.transmission_risk_level, static_cast<int>(k.report_type),
               widen(k.days_since_onset_of_symptoms));
    EXPOSURE_RETURN_IF_ERROR(s.run());
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> SqliteExportStore::last_export_end(std::string_view region) {
  PREPARE(s, "SELECT last_end FROM export_state WHERE region = ?");
  s.bind_all(region);
  auto row = s.step();
  if (!row.ok()) return row.status();
  return *row ? std::optional<int64_t>(s.integer(0)) : std::nullopt;
}

Status SqliteExportStore::set_last_export_end(std::string_view region, int64_t end) {
  PREPARE(s,
          "INSERT INTO export_state(region, last_end) VALUES(?, ?) "
          "ON CONFLICT(region) DO UPDATE SET last_end = excluded.last_end");
  return s.bind_all(region, end).run();
}

Result<std::vector<std::pair<std::string, int64_t>>> SqliteExportStore::list_export_progress() {
  PREPARE(s, "SELECT region, last_end FROM export_state ORDER BY region");
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.emplace_back(s.text(0), s.integer(1));
  }
  return out;
}

Status SqliteExportStore::upsert_export_files(std::span<const ExportFile> files) {
  PREPARE(s,
          "INSERT OR REPLACE INTO export_files(name, region, batch_start, batch_end, file_num, "
          "created_at, size) "
          "VALUES(?, ?, ?, ?, ?, ?, ?)");
  for (const ExportFile& f : files) {
    s.reset();
    s.bind_all(f.name, f.region, f.batch_start, f.batch_end, f.file_num, f.created_at, f.size);
    EXPOSURE_RETURN_IF_ERROR(s.run());
  }
  return Status::Ok();
}

Result<std::vector<ExportFile>> SqliteExportStore::list_export_files() {
  PREPARE(s,
          "SELECT name, region, batch_start, batch_end, file_num, created_at, size FROM "
          "export_files ORDER BY name");
  std::vector<ExportFile> out;
  while (true) {
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(read_export_file(s));
  }
  return out;
}

Result<std::vector<ExportFile>> SqliteExportStore::delete_export_files_before(int64_t cutoff) {
  std::vector<ExportFile> doomed;
  {
    PREPARE(
        s,
        "SELECT name, region, batch_start, batch_end, file_num, created_at, size FROM export_files "
        "WHERE batch_end < ? ORDER BY name");
    s.bind_all(cutoff);
    while (true) {
      auto row = s.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      doomed.push_back(read_export_file(s));
    }
  }
  {
    PREPARE(s, "DELETE FROM export_files WHERE batch_end < ?");
    EXPOSURE_RETURN_IF_ERROR(s.bind_all(cutoff).run());
  }
  {
    PREPARE(s, "DELETE FROM padding_keys WHERE batch_end < ?");
    EXPOSURE_RETURN_IF_ERROR(s.bind_all(cutoff).run());
  }
  return doomed;
}

}  // namespace exposure::server::sqlite
