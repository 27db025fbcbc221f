// SQLite ExposureStore: exposures and COCOA idempotency records.
#include "storage/sqlite/sqlite_exposures.h"

namespace exposure::server::sqlite {
namespace {

#define EXPOSURE_COLUMNS                                                                                  \
  "key_data, rolling_start, rolling_period, transmission_risk, report_type, days_since_onset, regions, " \
  "traveler, local_provenance, created_at, health_authority_id, revised_report_type, revised_at, "       \
  "revised_days_since_onset, revised_transmission_risk"

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

}  // namespace

Result<std::vector<Exposure>> SqliteExposureStore::find_exposures(std::span<const KeyData> keys) {
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

Status SqliteExposureStore::insert_exposures(std::span<const Exposure> exposures) {
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

Status SqliteExposureStore::update_revisions(std::span<const Exposure> exposures) {
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

Status SqliteExposureStore::scan_exposures(std::string_view region, int64_t from, int64_t to, bool revised,
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

Result<int64_t> SqliteExposureStore::delete_exposures_before(int64_t cutoff) {
  PREPARE(s, "DELETE FROM exposures WHERE created_at < ?");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(cutoff).run());
  return static_cast<int64_t>(CHANGED_ROWS());
}

Result<std::optional<IdempotentResult>> SqliteExposureStore::find_idempotent_result(const Hash& key_hash) {
  PREPARE(s, "SELECT key_hash, http_status, body, created_at FROM idempotent_results WHERE key_hash = ?");
  s.bind_all(ByteView(key_hash));
  auto row = s.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<IdempotentResult>();
  return std::optional<IdempotentResult>(
      IdempotentResult{to_hash(s.blob(0)), static_cast<int>(s.integer(1)), s.text(2), s.integer(3)});
}

Status SqliteExposureStore::insert_idempotent_result(const IdempotentResult& r) {
  PREPARE(s, "INSERT INTO idempotent_results(key_hash, http_status, body, created_at) VALUES(?, ?, ?, ?)");
  return s.bind_all(ByteView(r.key_hash), r.http_status, r.body, r.created_at).run();
}

Result<int64_t> SqliteExposureStore::delete_idempotent_results_before(int64_t cutoff) {
  PREPARE(s, "DELETE FROM idempotent_results WHERE created_at < ?");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(cutoff).run());
  return static_cast<int64_t>(CHANGED_ROWS());
}

}  // namespace exposure::server::sqlite
