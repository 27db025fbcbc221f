// The publish component's rows: the published diagnosis keys (exposures) and the replies
// to COCOA uploads with an idempotency key. Reached inside a transaction as
// tx.exposures() (storage.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "exposure/status.h"
#include "storage/records.h"

namespace exposure::server {

class ExposureStore {
 public:
  virtual ~ExposureStore() = default;

  // The stored exposures among `keys` (any order). In a write transaction, uploads of the
  // same keys queue here: a second one waits until the first one's transaction ends and
  // then sees its keys, so find, then insert or revise, stores each key once.
  virtual Result<std::vector<Exposure>> find_exposures(std::span<const KeyData> keys) = 0;
  // kAlreadyExists when one of the keys is stored already.
  virtual Status insert_exposures(std::span<const Exposure> exposures) = 0;
  // Writes the revision fields (and regions) of stored exposures; kNotFound when one is not
  // stored.
  virtual Status update_revisions(std::span<const Exposure> exposures) = 0;
  // Calls `visit` for every exposure in `region` with created_at (or, with `revised`,
  // revised_at) in [from, to). The reference passed to `visit` is reused between calls.
  virtual Status scan_exposures(std::string_view region, int64_t from, int64_t to, bool revised,
                                const std::function<void(const Exposure&)>& visit) = 0;
  // Deletes exposures created before `cutoff`; returns how many.
  virtual Result<int64_t> delete_exposures_before(int64_t cutoff) = 0;

  // The reply stored for an idempotency key. In a write transaction, repeats of one request
  // queue here as find_exposures() does, so the later ones find the first one's reply.
  virtual Result<std::optional<IdempotentResult>> find_idempotent_result(const Hash& key_hash) = 0;
  // kAlreadyExists when the key has a reply.
  virtual Status insert_idempotent_result(const IdempotentResult& result) = 0;
  // Deletes replies stored before `cutoff`; returns how many.
  virtual Result<int64_t> delete_idempotent_results_before(int64_t cutoff) = 0;
};

}  // namespace exposure::server
