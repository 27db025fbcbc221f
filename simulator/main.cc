// exposure-simulate: a seeded city through the real exposure-server and the library's
// matching and scoring; prints a summary, writes report.json and SVG plots (docs/simulator.md).
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "report.h"
#include "simulation.h"

namespace {

std::string sibling_server_binary() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "exposure-server";
  return (self.parent_path() / "exposure-server").string();
}

}  // namespace

int main(int argc, char** argv) {
  using exposure::sim::SimulationConfig;
  SimulationConfig c;
  c.server_binary = sibling_server_binary();
  c.risk_config_paths = {std::string(EXPOSURE_SOURCE_DIR) + "/tests/data/sane-v2-config.json",
                         std::string(EXPOSURE_SOURCE_DIR) + "/tests/data/cocoa-v1.1.4-config.json"};
  c.threads = std::max(1u, std::thread::hardware_concurrency());
  auto& p = c.population;
  auto& r = c.radio;
  auto& e = c.epidemic;
  bool quiet = false;

  CLI::App app{"Simulate a city of devices through a real exposure-server: contacts, BLE sightings, uploads, "
               "exports, matching and scoring; report precision/recall per risk config and platform"};
  app.add_option("--seed", c.seed, "Random seed (same seed, same report apart from timings)")->capture_default_str();
  app.add_option("--devices", p.devices, "Number of devices")->capture_default_str()->check(CLI::Range(2u, 10000000u));
  app.add_option("--days", p.days, "Simulated days")->capture_default_str()->check(CLI::Range(2u, 14u));
  app.add_option("--config", c.risk_config_paths, "Risk configuration JSON (v1 and/or v2; repeat)")
      ->capture_default_str()->check(CLI::ExistingFile);
  app.add_option("--server-binary", c.server_binary, "exposure-server to run")->capture_default_str();
  app.add_option("--out", c.out_dir, "Directory for report.json, plots and the export files")->capture_default_str();
  app.add_option("--threads", c.threads, "Matching threads")->capture_default_str()->check(CLI::Range(1u, 256u));
  app.add_option("--full-match-sample", c.full_match_sample,
                 "Devices also matched directly against every downloaded key (timed; cross-checks "
                 "their exposure checks)")
      ->capture_default_str();
  app.add_option("--export-min-records", c.export_min_records, "Server padding: keys per export file at least")
      ->capture_default_str();
  app.add_flag("--keep-server-dir", c.keep_server_dir, "Keep the server's temporary directory");
  app.add_flag("--quiet", quiet, "No summary on stdout");
  // Contact model.
  app.add_option("--household-size-max", p.household_size_max, "Households of 1..N")->capture_default_str();
  app.add_option("--household-hours", p.household_hours, "Hours together every evening")->capture_default_str();
  app.add_option("--worker-share", p.worker_share, "Share of devices at a workplace")->capture_default_str();
  app.add_option("--workplace-size", p.workplace_size, "Devices per workplace")->capture_default_str();
  app.add_option("--workplace-hours", p.workplace_hours, "Hours together at work")->capture_default_str();
  app.add_option("--transit-share", p.transit_share, "Share of workers in transit each morning")->capture_default_str();
  app.add_option("--vehicle-size", p.vehicle_size, "Riders per vehicle")->capture_default_str();
  app.add_option("--encounters-per-day", p.encounters_per_day, "Mean random encounters per device per day")
      ->capture_default_str();
  app.add_option("--encounter-minutes", p.encounter_minutes_mean, "Mean encounter minutes")->capture_default_str();
  // Radio model.
  app.add_option("--attenuation-at-1m", r.attenuation_at_1m_db, "Path loss at 1 m (dB)")->capture_default_str();
  app.add_option("--path-loss-exponent", r.path_loss_exponent, "Log-distance exponent")->capture_default_str();
  app.add_option("--shadowing-sigma", r.shadowing_sigma_db, "Per-reception noise (dB)")->capture_default_str();
  app.add_option("--obstruction-max", r.obstruction_max_db, "Per-contact obstruction 0..max (dB)")->capture_default_str();
  app.add_option("--tx-error-sigma", r.tx_power_error_sigma_db, "Per-device TX power error (dB)")->capture_default_str();
  app.add_option("--rx-calibration-sigma", r.rx_calibration_sigma_db, "Per-device RSSI calibration error (dB)")
      ->capture_default_str();
  app.add_option("--detection-probability", r.scan_detection_probability, "A scan hears an advertiser in range")
      ->capture_default_str();
  // Tests, uploads, checks, ground truth.
  app.add_option("--positive-share", e.positive_share, "Share of devices testing positive")->capture_default_str();
  app.add_option("--cocoa-share", e.cocoa_share, "Share of positives uploading via the COCOA API")->capture_default_str();
  app.add_flag("--cocoa-transmission-risk-zero", e.transmission_risk_zero,
               "Publish keys with transmission risk 0, as COCOA's server did (user-report codes)");
  app.add_option("--check-interval-hours", e.check_interval_hours, "Apps download and match every N hours")
      ->capture_default_str()->check(CLI::Range(1u, 24u));
  app.add_option("--close-minutes", c.truth.close_minutes, "Close contact: minutes in a day ...")->capture_default_str();
  app.add_option("--close-distance", c.truth.close_distance_m, "... at this distance (m) or closer")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);
    std::cerr << "exposure-simulate: " << error.what() << "\n";
    return 2;
  }
  c.progress = isatty(STDERR_FILENO);

  auto result = exposure::sim::run_simulation(c);
  if (!result.ok()) {
    std::cerr << "exposure-simulate: " << result.status().message() << "\n";
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(c.out_dir, ec);
  const std::string report_path = c.out_dir + "/report.json";
  std::ofstream(report_path) << exposure::sim::report_json(c, *result).dump(2) << "\n";
  auto plots = exposure::sim::write_plots(c, *result, c.out_dir);
  if (!quiet) {
    std::cout << exposure::sim::summary_text(c, *result) << "\nReport: " << report_path << "\nPlots:";
    for (const auto& plot : plots) std::cout << "\n  " << plot;
    std::cout << "\nExport files: " << result->export_dir << "\n";
  }
  return 0;
}
