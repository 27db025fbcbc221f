#include "storage/worker_lease.h"

#include "common/text.h"
#include "exposure/crypto.h"

namespace exposure::server {
namespace {

std::string random_holder_id() {
  Bytes id(16);
  crypto::random_bytes(id);
  return to_hex(id);
}

}  // namespace

WorkerLease::WorkerLease(Storage& storage, const Clock& clock, std::string name, int64_t seconds)
    : storage_(storage), clock_(clock), name_(std::move(name)), seconds_(seconds),
      holder_(random_holder_id()) {}

Result<bool> WorkerLease::renew() {
  const bool held_before = held_;
  bool held = false;
  EXPOSURE_RETURN_IF_ERROR(storage_.transaction([&](Transaction& tx) -> Status {
    const int64_t now = clock_.now_unix_seconds();
    auto taken = tx.leases().acquire_lease(name_, holder_, now, now + seconds_);
    if (!taken.ok()) return taken.status();
    held = *taken;
    return Status::Ok();
  }));
  held_ = held;
  if (held && !held_before) log_info(name_ + ": this instance holds the " + name_ + " lease");
  if (!held && held_before)
    log_warning(name_ + ": the " + name_ + " lease passed to another instance");
  return held;
}

void WorkerLease::release() {
  if (!held_) return;
  Status st = storage_.transaction(
      [&](Transaction& tx) { return tx.leases().release_lease(name_, holder_); });
  if (!st.ok()) log_error(name_ + ": releasing the " + name_ + " lease: " + st.to_string());
  held_ = false;
}

}  // namespace exposure::server
