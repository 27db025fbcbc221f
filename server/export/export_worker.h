// The export worker (Google's export format): cuts due batch windows per region, pads
// small batches with fake keys (persisted, so a re-run builds the same batch), signs with
// every active signing key, writes {root}/{region}/{start}-{end}-{n:05}.zip atomically,
// then rewrites {region}/index.txt (Google form) and {region}/list.json (COCOA form).
// Cleanup deletes keys and files older than the retention and drops them from the indexes.
//
// Crash safety: files are written under a temporary name, fsynced and renamed; a window is
// recorded as exported only after all its files are in place; a re-run rewrites the same
// names. So a crash leaves only whole, signed files visible.
//
// Several instances on one database: a pass runs only while its worker holds the "export"
// lease in the database (Transaction::acquire_lease), renewed before every window and kept
// between passes; other workers skip their passes. stop() releases it; a killed holder's
// lease expires `lease_seconds` after its last renewal (by the server's clock), and then
// another instance takes over where the last recorded window ended.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/secrets.h"
#include "exposure/interval.h"
#include "exposure/keyfile.h"
#include "http/metrics.h"
#include "storage/storage.h"
#include "storage/worker_lease.h"

namespace exposure::server {

struct ExportSettings {
  std::string root = "exports";          // directory of the export tree
  std::string public_base_url;           // URL of the tree, for list.json ("http://host/exports")
  int64_t period_seconds = 3600;         // batch window length, divides 24 h
  int64_t min_window_age_seconds = 7200; // MIN_WINDOW_AGE
  int64_t truncate_window_seconds = 3600;  // TRUNCATE_WINDOW
  size_t min_records = 1000;             // EXPORT_FILE_MIN_RECORDS
  size_t padding_range = 100;            // EXPORT_FILE_PADDING_RANGE
  size_t max_records = 500000;           // EXPORT_FILE_MAX_RECORDS
  int64_t retention_seconds = 14 * 86400;  // CLEANUP_TTL
  std::string default_region;            // exported as well as every app region
  size_t max_windows_per_pass = 24 * 15; // catch-up bound after a long stop
  int64_t lease_seconds = 300;           // the export lease outlives a silent holder this long
  friend bool operator==(const ExportSettings&, const ExportSettings&) = default;
};

struct ExportPassSummary {
  int batches = 0;
  int files_written = 0;
  int64_t keys_exported = 0;  // real + padding + revised
  int files_deleted = 0;
  int64_t exposures_deleted = 0;
  bool lease_held_elsewhere = false;  // another instance holds the export lease: nothing done
};

// The signing keys exports are signed with: every active key, newest first.
Result<std::vector<keyfile::SigningKey>> load_signing_keys(Storage& storage, const ServerSecrets& secrets);

// index.txt of a region: the relative names (region/file), sorted, "\n"-joined, no
// trailing newline.
std::string index_text(const std::vector<ExportFile>& files);
// list.json of a region: [{"region","url","created"(Unix ms)}], sorted by name.
std::string list_json(const std::vector<ExportFile>& files, const std::string& public_base_url);

class ExportWorker {
 public:
  ExportWorker(Storage& storage, const Clock& clock, const ServerSecrets& secrets, ExportSettings settings,
               Metrics& metrics);
  ~ExportWorker();

  // One pass, when this worker holds (or can take) the export lease: cleanup, every due
  // window of every region, indexes. Returns what it did; a failure leaves everything
  // already done in place (the next pass continues). The lease is kept until stop().
  Result<ExportPassSummary> run_once();

  // Runs a pass now and then every `interval_ms` in a background thread until stop().
  void start(int64_t interval_ms);
  // Stops the background thread and releases the export lease if held.
  void stop();

 private:
  Result<std::vector<std::string>> export_regions();
  Status export_window(const std::string& region, int64_t start, int64_t end,
                       const std::vector<keyfile::SigningKey>& signers, ExportPassSummary* summary);
  Status cleanup(int64_t now, ExportPassSummary* summary);
  Status write_indexes(const std::vector<std::string>& regions);

  Storage& storage_;
  const Clock& clock_;
  const ServerSecrets& secrets_;
  ExportSettings settings_;
  Metrics& metrics_;
  std::mutex pass_mutex_;  // one pass at a time
  WorkerLease lease_;      // the "export" lease (guarded by pass_mutex_)

  std::thread thread_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace exposure::server
