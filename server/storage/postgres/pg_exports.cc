// PostgreSQL ExportStore: export padding, progress and files.
#include "storage/postgres/pg_exports.h"

#include <algorithm>

#include "storage/postgres/pg_arrays.h"

namespace exposure::server::postgres {
namespace {

#define EXPORT_FILE_COLUMNS "name, region, batch_start, batch_end, file_num, created_at, size"

std::vector<ExportFile> read_export_files(const Rows& r) {
  std::vector<ExportFile> out;
  for (int i = 0; i < r.size(); ++i) {
    ExportFile f;
    f.name = r.text(i, 0);
    f.region = r.text(i, 1);
    f.batch_start = r.integer(i, 2);
    f.batch_end = r.integer(i, 3);
    f.file_num = static_cast<int32_t>(r.integer(i, 4));
    f.created_at = r.integer(i, 5);
    f.size = r.integer(i, 6);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace
Result<std::vector<DiagnosisKey>> PgExportStore::padding_keys(std::string_view region,
                                                              int64_t start, int64_t end) {
  // Read-then-insert of a batch's padding: one writer per batch.
  EXPOSURE_RETURN_IF_ERROR(
      lock(kLockPadding, {lock_key(as_bytes(region)) ^ static_cast<int32_t>(start)}));
  PG_RUN(r,
         "SELECT key_data, rolling_start, rolling_period, transmission_risk, report_type, "
         "days_since_onset "
         "FROM padding_keys WHERE region = $1 AND batch_start = $2 AND batch_end = $3 ORDER BY seq",
         region, start, end);
  std::vector<DiagnosisKey> out(static_cast<size_t>(r->size()));
  for (int i = 0; i < r->size(); ++i) {
    DiagnosisKey& k = out[static_cast<size_t>(i)];
    copy_exact(r->bytes(i, 0), &k.key_data);
    k.rolling_start_interval_number = static_cast<EnIntervalNumber>(r->integer(i, 1));
    k.rolling_period = static_cast<uint32_t>(r->integer(i, 2));
    k.transmission_risk_level = static_cast<int32_t>(r->integer(i, 3));
    k.report_type = static_cast<ReportType>(r->integer(i, 4));
    k.days_since_onset_of_symptoms = narrow(r->optional_integer(i, 5));
  }
  return out;
}

Status PgExportStore::insert_padding_keys(std::string_view region, int64_t start, int64_t end,
                                          std::span<const DiagnosisKey> keys) {
  if (keys.empty()) return Status::Ok();
  Columns<7> rows;
  int64_t seq = 0;
  for (const DiagnosisKey& k : keys) {
    rows.add_row(seq++, ByteView(k.key_data), int64_t{k.rolling_start_interval_number},
                 int64_t{k.rolling_period}, int64_t{k.transmission_risk_level},
                 static_cast<int64_t>(k.report_type), widen(k.days_since_onset_of_symptoms));
  }
  Params params = rows.params();
  params.add(region).add(start).add(end);
  auto r = conn_.run(
      "INSERT INTO padding_keys(region, batch_start, batch_end, seq, key_data, rolling_start, "
      "rolling_period, "
      "transmission_risk, report_type, days_since_onset) SELECT $8, $9, $10, s, decode(k, 'hex'), "
      "rs, rp, tr, rt, dso "
      "FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], "
      "$6::bigint[], $7::bigint[]) "
      "AS u(s, k, rs, rp, tr, rt, dso)",
      params);
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::optional<int64_t>> PgExportStore::last_export_end(std::string_view region) {
  PG_RUN(r, "SELECT last_end FROM export_state WHERE region = $1", region);
  return r->size() == 0 ? std::nullopt : std::optional<int64_t>(r->integer(0, 0));
}

Status PgExportStore::set_last_export_end(std::string_view region, int64_t end) {
  PG_RUN(r,
         "INSERT INTO export_state(region, last_end) VALUES($1, $2) "
         "ON CONFLICT(region) DO UPDATE SET last_end = excluded.last_end",
         region, end);
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, int64_t>>> PgExportStore::list_export_progress() {
  PG_RUN(r, "SELECT region, last_end FROM export_state ORDER BY region");
  std::vector<std::pair<std::string, int64_t>> out;
  for (int i = 0; i < r->size(); ++i) out.emplace_back(r->text(i, 0), r->integer(i, 1));
  return out;
}

Status PgExportStore::upsert_export_files(std::span<const ExportFile> files) {
  for (const ExportFile& f : files) {
    PG_RUN(r,
           "INSERT INTO export_files(" EXPORT_FILE_COLUMNS
           ") VALUES($1, $2, $3, $4, $5, $6, $7) "
           "ON CONFLICT(name) DO UPDATE SET region = excluded.region, batch_start = "
           "excluded.batch_start, "
           "batch_end = excluded.batch_end, file_num = excluded.file_num, created_at = "
           "excluded.created_at, "
           "size = excluded.size",
           f.name, f.region, f.batch_start, f.batch_end, f.file_num, f.created_at, f.size);
  }
  return Status::Ok();
}

Result<std::vector<ExportFile>> PgExportStore::list_export_files() {
  PG_RUN(r, "SELECT " EXPORT_FILE_COLUMNS " FROM export_files ORDER BY name");
  return read_export_files(*r);
}

Result<std::vector<ExportFile>> PgExportStore::delete_export_files_before(int64_t cutoff) {
  PG_RUN(r, "DELETE FROM export_files WHERE batch_end < $1 RETURNING " EXPORT_FILE_COLUMNS, cutoff);
  std::vector<ExportFile> doomed = read_export_files(*r);
  std::sort(doomed.begin(), doomed.end(),
            [](const ExportFile& a, const ExportFile& b) { return a.name < b.name; });
  PG_RUN(p, "DELETE FROM padding_keys WHERE batch_end < $1", cutoff);
  return doomed;
}

}  // namespace exposure::server::postgres
