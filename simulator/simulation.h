// One simulation run: the city's positives upload through a real exposure-server over HTTP
// (the app module's Upload exchange, Google or COCOA flow per device), the server's export
// pass publishes signed files, and at every check each phone that saw a positive stores its
// new sightings in its own encrypted Store and runs the app module's ExposureCheck over HTTP
// (download, verify, match, score, decide). Its decision counts for the first evaluation; the
// others are decide() on the same matches with their configuration part and profile. The
// result holds what the report and plots are made of.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exposure/risk.h"
#include "exposure/risk_config.h"
#include "exposure/status.h"
#include "population.h"
#include "sim_config.h"

namespace exposure::sim {

// One way of deciding: a configuration's v1 or v2 part under one platform profile.
struct Evaluation {
  std::string config_name;  // file name without directory and ".json"
  std::string api;          // "v1" or "v2"
  const PlatformProfile* profile = nullptr;
  // Per device: first check at which it notified (0 = never), hours from the test of the
  // positive whose key tipped it, and its highest score (v1: maximum full-range risk score;
  // v2: highest daily scoreSum).
  std::vector<int64_t> notify_time;
  std::vector<float> delay_hours;
  std::vector<float> score;
  double threshold = 0;  // minimumRiskScore or the app's daily threshold
};

struct AttenuationPoint {
  float distance_m;
  int attenuation_db;
};

struct SimulationResult {
  std::unique_ptr<City> city;
  std::vector<Evaluation> evaluations;
  std::vector<std::pair<std::string, nlohmann::json>> lint;  // per config: the linter's report
  uint64_t google_uploads = 0, cocoa_uploads = 0, keys_uploaded = 0, keys_inserted = 0;
  std::vector<std::string> export_files;  // index names, in download order
  std::string export_dir;                 // where the files are on disk
  uint64_t keys_downloaded = 0;           // keys in all files (padding included)
  uint64_t bytes_per_device = 0;  // index.txt + files, over all checks (the checks' own count)
  uint32_t checks = 0;
  // Devices that saw a positive: each has a store and runs the exposure check.
  uint64_t devices_checked = 0;
  // Per checked device, over all checks (ms): opening its store and adding the new sightings;
  // the ExposureCheck exchange (HTTP, verification, matching, decisions, saving the state).
  std::vector<double> store_ms, check_ms;
  // The sample devices (the first full_match_sample) are also matched directly with the
  // Matcher against every new key (ms per device over all checks); a mismatch is a device
  // whose direct matches differ from what its check newly matched (none for a device without
  // a store).
  std::vector<double> full_match_ms;
  uint64_t cross_check_mismatches = 0;
  uint64_t devices_with_matches = 0;
  std::vector<AttenuationPoint> attenuation;
  double seconds_setup = 0, seconds_uploads = 0, seconds_checks = 0, seconds_total = 0;
};

// Runs the whole chain. Errors (server start, an upload or download failure) are one line.
Result<SimulationResult> run_simulation(const SimulationConfig& config);

// The first day of every simulation: 2026-03-02 00:00 UTC (a Monday).
int64_t simulation_first_day();

}  // namespace exposure::sim
