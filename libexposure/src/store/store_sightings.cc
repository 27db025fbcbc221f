// Store: ingesting batches of sightings and loading them back.
#include <algorithm>
#include <cstdint>
#include <map>

#include "exposure/store.h"
#include "store/chunk_codec.h"
#include "store/store_impl.h"

namespace exposure {

using store_internal::DayTotals;
using store_internal::describe_chunk;
using store_internal::PlaintextBuffer;
using store_internal::RecordIdentity;
using store_internal::RecordKind;
using store_internal::Summary;
using store_internal::Transaction;

namespace {

// Chunks hold at most this many sightings so the one chunk being decrypted during a load
// stays small next to the output.
constexpr size_t kMaxSightingsPerChunk = 32768;

// Sightings are not keys, but they are private: wipe the working copy of a batch.
struct WipedSightings {
  std::vector<Sighting> v;
  ~WipedSightings() {
    if (!v.empty()) secure_wipe(v.data(), v.size() * sizeof(Sighting));
  }
};

}  // namespace

Result<IngestReport> Store::add_sightings(std::span<const Sighting> batch) {
  const uint32_t first_day = impl_->first_retained_day();
  IngestReport report;
  WipedSightings sorted;
  sorted.v.reserve(batch.size());
  for (const Sighting& s : batch) {
    if (store_internal::sighting_day(s) >= first_day) {
      sorted.v.push_back(s);
    } else {
      ++report.expired;
    }
  }
  std::sort(sorted.v.begin(), sorted.v.end(), store_internal::encoding_order);

  auto txn = Transaction::begin(*impl_->db, Transaction::Kind::kWrite);
  if (!txn.ok()) return txn.status();
  Summary summary;
  EXPOSURE_RETURN_IF_ERROR(impl_->read_summary(&summary));
  auto removed = impl_->delete_days_before(first_day, &summary);
  if (!removed.ok()) return removed.status();
  auto insert = impl_->db->prepare("INSERT INTO sighting_chunks(id, day, sealed) VALUES(?, ?, ?)");
  if (!insert.ok()) return insert.status();

  PlaintextBuffer plain;
  size_t begin = 0;
  while (begin < sorted.v.size()) {
    const uint32_t day = store_internal::sighting_day(sorted.v[begin]);
    size_t end = begin + 1;
    while (end < sorted.v.size() && end - begin < kMaxSightingsPerChunk &&
           store_internal::sighting_day(sorted.v[end]) == day) {
      ++end;
    }
    const uint64_t id = summary.next_chunk_id++;
    store_internal::encode_chunk(std::span(sorted.v).subspan(begin, end - begin), &plain.bytes());
    const Bytes sealed =
        impl_->sealer->seal(plain.view(), RecordIdentity{RecordKind::kSightingChunk, id, day});
    plain.clear();
    EXPOSURE_RETURN_IF_ERROR(insert->bind_int64(1, static_cast<int64_t>(id)));
    EXPOSURE_RETURN_IF_ERROR(insert->bind_int64(2, day));
    EXPOSURE_RETURN_IF_ERROR(insert->bind_blob(3, sealed));
    EXPOSURE_RETURN_IF_ERROR(store_internal::with_context(insert->run(), "storing sightings"));
    DayTotals& totals = summary.days[day];
    totals.chunks += 1;
    totals.sightings += end - begin;
    begin = end;
  }
  report.stored = sorted.v.size();
  if (report.stored == 0 && *removed == 0) return report;  // nothing changed: roll back
  EXPOSURE_RETURN_IF_ERROR(impl_->write_summary(summary, *impl_->sealer));
  EXPOSURE_RETURN_IF_ERROR(store_internal::with_context((*txn)->commit(), "storing sightings"));
  if (*removed > 0) impl_->truncate_wal();
  return report;
}

namespace {

// Walks every chunk in id order inside one read transaction, authenticating each and handing
// its plaintext to `decode`, which returns how many sightings it decoded. Checks the chunks
// against the sealed summary at the end. `on_summary` runs first (to reserve memory).
template <typename OnSummary, typename Decode>
Status scan_chunks(Store::Impl& impl, OnSummary on_summary, Decode decode) {
  auto txn = Transaction::begin(*impl.db, Transaction::Kind::kRead);
  if (!txn.ok()) return txn.status();
  Summary summary;
  EXPOSURE_RETURN_IF_ERROR(impl.read_summary(&summary));
  on_summary(summary);
  auto select = impl.db->prepare("SELECT id, day, sealed FROM sighting_chunks ORDER BY id");
  if (!select.ok()) return select.status();
  std::map<uint32_t, DayTotals> seen;
  PlaintextBuffer plain;
  for (;;) {
    auto row = select->step();
    if (!row.ok()) return store_internal::with_context(row.status(), "reading sightings");
    if (!*row) break;
    const int64_t id = select->column_int64(0);
    const int64_t day = select->column_int64(1);
    if (id <= 0 || static_cast<uint64_t>(id) >= summary.next_chunk_id || day < 0 ||
        day > UINT32_MAX) {
      return {ErrorCode::kCorrupt, "sighting chunk " + std::to_string(id) + " (day " +
                                       std::to_string(day) + ") was not written by this store"};
    }
    const RecordIdentity identity{RecordKind::kSightingChunk, static_cast<uint64_t>(id),
                                  static_cast<uint32_t>(day)};
    const std::string what = describe_chunk(identity.id, identity.day);
    if (!impl.sealer->open(select->column_blob(2), identity, &plain)) {
      return {ErrorCode::kCorrupt,
              what + " failed authentication (modified, moved, or not written by this store)"};
    }
    auto decoded = decode(plain.view(), identity.day);
    plain.clear();
    if (!decoded.ok()) return store_internal::with_context(decoded.status(), what);
    DayTotals& totals = seen[identity.day];
    totals.chunks += 1;
    totals.sightings += *decoded;
  }
  if (seen != summary.days) {
    return {ErrorCode::kCorrupt,
            "the store holds " + std::to_string(seen.size()) +
                " days of sighting chunks that differ from its sealed summary (records were "
                "deleted, added or replayed outside the store)"};
  }
  return (*txn)->commit();
}

}  // namespace

Status Store::load_sightings(std::vector<Sighting>* out) {
  auto removed = remove_expired();
  if (!removed.ok()) return removed.status();
  const size_t original_size = out->size();
  Status status = scan_chunks(
      *impl_, [&](const Summary& s) { out->reserve(original_size + s.total_sightings()); },
      [&](ByteView plain, uint32_t day) -> Result<uint64_t> {
        const size_t before = out->size();
        Status decoded = store_internal::decode_chunk(plain, day, out);
        if (!decoded.ok()) return decoded;
        return uint64_t{out->size() - before};
      });
  if (!status.ok()) out->resize(original_size);
  return status;
}

Status Store::for_each_sighting(const std::function<void(const Sighting&)>& visit) {
  auto removed = remove_expired();
  if (!removed.ok()) return removed.status();
  WipedSightings chunk;
  chunk.v.reserve(kMaxSightingsPerChunk);
  return scan_chunks(
      *impl_, [](const Summary&) {},
      [&](ByteView plain, uint32_t day) -> Result<uint64_t> {
        if (!chunk.v.empty()) secure_wipe(chunk.v.data(), chunk.v.size() * sizeof(Sighting));
        chunk.v.clear();
        Status decoded = store_internal::decode_chunk(plain, day, &chunk.v);
        if (!decoded.ok()) return decoded;
        for (const Sighting& s : chunk.v) visit(s);
        return uint64_t{chunk.v.size()};
      });
}

}  // namespace exposure
