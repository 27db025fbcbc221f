// Store: the app module's state records (one sealed record per slot).
#include <set>

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

RecordIdentity app_state_identity(uint8_t slot, uint64_t generation) {
  return RecordIdentity{RecordKind::kAppState, generation, slot};
}

std::string slot_name(uint8_t slot) { return "app-state slot " + std::to_string(slot); }

Status put_record(store_internal::Database& db, uint8_t slot, uint64_t generation, ByteView sealed) {
  auto insert = db.prepare("INSERT OR REPLACE INTO app_state(slot, generation, sealed) VALUES(?, ?, ?)");
  if (!insert.ok()) return insert.status();
  EXPOSURE_RETURN_IF_ERROR(insert->bind_int64(1, slot));
  EXPOSURE_RETURN_IF_ERROR(insert->bind_int64(2, static_cast<int64_t>(generation)));
  EXPOSURE_RETURN_IF_ERROR(insert->bind_blob(3, sealed));
  return insert->run();
}

// Opens the record of `slot` that the summary names into `plain` (empty when none).
Status open_record(store_internal::Database& db, const Sealer& sealer, const Summary& summary, uint8_t slot,
                   PlaintextBuffer* plain) {
  plain->clear();
  auto expected = summary.app_state_generations.find(slot);
  auto select = db.prepare("SELECT generation, sealed FROM app_state WHERE slot = ?");
  if (!select.ok()) return select.status();
  EXPOSURE_RETURN_IF_ERROR(select->bind_int64(1, slot));
  auto row = select->step();
  if (!row.ok()) return row.status();
  if (!*row) {
    if (expected == summary.app_state_generations.end()) return Status::Ok();
    return {ErrorCode::kCorrupt, "the " + slot_name(slot) + " record is missing"};
  }
  const int64_t generation = select->column_int64(0);
  if (expected == summary.app_state_generations.end() || generation <= 0 ||
      static_cast<uint64_t>(generation) != expected->second) {
    return {ErrorCode::kCorrupt, "the " + slot_name(slot) + " record is of generation " +
                                     std::to_string(generation) + ", not the one the summary names"};
  }
  if (!sealer.open(select->column_blob(1), app_state_identity(slot, expected->second), plain)) {
    return {ErrorCode::kCorrupt, "the " + slot_name(slot) + " record failed authentication"};
  }
  return Status::Ok();
}

}  // namespace

Status Store::save_app_state(std::span<const AppStateRecord> records) {
  std::set<AppStateSlot> seen;
  for (const AppStateRecord& record : records) {
    if (!seen.insert(record.slot).second) {
      return invalid_argument(slot_name(static_cast<uint8_t>(record.slot)) + " given twice");
    }
  }
  auto txn = Transaction::begin(*impl_->db, Transaction::Kind::kWrite);
  if (!txn.ok()) return txn.status();
  Summary summary;
  EXPOSURE_RETURN_IF_ERROR(impl_->read_summary(&summary));
  for (const AppStateRecord& record : records) {
    const uint8_t slot = static_cast<uint8_t>(record.slot);
    uint64_t& generation = summary.app_state_generations[slot];
    ++generation;
    const Bytes sealed = impl_->sealer->seal(record.plaintext, app_state_identity(slot, generation));
    EXPOSURE_RETURN_IF_ERROR(put_record(*impl_->db, slot, generation, sealed));
  }
  EXPOSURE_RETURN_IF_ERROR(impl_->write_summary(summary, *impl_->sealer));
  return store_internal::with_context((*txn)->commit(), "saving app state");
}

Status Store::load_app_state(AppStateSlot slot, Bytes* out) {
  auto txn = Transaction::begin(*impl_->db, Transaction::Kind::kRead);
  if (!txn.ok()) return txn.status();
  Summary summary;
  EXPOSURE_RETURN_IF_ERROR(impl_->read_summary(&summary));
  PlaintextBuffer plain;
  EXPOSURE_RETURN_IF_ERROR(open_record(*impl_->db, *impl_->sealer, summary, static_cast<uint8_t>(slot), &plain));
  EXPOSURE_RETURN_IF_ERROR((*txn)->commit());
  secure_wipe(out->data(), out->size());
  out->assign(plain.view().begin(), plain.view().end());
  return Status::Ok();
}

Status Store::Impl::reseal_app_state(const Summary& summary, const Sealer& from, const Sealer& to) {
  PlaintextBuffer plain;
  for (const auto& [slot, generation] : summary.app_state_generations) {
    EXPOSURE_RETURN_IF_ERROR(open_record(*db, from, summary, slot, &plain));
    EXPOSURE_RETURN_IF_ERROR(put_record(*db, slot, generation, to.seal(plain.view(), app_state_identity(slot, generation))));
  }
  return Status::Ok();
}

}  // namespace exposure
