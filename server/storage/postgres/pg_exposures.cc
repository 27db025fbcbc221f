// PostgreSQL transaction methods: exposures, export batches and files, idempotency records,
// leases, housekeeping.
#include <algorithm>
#include <cstring>
#include <utility>

#include "storage/postgres/pg_storage.h"

namespace exposure::server::postgres {
namespace {

#define EXPOSURE_COLUMNS                                                                                  \
  "key_data, rolling_start, rolling_period, transmission_risk, report_type, days_since_onset, regions, " \
  "traveler, local_provenance, created_at, health_authority_id, revised_report_type, revised_at, "       \
  "revised_days_since_onset, revised_transmission_risk"
#define EXPORT_FILE_COLUMNS "name, region, batch_start, batch_end, file_num, created_at, size"

std::optional<int32_t> narrow(const std::optional<int64_t>& v) {
  return v ? std::optional<int32_t>(static_cast<int32_t>(*v)) : std::nullopt;
}
std::optional<int64_t> widen(const std::optional<int32_t>& v) {
  return v ? std::optional<int64_t>(*v) : std::nullopt;
}

template <size_t N>
void copy_exact(const Bytes& from, std::array<uint8_t, N>* to) {
  if (from.size() == N) std::memcpy(to->data(), from.data(), N);
}

void read_exposure(const Rows& r, int i, Exposure* e) {
  copy_exact(r.bytes(i, 0), &e->key_data);
  e->rolling_start = static_cast<uint32_t>(r.integer(i, 1));
  e->rolling_period = static_cast<uint32_t>(r.integer(i, 2));
  e->transmission_risk = static_cast<int32_t>(r.integer(i, 3));
  e->report_type = r.text(i, 4);
  e->days_since_onset = narrow(r.optional_integer(i, 5));
  e->regions = split_regions(r.text(i, 6));
  e->traveler = r.boolean(i, 7);
  e->local_provenance = r.boolean(i, 8);
  e->created_at = r.integer(i, 9);
  e->health_authority_id = r.integer(i, 10);
  e->revised_report_type = r.text(i, 11);
  e->revised_at = r.optional_integer(i, 12);
  e->revised_days_since_onset = narrow(r.optional_integer(i, 13));
  e->revised_transmission_risk = narrow(r.optional_integer(i, 14));
}

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

// A PostgreSQL array literal ({"a","b",NULL}) built element by element, so a batch of
// rows travels as one parameter per column (unnest) in one round trip.
class ArrayLiteral {
 public:
  void add(std::string_view text) {
    separate();
    out_ += '"';
    for (char c : text) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }
  void add(int64_t v) { add(std::string_view(std::to_string(v))); }
  void add(bool v) { add(std::string_view(v ? "true" : "false")); }
  void add(ByteView bytes) { add(std::string_view(to_hex(bytes))); }  // decode(x, 'hex') in SQL
  template <typename T>
  void add(const std::optional<T>& v) {
    if (v) return add(int64_t{*v});
    separate();
    out_ += "NULL";
  }
  std::string text() const { return out_ + "}"; }

 private:
  void separate() {
    if (out_.size() > 1) out_ += ',';
  }
  std::string out_ = "{";
};

// One array per column: columns[i] gets the i-th value of each row.
template <size_t N>
struct Columns {
  ArrayLiteral column[N];
  template <typename... Values>
  void add_row(const Values&... values) {
    static_assert(sizeof...(Values) == N);
    size_t i = 0;
    (column[i++].add(values), ...);
  }
  template <size_t... I>
  Params params(std::index_sequence<I...>) const {
    return Params::of(column[I].text()...);
  }
  Params params() const { return params(std::make_index_sequence<N>()); }
};

}  // namespace

Status PgTransaction::lock(int32_t space, std::vector<int32_t> keys) {
  if (!writable_) return Status::Ok();
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (keys.empty()) return Status::Ok();
  ArrayLiteral array;
  for (int32_t key : keys) array.add(int64_t{key});
  // The aggregate consumes the sorted subquery in order, so the locks are taken ascending.
  PG_RUN(r,
         "SELECT count(pg_advisory_xact_lock($1, k)) FROM "
         "(SELECT k FROM unnest($2::int4[]) AS k ORDER BY k) AS sorted",
         int64_t{space}, array.text());
  return Status::Ok();
}

Result<std::vector<Exposure>> PgTransaction::find_exposures(std::span<const KeyData> keys) {
  // Uploads of the same keys queue here, so each sees the other's keys once committed (READ
  // COMMITTED reads the latest commit with every statement) and revises a key only once.
  std::vector<int32_t> lock_keys;
  for (const KeyData& k : keys) lock_keys.push_back(lock_key(k));
  EXPOSURE_RETURN_IF_ERROR(lock(kLockExposureKeys, std::move(lock_keys)));
  ArrayLiteral hex_keys;
  for (const KeyData& k : keys) hex_keys.add(ByteView(k));
  PG_RUN(r,
         "SELECT " EXPOSURE_COLUMNS
         " FROM exposures WHERE key_data = ANY(SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h)",
         hex_keys.text());
  std::vector<Exposure> out(static_cast<size_t>(r->size()));
  for (int i = 0; i < r->size(); ++i) read_exposure(*r, i, &out[static_cast<size_t>(i)]);
  return out;
}

Status PgTransaction::insert_exposures(std::span<const Exposure> exposures) {
  if (exposures.empty()) return Status::Ok();
  Columns<15> rows;
  for (const Exposure& e : exposures) {
    rows.add_row(ByteView(e.key_data), int64_t{e.rolling_start}, int64_t{e.rolling_period},
                 int64_t{e.transmission_risk}, std::string_view(e.report_type), widen(e.days_since_onset),
                 std::string_view(join_regions(e.regions)), e.traveler, e.local_provenance, e.created_at,
                 e.health_authority_id, std::string_view(e.revised_report_type), e.revised_at,
                 widen(e.revised_days_since_onset), widen(e.revised_transmission_risk));
  }
  auto r = conn_.run(
      "INSERT INTO exposures(" EXPOSURE_COLUMNS
      ") SELECT decode(k, 'hex'), rs, rp, tr, rt, dso, rg, tv, lp, ca, ha, rrt, ra, rdso, rtr FROM unnest("
      "$1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::text[], $8::boolean[], "
      "$9::boolean[], $10::bigint[], $11::bigint[], $12::text[], $13::bigint[], $14::bigint[], $15::bigint[]) "
      "AS u(k, rs, rp, tr, rt, dso, rg, tv, lp, ca, ha, rrt, ra, rdso, rtr) ON CONFLICT DO NOTHING",
      rows.params());
  if (!r.ok()) return r.status();
  if (r->affected() != static_cast<int64_t>(exposures.size())) {
    return Status(ErrorCode::kAlreadyExists, "constraint: exposure key already stored");
  }
  return Status::Ok();
}

Status PgTransaction::update_revisions(std::span<const Exposure> exposures) {
  for (const Exposure& e : exposures) {
    PG_RUN(r,
           "UPDATE exposures SET revised_report_type = $1, revised_at = $2, revised_days_since_onset = $3, "
           "revised_transmission_risk = $4, regions = $5 WHERE key_data = $6",
           e.revised_report_type, e.revised_at, widen(e.revised_days_since_onset),
           widen(e.revised_transmission_risk), join_regions(e.regions), ByteView(e.key_data));
    if (r->affected() != 1) return Status(ErrorCode::kNotFound, "revised key is not stored");
  }
  return Status::Ok();
}

Status PgTransaction::scan_exposures(std::string_view region, int64_t from, int64_t to, bool revised,
                                     const std::function<void(const Exposure&)>& visit) {
  const std::string needle = "," + std::string(region) + ",";
  auto r = revised ? conn_.run("SELECT " EXPOSURE_COLUMNS
                               " FROM exposures WHERE revised_at >= $1 AND revised_at < $2 "
                               "AND strpos(',' || regions || ',', $3) > 0",
                               Params::of(from, to, needle))
                   : conn_.run("SELECT " EXPOSURE_COLUMNS
                               " FROM exposures WHERE created_at >= $1 AND created_at < $2 "
                               "AND strpos(',' || regions || ',', $3) > 0",
                               Params::of(from, to, needle));
  if (!r.ok()) return r.status();
  Exposure e;
  for (int i = 0; i < r->size(); ++i) {
    read_exposure(*r, i, &e);
    visit(e);
  }
  return Status::Ok();
}

Result<int64_t> PgTransaction::delete_exposures_before(int64_t cutoff) {
  PG_RUN(r, "DELETE FROM exposures WHERE created_at < $1", cutoff);
  return r->affected();
}

Result<std::vector<DiagnosisKey>> PgTransaction::padding_keys(std::string_view region, int64_t start, int64_t end) {
  // Read-then-insert of a batch's padding: one writer per batch.
  EXPOSURE_RETURN_IF_ERROR(lock(kLockPadding, {lock_key(as_bytes(region)) ^ static_cast<int32_t>(start)}));
  PG_RUN(r,
         "SELECT key_data, rolling_start, rolling_period, transmission_risk, report_type, days_since_onset "
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

Status PgTransaction::insert_padding_keys(std::string_view region, int64_t start, int64_t end,
                                          std::span<const DiagnosisKey> keys) {
  if (keys.empty()) return Status::Ok();
  Columns<7> rows;
  int64_t seq = 0;
  for (const DiagnosisKey& k : keys) {
    rows.add_row(seq++, ByteView(k.key_data), int64_t{k.rolling_start_interval_number}, int64_t{k.rolling_period},
                 int64_t{k.transmission_risk_level}, static_cast<int64_t>(k.report_type),
                 widen(k.days_since_onset_of_symptoms));
  }
  Params params = rows.params();
  params.add(region).add(start).add(end);
  auto r = conn_.run(
      "INSERT INTO padding_keys(region, batch_start, batch_end, seq, key_data, rolling_start, rolling_period, "
      "transmission_risk, report_type, days_since_onset) SELECT $8, $9, $10, s, decode(k, 'hex'), rs, rp, tr, rt, dso "
      "FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[]) "
      "AS u(s, k, rs, rp, tr, rt, dso)",
      params);
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::optional<int64_t>> PgTransaction::last_export_end(std::string_view region) {
  PG_RUN(r, "SELECT last_end FROM export_state WHERE region = $1", region);
  return r->size() == 0 ? std::nullopt : std::optional<int64_t>(r->integer(0, 0));
}

Status PgTransaction::set_last_export_end(std::string_view region, int64_t end) {
  PG_RUN(r,
         "INSERT INTO export_state(region, last_end) VALUES($1, $2) "
         "ON CONFLICT(region) DO UPDATE SET last_end = excluded.last_end",
         region, end);
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, int64_t>>> PgTransaction::list_export_progress() {
  PG_RUN(r, "SELECT region, last_end FROM export_state ORDER BY region");
  std::vector<std::pair<std::string, int64_t>> out;
  for (int i = 0; i < r->size(); ++i) out.emplace_back(r->text(i, 0), r->integer(i, 1));
  return out;
}

Status PgTransaction::upsert_export_files(std::span<const ExportFile> files) {
  for (const ExportFile& f : files) {
    PG_RUN(r,
           "INSERT INTO export_files(" EXPORT_FILE_COLUMNS ") VALUES($1, $2, $3, $4, $5, $6, $7) "
           "ON CONFLICT(name) DO UPDATE SET region = excluded.region, batch_start = excluded.batch_start, "
           "batch_end = excluded.batch_end, file_num = excluded.file_num, created_at = excluded.created_at, "
           "size = excluded.size",
           f.name, f.region, f.batch_start, f.batch_end, f.file_num, f.created_at, f.size);
  }
  return Status::Ok();
}

Result<std::vector<ExportFile>> PgTransaction::list_export_files() {
  PG_RUN(r, "SELECT " EXPORT_FILE_COLUMNS " FROM export_files ORDER BY name");
  return read_export_files(*r);
}

Result<std::vector<ExportFile>> PgTransaction::delete_export_files_before(int64_t cutoff) {
  PG_RUN(r, "DELETE FROM export_files WHERE batch_end < $1 RETURNING " EXPORT_FILE_COLUMNS, cutoff);
  std::vector<ExportFile> doomed = read_export_files(*r);
  std::sort(doomed.begin(), doomed.end(), [](const ExportFile& a, const ExportFile& b) { return a.name < b.name; });
  PG_RUN(p, "DELETE FROM padding_keys WHERE batch_end < $1", cutoff);
  return doomed;
}

Result<std::optional<IdempotentResult>> PgTransaction::find_idempotent_result(const Hash& key_hash) {
  // Repeats of one request queue here: the later ones find the first one's answer.
  EXPOSURE_RETURN_IF_ERROR(lock(kLockIdempotency, {lock_key(key_hash)}));
  PG_RUN(r, "SELECT key_hash, http_status, body, created_at FROM idempotent_results WHERE key_hash = $1",
         ByteView(key_hash));
  if (r->size() == 0) return std::optional<IdempotentResult>();
  return std::optional<IdempotentResult>(
      IdempotentResult{to_hash(r->bytes(0, 0)), static_cast<int>(r->integer(0, 1)), r->text(0, 2), r->integer(0, 3)});
}

Status PgTransaction::insert_idempotent_result(const IdempotentResult& x) {
  PG_RUN(r,
         "INSERT INTO idempotent_results(key_hash, http_status, body, created_at) VALUES($1, $2, $3, $4) "
         "ON CONFLICT DO NOTHING",
         ByteView(x.key_hash), x.http_status, x.body, x.created_at);
  if (r->affected() != 1) return Status(ErrorCode::kAlreadyExists, "constraint: idempotency key already stored");
  return Status::Ok();
}

Result<bool> PgTransaction::acquire_lease(std::string_view name, std::string_view holder, int64_t now,
                                          int64_t expires_at) {
  // A competing INSERT/UPDATE waits for this row's lock and then re-checks the WHERE clause
  // against the committed row, so two instances never both get the lease.
  PG_RUN(r,
         "INSERT INTO leases(name, holder, expires_at) VALUES($1, $2, $3) "
         "ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
         "WHERE leases.holder = excluded.holder OR leases.expires_at <= $4",
         name, holder, expires_at, now);
  return r->affected() == 1;
}

Status PgTransaction::release_lease(std::string_view name, std::string_view holder) {
  PG_RUN(r, "DELETE FROM leases WHERE name = $1 AND holder = $2", name, holder);
  return Status::Ok();
}

Result<int64_t> PgTransaction::delete_expired_secrets(int64_t cutoff) {
  static const char* const kStatements[] = {
      "DELETE FROM verification_codes WHERE expires_at < $1",
      "DELETE FROM verification_tokens WHERE expires_at < $1",
      "DELETE FROM idempotent_results WHERE created_at < $1",
      "DELETE FROM code_failures WHERE window_start < $1",
  };
  int64_t total = 0;
  for (const char* sql : kStatements) {
    PG_RUN(r, sql, cutoff);
    total += r->affected();
  }
  return total;
}

}  // namespace exposure::server::postgres
