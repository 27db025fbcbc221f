// Federation import (docs/server.md, "Federation"): reads each partner's federation tree
// (for every configured region R: R/index.txt, then each listed archive not imported yet),
// verifies every archive against the partner's keys (federation/partner_signatures.h) and
// imports its keys into region R with their provenance (partner, file, region).
//
// Exactly once: one archive is imported in one transaction that inserts its new keys, their
// provenance and the archive's "imported" record together, so a crash (kill -9) before the
// commit leaves nothing of it and the next pass imports it again; after the commit the file
// is skipped. A key already stored (same key data, from any source) is never inserted
// again. A key the same partner lists again under another configured region gains that
// region; a revised key of the same partner revises the stored one once (as an upload
// would); keys of other origins are left alone.
//
// Bad input and faults: a partner that cannot be reached or does not answer within the
// timeout, an index line that is not a usable name, a listed file that does not exist, a
// truncated, malformed, unsigned or wrongly signed archive: each gives one log line naming
// the partner and the file, and one count in exposure_federation_failures_total{partner,
// reason}; the file is not recorded and is tried again on the next pass.
//
// Several instances on one database: a pass runs only while the worker holds the
// "federation" lease (as the export worker does with "export").
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "exposure/interval.h"
#include "federation/partner_fetch.h"
#include "http/metrics.h"
#include "publish/key_transform.h"
#include "storage/storage.h"
#include "storage/worker_lease.h"

namespace exposure::server {

struct FederationSettings {
  int64_t timeout_ms = 30000;  // per partner request (--federation-timeout)
  int64_t interval_ms =
      5 * 60 * 1000;            // between passes of the in-process worker (--federation-interval)
  int64_t lease_seconds = 300;  // the lease outlives a silent holder this long (--federation-lease)
  size_t max_index_bytes = size_t{1} << 20;  // a larger index.txt is refused
  size_t max_file_bytes = size_t{64} << 20;  // a larger archive is refused
  int64_t retention_seconds =
      14 * 86400;           // records of imports older than this are dropped (--retention)
  bool worker = true;       // run the importer inside `serve` (--no-federation-worker)
  bool serve_feed = false;  // serve /federation/ to partners (--federation-feed)
  friend bool operator==(const FederationSettings&, const FederationSettings&) = default;
};

struct ImportPassSummary {
  int partners = 0;
  int files_imported = 0;
  int64_t keys_imported = 0;   // keys new to this server
  int64_t keys_duplicate = 0;  // keys stored already (from any origin), nothing to change
  int64_t keys_updated = 0;    // stored keys of the same partner revised or given a region
  int64_t keys_refused = 0;    // invalid, too old or in the future
  int failures = 0;            // indexes and files that failed (logged and counted)
  bool lease_held_elsewhere = false;
};

class FederationImporter {
 public:
  // `publish` supplies the rules imported keys share with uploads: key age and created_at
  // truncation (the embargo).
  FederationImporter(Storage& storage, const Clock& clock, FederationSettings settings,
                     PublishSettings publish, Metrics& metrics);
  ~FederationImporter();

  // One pass over every partner. Failures of single indexes or files are logged, counted and
  // skipped; an error is returned only when storage fails or the lease is lost.
  Result<ImportPassSummary> run_once();

  // Runs a pass now and then every settings.interval_ms in a background thread until stop().
  void start();
  // Stops the thread and releases the lease if held.
  void stop();

 private:
  struct Partner;
  Status import_region(const Partner& partner, const std::string& region,
                       ImportPassSummary* summary);
  // Downloads, verifies and imports one archive; false when it failed (logged and counted).
  Result<bool> import_file(const Partner& partner, const std::string& region,
                           const std::string& name, ImportPassSummary* summary);
  void count_failure(const std::string& partner, const char* reason, const std::string& message,
                     ImportPassSummary* summary);

  Storage& storage_;
  const Clock& clock_;
  FederationSettings settings_;
  PublishSettings publish_;
  Metrics& metrics_;
  std::mutex pass_mutex_;
  WorkerLease lease_;  // the "federation" lease (guarded by pass_mutex_)

  std::thread thread_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace exposure::server
