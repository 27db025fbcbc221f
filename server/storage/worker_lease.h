// A worker's hold on one named lease (storage/lease_store.h), renewed by each of its passes
// so that of the processes sharing a database one at a time does that work. The holder id
// is random per WorkerLease; a change of holder is logged under the lease's name.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "exposure/status.h"
#include "storage/storage.h"

namespace exposure::server {

class WorkerLease {
 public:
  // `name` is the lease ("export", "federation"); a renewal holds it until now + `seconds`.
  WorkerLease(Storage& storage, const Clock& clock, std::string name, int64_t seconds);

  // Takes or renews the lease in one transaction; whether this worker holds it afterwards.
  // Logs when it is taken and when it passed to another holder. Not thread-safe: the owner
  // serialises its passes.
  Result<bool> renew();
  // Whether the last renewal held the lease.
  bool held() const { return held_; }
  // Gives the lease up if held (errors are logged), so another process can take it at once.
  void release();

 private:
  Storage& storage_;
  const Clock& clock_;
  const std::string name_;
  const int64_t seconds_;
  const std::string holder_;
  bool held_ = false;
};

}  // namespace exposure::server
