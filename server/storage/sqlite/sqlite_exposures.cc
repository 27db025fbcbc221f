// SQLite transaction methods: exposures, export batches and files, idempotency records,
// leases, housekeeping.
#include <cstring>

#include "storage/sqlite/sqlite_storage.h"

namespace exposure::server::sqlite {
namespace {

#define EXPOSURE_COLUMNS                                                                                  \
  "key_data, rolling_start, rolling_period, transmission_risk, report_type, days_since_onset, regions, " \
  "traveler, local_provenance, created_at, health_authority_id, revised_report_type, revised_at, "       \
  "revised_days_since_onset, revised_transmission_risk"

std::optional<int32_t> narrow(const std::optional<int64_t>& v) {
  return v ? std::optional<int32_t>(static_cast<int32_t>(*v)) : std::nullopt;
}
std::optional<int64_t> widen(const std::optional<int32_t>& v) {
  return v ? std::optional<int64_t>(*v) : std::nullopt;
}

void read_exposure(const Statement& s, Exposure* e) {
  ByteView key = s.blob(0);
  if (key.size() == e->key_data.size()) std::memcpy(e->key_data.data(), key.data(), key.size());
  e->rolling_start = static_cast<uint32_t>(s.integer(1));
  e->rolling_period = static_cast<uint32_t>(s.integer(2));
  e->transmission_risk = static_cast<int32_t>(s.integer(3));
  e->report_type = s.text(4);
  e->days_since_onset = narrow(s.optional_integer(5));
  e->regions = split_regions(s.text(6));
  e->traveler = s.integer(7) != 0;
  e->local_provenance = s.integer(8) != 0;
  e->created_at = s.integer(9);
  e->health_authority_id = s.integer(10);
  e->revised_report_type = s.text(11);
  e->revised_at = s.optional_integer(12);
  e->revised_days_since_onset = narrow(s.optional_integer(13));
  e->revised_transmission_risk = narrow(s.optional_integer(14));
}

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

Result<std::vector<Exposure>> SqliteTransaction::find_exposures(std::span<const KeyData> keys) {
  PREPARE(s, "SELECT " EXPOSURE_COLUMNS " FROM exposures WHERE key_data = ?");
  std::vector<Exposure> out;
  for (const KeyData& key : keys) {
    s.reset();
    s.bind_all(ByteView(key));
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (*row) {
      Exposure e;
      read_exposure(s, &e);
      out.push_back(std::move(e));
    }
  }
  return out;
}

Status SqliteTransaction::insert_exposures(std::span<const Exposure> exposures) {
  PREPARE(s, "INSERT INTO exposures(" EXPOSURE_COLUMNS ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const Exposure& e : exposures) {
    s.reset();
    s.bind_all(ByteView(e.key_data), e.rolling_start, e.rolling_period, e.transmission_risk, e.report_type,
               widen(e.days_since_onset), join_regions(e.regions), e.traveler, e.local_provenance, e.created_at,
               e.health_authority_id, e.revised_report_type, e.revised_at, widen(e.revised_days_since_onset),
               widen(e.revised_transmission_risk));
    EXPOSURE_RETURN_IF_ERROR(s.run());
  }
  return Status::Ok();
}

Status SqliteTransaction::update_revisions(std::span<const Exposure> exposures) {
  PREPARE(s,
          "UPDATE exposures SET revised_report_type = ?, revised_at = ?, revised_days_since_onset = ?, "
          "revised_transmission_risk = ?, regions = ? WHERE key_data = ?");
  for (const Exposure& e : exposures) {
    s.reset();
    s.bind_all(e.revised_report_type, e.revised_at, widen(e.revised_days_since_onset),
               widen(e.revised_transmission_risk), join_regions(e.regions), ByteView(e.key_data));
    EXPOSURE_RETURN_IF_ERROR(s.run());
    if (CHANGED_ROWS() != 1) return Status(ErrorCode::kNotFound, "revised key is not stored");
  }
  return Status::Ok();
}

Status SqliteTransaction::scan_exposures(std::string_view region, int64_t from, int64_t to, bool revised,
                                         const std::function<void(const Exposure&)>& visit) {
  auto stmt = revised ? db_.prepare("SELECT " EXPOSURE_COLUMNS
                                    " FROM exposures WHERE revised_at >= ? AND revised_at < ? "
                                    "AND instr(',' || regions || ',', ?) > 0")
                      : db_.prepare("SELECT " EXPOSURE_COLUMNS
                                    " FROM exposures WHERE created_at >= ? AND created_at < ? "
                                    "AND instr(',' || regions || ',', ?) > 0");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.bind_all(from, to, "," + std::string(region) + ",");
  Exposure e;
  while (true) {
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    read_exposure(s, &e);
    visit(e);
  }
  return Status::Ok();
}

Result<int64_t> SqliteTransaction::delete_exposures_before(int64_t cutoff) {
  PREPARE(s, "DELETE FROM exposures WHERE created_at < ?");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(cutoff).run());
  return static_cast<int64_t>(CHANGED_ROWS());
}

Result<std::vector<DiagnosisKey>> SqliteTransaction::padding_keys(std::string_view region, int64_t start,
                                                                  int64_t end) {
  PREPARE(s,
          "SELECT key_data, rolling_start, rolling_period, transmission_risk, report_type, days_since_onset "
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

Status SqliteTransaction::insert_padding_keys(std::string_view region, int64_t start, int64_t end,
                                              std::span<const DiagnosisKey> keys) {
  PREPARE(s,
          "INSERT INTO padding_keys(region, batch_start, batch_end, seq, key_data, rolling_start, rolling_period, "
          "transmission_risk, report_type, days_since_onset) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int64_t seq = 0;
  for (const DiagnosisKey& k : keys) {
    s.reset();
    s.bind_all(region, start, end, seq++, ByteView(k.key_data), k.rolling_start_interval_number, k.rolling_period,
               k.transmission_risk_level, static_cast<int>(k.report_type), widen(k.days_since_onset_of_symptoms));
    EXPOSURE_RETURN_IF_ERROR(s.run());
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> SqliteTransaction::last_export_end(std::string_view region) {
  PREPARE(s, "SELECT last_end FROM export_state WHERE region = ?");
  s.bind_all(region);
  auto row = s.step();
  if (!row.ok()) return row.status();
  return *row ? std::optional<int64_t>(s.integer(0)) : std::nullopt;
}

Status SqliteTransaction::set_last_export_end(std::string_view region, int64_t end) {
  PREPARE(s, "INSERT INTO export_state(region, last_end) VALUES(?, ?) "
             "ON CONFLICT(region) DO UPDATE SET last_end = excluded.last_end");
  return s.bind_all(region, end).run();
}

Result<std::vector<std::pair<std::string, int64_t>>> SqliteTransaction::list_export_progress() {
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

Status SqliteTransaction::upsert_export_files(std::span<const ExportFile> files) {
  PREPARE(s,
          "INSERT OR REPLACE INTO export_files(name, region, batch_start, batch_end, file_num, created_at, size) "
          "VALUES(?, ?, ?, ?, ?, ?, ?)");
  for (const ExportFile& f : files) {
    s.reset();
    s.bind_all(f.name, f.region, f.batch_start, f.batch_end, f.file_num, f.created_at, f.size);
    EXPOSURE_RETURN_IF_ERROR(s.run());
  }
  return Status::Ok();
}

Result<std::vector<ExportFile>> SqliteTransaction::list_export_files() {
  PREPARE(s,
          "SELECT name, region, batch_start, batch_end, file_num, created_at, size FROM export_files ORDER BY name");
  std::vector<ExportFile> out;
  while (true) {
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(read_export_file(s));
  }
  return out;
}

Result<std::vector<ExportFile>> SqliteTransaction::delete_export_files_before(int64_t cutoff) {
  std::vector<ExportFile> doomed;
  {
    PREPARE(s,
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

Result<std::optional<IdempotentResult>> SqliteTransaction::find_idempotent_result(const Hash& key_hash) {
  PREPARE(s, "SELECT key_hash, http_status, body, created_at FROM idempotent_results WHERE key_hash = ?");
  s.bind_all(ByteView(key_hash));
  auto row = s.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<IdempotentResult>();
  return std::optional<IdempotentResult>(
      IdempotentResult{to_hash(s.blob(0)), static_cast<int>(s.integer(1)), s.text(2), s.integer(3)});
}

Status SqliteTransaction::insert_idempotent_result(const IdempotentResult& r) {
  PREPARE(s, "INSERT INTO idempotent_results(key_hash, http_status, body, created_at) VALUES(?, ?, ?, ?)");
  return s.bind_all(ByteView(r.key_hash), r.http_status, r.body, r.created_at).run();
}

Result<bool> SqliteTransaction::acquire_lease(std::string_view name, std::string_view holder, int64_t now,
                                              int64_t expires_at) {
  PREPARE(s,
          "INSERT INTO leases(name, holder, expires_at) VALUES(?, ?, ?) "
          "ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
          "WHERE leases.holder = excluded.holder OR leases.expires_at <= ?");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(name, holder, expires_at, now).run());
  return CHANGED_ROWS() == 1;
}

Status SqliteTransaction::release_lease(std::string_view name, std::string_view holder) {
  PREPARE(s, "DELETE FROM leases WHERE name = ? AND holder = ?");
  return s.bind_all(name, holder).run();
}

Result<int64_t> SqliteTransaction::delete_expired_secrets(int64_t cutoff) {
  static const char* const kStatements[] = {
      "DELETE FROM verification_codes WHERE expires_at < ?",
      "DELETE FROM verification_tokens WHERE expires_at < ?",
      "DELETE FROM idempotent_results WHERE created_at < ?",
      "DELETE FROM code_failures WHERE window_start < ?",
  };
  int64_t total = 0;
  for (const char* sql : kStatements) {
    PREPARE(s, sql);
    EXPOSURE_RETURN_IF_ERROR(s.bind_all(cutoff).run());
    total += CHANGED_ROWS();
  }
  return total;
}

}  // namespace exposure::server::sqlite
