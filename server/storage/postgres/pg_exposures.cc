// PostgreSQL ExposureStore: exposures and COCOA idempotency records.
#include "storage/postgres/pg_exposures.h"

#include "storage/postgres/pg_arrays.h"

namespace exposure::server::postgres {
namespace {

#define EXPOSURE_COLUMNS                                                                                  \
  "key_data, rolling_start, rolling_period, transmission_risk, report_type, days_since_onset, regions, " \
  "traveler, local_provenance, created_at, health_authority_id, revised_report_type, revised_at, "       \
  "revised_days_since_onset, revised_transmission_risk"

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

}  // namespace
Result<std::vector<Exposure>> PgExposureStore::find_exposures(std::span<const KeyData> keys) {
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

Status PgExposureStore::insert_exposures(std::span<const Exposure> exposures) {
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

Status PgExposureStore::update_revisions(std::span<const Exposure> exposures) {
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

Status PgExposureStore::scan_exposures(std::string_view region, int64_t from, int64_t to, bool revised,
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

Result<int64_t> PgExposureStore::delete_exposures_before(int64_t cutoff) {
  PG_RUN(r, "DELETE FROM exposures WHERE created_at < $1", cutoff);
  return r->affected();
}

Result<std::optional<IdempotentResult>> PgExposureStore::find_idempotent_result(const Hash& key_hash) {
  // Repeats of one request queue here: the later ones find the first one's answer.
  EXPOSURE_RETURN_IF_ERROR(lock(kLockIdempotency, {lock_key(key_hash)}));
  PG_RUN(r, "SELECT key_hash, http_status, body, created_at FROM idempotent_results WHERE key_hash = $1",
         ByteView(key_hash));
  if (r->size() == 0) return std::optional<IdempotentResult>();
  return std::optional<IdempotentResult>(
      IdempotentResult{to_hash(r->bytes(0, 0)), static_cast<int>(r->integer(0, 1)), r->text(0, 2), r->integer(0, 3)});
}

Status PgExposureStore::insert_idempotent_result(const IdempotentResult& x) {
  PG_RUN(r,
         "INSERT INTO idempotent_results(key_hash, http_status, body, created_at) VALUES($1, $2, $3, $4) "
         "ON CONFLICT DO NOTHING",
         ByteView(x.key_hash), x.http_status, x.body, x.created_at);
  if (r->affected() != 1) return Status(ErrorCode::kAlreadyExists, "constraint: idempotency key already stored");
  return Status::Ok();
}

Result<int64_t> PgExposureStore::delete_idempotent_results_before(int64_t cutoff) {
  PG_RUN(r, "DELETE FROM idempotent_results WHERE created_at < $1", cutoff);
  return r->affected();
}

}  // namespace exposure::server::postgres
