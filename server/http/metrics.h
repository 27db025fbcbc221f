// Process metrics in the Prometheus text format (GET /metrics).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace exposure::server {

class Metrics {
 public:
  // One served request; `route` is the route pattern (never the raw path).
  void count_request(std::string_view route, int status);
  void add_keys_published(int64_t n) { keys_published_ += n; }
  void add_keys_revised(int64_t n) { keys_revised_ += n; }
  void add_export_files_written(int64_t n) { export_files_written_ += n; }
  void add_export_failure() { export_failures_ += 1; }
  // Federation imports, per partner (federation/federation_importer.h): files and new keys
  // imported, and failures by reason ("unreachable", "timeout", "bad_signature", ...).
  void add_federation_import(std::string_view partner, int64_t files, int64_t keys);
  void add_federation_failure(std::string_view partner, std::string_view reason);

  // A per-region gauge value computed at scrape time.
  struct RegionGauge {
    std::string region;
    double value = 0;
  };
  // The Prometheus exposition text: counters of this process, then per-region export
  // gauges (from storage, passed in by the caller).
  struct ExportGauges {
    std::vector<RegionGauge> newest_file_age_seconds;    // now - creation of the newest file
    std::vector<RegionGauge> last_window_age_seconds;    // now - end of the last exported window
    std::vector<RegionGauge> files_indexed;              // files listed in the index
  };
  std::string render(const ExportGauges& exports) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::atomic<int64_t> keys_published_{0};
  std::atomic<int64_t> keys_revised_{0};
  std::atomic<int64_t> export_files_written_{0};
  std::atomic<int64_t> export_failures_{0};
  std::map<std::string, std::pair<int64_t, int64_t>> federation_imports_;  // partner -> files, keys
  std::map<std::pair<std::string, std::string>, int64_t> federation_failures_;  // (partner, reason)
};

}  // namespace exposure::server
