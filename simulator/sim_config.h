// The simulator's parameters: population and contact model, radio model, scanning, tests,
// uploads and checks, ground truth. Every number has a default stated here and a flag in
// exposure-simulate (docs/simulator.md lists them).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace exposure::sim {

struct PopulationParams {
  uint32_t devices = 200;
  uint32_t days = 4;
  // Households: sizes drawn uniformly from 1..max (mean (1+max)/2).
  uint32_t household_size_max = 4;
  double household_hours = 4;          // together every evening from 19:00
  double household_distance_min_m = 0.5, household_distance_max_m = 3;
  // Workplaces: this share of devices works, in workplaces of `workplace_size`, 09:00-12:00.
  double worker_share = 0.6;
  uint32_t workplace_size = 8;
  double workplace_hours = 3;
  double workplace_distance_min_m = 1, workplace_distance_max_m = 8;
  // Transit: this share of workers rides at 08:00 in vehicles of `vehicle_size`.
  double transit_share = 0.5;
  uint32_t vehicle_size = 10;
  double ride_minutes_min = 10, ride_minutes_max = 40;
  double transit_distance_min_m = 0.5, transit_distance_max_m = 4;
  // Random encounters: Poisson(mean) per device per day, start 08:00-22:00, exponential
  // duration (mean, capped), uniform distance.
  double encounters_per_day = 2;
  double encounter_minutes_mean = 10, encounter_minutes_max = 60;
  double encounter_distance_min_m = 0.5, encounter_distance_max_m = 6;
};

struct RadioParams {
  // Log-distance path loss: attenuation(d) = A1 + 10 n log10(d / 1 m) (the linter's model).
  double attenuation_at_1m_db = 55;
  double path_loss_exponent = 2;
  double shadowing_sigma_db = 4;        // per reception, Gaussian
  double obstruction_max_db = 8;        // per contact and direction, uniform 0..max (body, pocket)
  double tx_power_error_sigma_db = 2;   // per device: true TX power minus the advertised one
  double rx_calibration_sigma_db = 3;   // per device: residual error of the RSSI calibration
  int tx_power_min_dbm = -25, tx_power_max_dbm = -5;  // advertised TX power, per device
  double sensitivity_dbm = -95;         // weaker raw receptions are lost
  double scan_detection_probability = 0.9;  // a scan hears an advertiser in range
  uint32_t receptions_per_scan_max = 3;     // 1..max advertisements heard per scan
  uint32_t scan_interval_seconds = 300;     // the platforms' scan schedule: every 5 min
  uint32_t scan_duration_seconds = 4;       // 4 s scans
};

struct EpidemicParams {
  double positive_share = 0.05;       // devices testing positive during the run (days 1..)
  double cocoa_share = 0.5;           // positives uploading through the COCOA path
  bool transmission_risk_zero = false;  // publish TRL 0 (COCOA's server): user-report codes
  double test_hour_min = 9, test_hour_max = 17;
  uint32_t check_interval_hours = 6;  // apps download and match every this many hours
};

struct GroundTruthParams {
  double close_minutes = 15;    // cumulative minutes in a UTC day ...
  double close_distance_m = 2;  // ... at this distance or closer
};

struct SimulationConfig {
  uint64_t seed = 1;
  PopulationParams population;
  RadioParams radio;
  EpidemicParams epidemic;
  GroundTruthParams truth;
  std::vector<std::string> risk_config_paths;  // JSON configs (v1 and/or v2)
  std::string server_binary;                   // exposure-server
  std::string out_dir = "simulation-out";
  unsigned threads = 2;
  uint32_t full_match_sample = 100;  // devices matched against every key (timed, cross-checked)
  uint32_t export_min_records = 1000;  // server padding (--export-min-records)
  bool keep_server_dir = false;
  bool progress = false;
};

}  // namespace exposure::sim
