// Store: the own-key history and rotation of the storage key.
#include <vector>

#include "exposure/store.h"
#include "store/store_impl.h"

namespace exposure {

using store_internal::PlaintextBuffer;
using store_internal::RecordIdentity;
using store_internal::RecordKind;
using store_internal::Sealer;
using store_internal::Summary;
using store_internal::Transaction;

namespace {

Status put_own_keys(store_internal::Database& db, uint64_t generation, ByteView sealed) {
  EXPOSURE_RETURN_IF_ERROR(db.exec("DELETE FROM own_keys"));
  auto insert = db.prepare("INSERT INTO own_keys(generation, sealed) VALUES(?, ?)");
  if (!insert.ok()) return insert.status();
  EXPOSURE_RETURN_IF_ERROR(insert->bind_int64(1, static_cast<int64_t>(generation)));
  EXPOSURE_RETURN_IF_ERROR(insert->bind_blob(2, sealed));
  return insert->run();
}

// Reads the own-key record the summary names and opens it into `plain`. Leaves `plain`
// empty when no history was ever saved.
Status open_own_keys(store_internal::Database& db, const Sealer& sealer, const Summary& summary,
                     PlaintextBuffer* plain) {
  plain->clear();
  auto select = db.prepare("SELECT generation, sealed FROM own_keys");
  if (!select.ok()) return select.status();
  auto row = select->step();
  if (!row.ok()) return row.status();
  if (!*row) {
    if (summary.own_keys_generation == 0) return Status::Ok();
    return {ErrorCode::kCorrupt, "the own-key record is missing"};
  }
  const int64_t generation = select->column_int64(0);
  if (generation <= 0 || static_cast<uint64_t>(generation) != summary.own_keys_generation) {
    return {ErrorCode::kCorrupt, "the own-key record is of generation " +
                                     std::to_string(generation) + ", the summary names " +
                                     std::to_string(summary.own_keys_generation)};
  }
  const RecordIdentity identity{RecordKind::kOwnKeys, static_cast<uint64_t>(generation)};
  if (!sealer.open(select->column_blob(1), identity, plain)) {
    return {ErrorCode::kCorrupt, "the own-key record failed authentication"};
  }
  auto extra = select->step();
  if (!extra.ok()) return extra.status();
  if (*extra) return {ErrorCode::kCorrupt, "more than one own-key record"};
  return Status::Ok();
}

// Re-seals every sighting chunk from `from` to `to` (inside a write transaction).
Status reseal_chunks(store_internal::Database& db, const Sealer& from, const Sealer& to) {
  std::vector<int64_t> ids;
  {
    auto select = db.prepare("SELECT id FROM sighting_chunks ORDER BY id");
    if (!select.ok()) return select.status();
    for (;;) {
      auto row = select->step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ids.push_back(select->column_int64(0));
    }
  }
  auto read = db.prepare("SELECT day, sealed FROM sighting_chunks WHERE id = ?");
  if (!read.ok()) return read.status();
  auto write = db.prepare("UPDATE sighting_chunks SET sealed = ? WHERE id = ?");
  if (!write.ok()) return write.status();
  PlaintextBuffer plain;
  for (int64_t id : ids) {
    EXPOSURE_RETURN_IF_ERROR(read->bind_int64(1, id));
    auto row = read->step();
    if (!row.ok()) return row.status();
    const int64_t day = read->column_int64(0);
    if (!*row || id <= 0 || day < 0 || day > UINT32_MAX) {
      return {ErrorCode::kCorrupt, "sighting chunk " + std::to_string(id) + " is malformed"};
    }
    const RecordIdentity identity{RecordKind::kSightingChunk, static_cast<uint64_t>(id),
                                  static_cast<uint32_t>(day)};
    if (!from.open(read->column_blob(1), identity, &plain)) {
      return {ErrorCode::kCorrupt,
              store_internal::describe_chunk(identity.id, identity.day) + " failed authentication"};
    }
    read->reset();
    const Bytes sealed = to.seal(plain.view(), identity);
    plain.clear();
    EXPOSURE_RETURN_IF_ERROR(write->bind_blob(1, sealed));
    EXPOSURE_RETURN_IF_ERROR(write->bind_int64(2, id));
    EXPOSURE_RETURN_IF_ERROR(write->run());
  }
  return Status::Ok();
}

}  // namespace

Status Store::save_own_keys(std::span<const TemporaryExposureKey> keys) {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].rolling_period < 1 || keys[i].rolling_period > kTekRollingPeriod) {
      return invalid_argument("own key " + std::to_string(i) + ": rolling_period " +
                              std::to_string(keys[i].rolling_period) + " out of range 1..144");
    }
  }
  if (keys.size() > UINT32_MAX) return invalid_argument("too many own keys");
  auto txn = Transaction::begin(*impl_->db, Transaction::Kind::kWrite);
  if (!txn.ok()) return txn.status();
  Summary summary;
  EXPOSURE_RETURN_IF_ERROR(impl_->read_summary(&summary));
  const uint64_t generation = summary.own_keys_generation + 1;
  PlaintextBuffer plain;
  store_internal::encode_own_keys(keys, &plain);
  const Bytes sealed =
      impl_->sealer->seal(plain.view(), RecordIdentity{RecordKind::kOwnKeys, generation});
  plain.clear();
  EXPOSURE_RETURN_IF_ERROR(put_own_keys(*impl_->db, generation, sealed));
  summary.own_keys_generation = generation;
  summary.own_key_count = static_cast<uint32_t>(keys.size());
  EXPOSURE_RETURN_IF_ERROR(impl_->write_summary(summary, *impl_->sealer));
  return store_internal::with_context((*txn)->commit(), "saving own keys");
}

Status Store::load_own_keys(std::vector<TemporaryExposureKey>* out) {
  auto txn = Transaction::begin(*impl_->db, Transaction::Kind::kRead);
  if (!txn.ok()) return txn.status();
  Summary summary;
  EXPOSURE_RETURN_IF_ERROR(impl_->read_summary(&summary));
  PlaintextBuffer plain;
  EXPOSURE_RETURN_IF_ERROR(open_own_keys(*impl_->db, *impl_->sealer, summary, &plain));
  EXPOSURE_RETURN_IF_ERROR((*txn)->commit());
  if (plain.view().empty()) {
    out->clear();
    return Status::Ok();
  }
  return store_internal::decode_own_keys(plain.view(), out);
}

Status Store::rotate_key(const StorageKey& new_key) {
  auto next = std::make_unique<Sealer>(new_key, impl_->store_id);
  auto txn = Transaction::begin(*impl_->db, Transaction::Kind::kWrite);
  if (!txn.ok()) return txn.status();
  Summary summary;
  EXPOSURE_RETURN_IF_ERROR(impl_->read_summary(&summary));
  EXPOSURE_RETURN_IF_ERROR(reseal_chunks(*impl_->db, *impl_->sealer, *next));
  PlaintextBuffer plain;
  EXPOSURE_RETURN_IF_ERROR(open_own_keys(*impl_->db, *impl_->sealer, summary, &plain));
  if (summary.own_keys_generation != 0) {
    const RecordIdentity identity{RecordKind::kOwnKeys, summary.own_keys_generation};
    EXPOSURE_RETURN_IF_ERROR(
        put_own_keys(*impl_->db, identity.id, next->seal(plain.view(), identity)));
  }
  plain.clear();
  EXPOSURE_RETURN_IF_ERROR(impl_->reseal_app_state(summary, *impl_->sealer, *next));
  EXPOSURE_RETURN_IF_ERROR(impl_->write_summary(summary, *next));
  auto update = impl_->db->prepare("UPDATE meta SET value = ? WHERE name = 'key_check'");
  if (!update.ok()) return update.status();
  EXPOSURE_RETURN_IF_ERROR(update->bind_blob(1, next->key_check_value()));
  EXPOSURE_RETURN_IF_ERROR(update->run());
  EXPOSURE_RETURN_IF_ERROR(store_internal::with_context((*txn)->commit(), "rotating the key"));
  impl_->sealer = std::move(next);
  impl_->truncate_wal();
  return Status::Ok();
}

}  // namespace exposure
