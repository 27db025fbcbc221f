// What a run reports: precision and recall of notifications against the ground truth per
// configuration, API and platform; delays from positive test to notification; bytes
// downloaded and matching time per device; the linter's verdicts. As JSON (the report
// file), as a readable summary, and as SVG plots.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "sim_config.h"
#include "simulation.h"

namespace exposure::sim {

struct EvaluationStats {
  std::string config_name, api, platform;
  uint64_t notified = 0, true_positives = 0, false_positives = 0, false_negatives = 0, close_contacts = 0;
  double precision = 0;  // 1 when nobody is notified
  double recall = 0;     // 1 when there is no close contact
  double delay_mean_hours = 0, delay_median_hours = 0, delay_max_hours = 0;
};

// Devices that never tested positive are judged: notified vs ground truth `close`.
EvaluationStats evaluation_stats(const SimulationResult& result, const Evaluation& evaluation);

// The report. "measured" holds wall-clock times and what depends on the server's random
// padding (keys per file, bytes downloaded), "export_dir" the path; so does the key count
// ("keys") of each linter report. Everything else is a function of the configuration and
// the seed.
nlohmann::json report_json(const SimulationConfig& config, const SimulationResult& result);

// A readable summary: population, uploads, files, per evaluation precision/recall/delay,
// linter verdicts, and for small runs who was notified and why.
std::string summary_text(const SimulationConfig& config, const SimulationResult& result);

// Writes attenuation-vs-distance.svg and, per evaluation, scores-<name>.svg and
// precision-recall-<name>.svg into `dir`; returns the paths written.
std::vector<std::string> write_plots(const SimulationConfig& config, const SimulationResult& result,
                                     const std::string& dir);

}  // namespace exposure::sim
