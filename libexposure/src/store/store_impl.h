// The state behind exposure::Store and the helpers its operations share. The operations are
// split by concern: store.cc (open, schema, summary, retention, stats), store_sightings.cc
// (ingest and load), store_keys.cc (own keys, key rotation), store_app_state.cc (the app's
// state records), store_wipe.cc (wiping).
#pragma once

#include <memory>
#include <string>

#include "exposure/store.h"
#include "store/records.h"
#include "store/sealing.h"
#include "store/sqlite_db.h"

namespace exposure {

struct Store::Impl {
  std::string directory;
  std::unique_ptr<store_internal::Database> db;
  std::unique_ptr<store_internal::Sealer> sealer;
  store_internal::StoreId store_id{};
  StoreOptions options;
  SystemClock system_clock;

  // First UTC day still retained now.
  uint32_t first_retained_day() const;

  // Reads and opens the sealed summary (call inside a transaction). kCorrupt when it is
  // missing or fails authentication.
  Status read_summary(store_internal::Summary* out);
  // Seals and writes the summary (inside a write transaction).
  Status write_summary(const store_internal::Summary& summary,
                       const store_internal::Sealer& sealer);

  // Deletes the chunks of days before `first_day` and drops those days from `summary`
  // (inside a write transaction). Returns the number of sightings removed.
  Result<uint64_t> delete_days_before(uint32_t first_day, store_internal::Summary* summary);

  // Re-seals every app-state record the summary names from `from` to `to` (inside a write
  // transaction; key rotation).
  Status reseal_app_state(const store_internal::Summary& summary, const store_internal::Sealer& from,
                          const store_internal::Sealer& to);

  // Moves the WAL's content into the database and truncates the WAL to zero bytes, so pages
  // that held deleted or re-encrypted records leave the WAL. Best effort: skipped while
  // another connection reads.
  void truncate_wal();
};

namespace store_internal {

// "chunk 12 (day 2020-04-02)" for messages.
std::string describe_chunk(uint64_t id, uint32_t day);

// Prefixes the message of a non-ok status with `context` ("<context>: <message>").
Status with_context(const Status& status, const std::string& context);

}  // namespace store_internal
}  // namespace exposure
