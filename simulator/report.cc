#include "report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "radio.h"
#include "svg_plot.h"

namespace exposure::sim {
namespace {

std::string evaluation_name(const Evaluation& e) { return e.config_name + "-" + e.api + "-" + e.profile->name; }

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

std::string fixed(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// Precision/recall when notifying at score >= t, over thresholds spanning the scores seen.
std::vector<std::array<double, 3>> pr_curve(const SimulationResult& r, const Evaluation& e) {
  const auto& truth = r.city->truth();
  const auto devices = r.city->devices();
  std::vector<double> scores;
  for (size_t d = 0; d < devices.size(); ++d) {
    if (!devices[d].positive() && e.score[d] > 0) scores.push_back(e.score[d]);
  }
  std::sort(scores.begin(), scores.end());
  scores.erase(std::unique(scores.begin(), scores.end()), scores.end());
  std::vector<std::array<double, 3>> out;
  const size_t stride = std::max<size_t>(1, scores.size() / 100);
  for (size_t i = 0; i < scores.size(); i += stride) {
    uint64_t tp = 0, fp = 0, fn = 0;
    for (size_t d = 0; d < devices.size(); ++d) {
      if (devices[d].positive()) continue;
      bool notify = e.score[d] >= scores[i];
      if (notify && truth[d].close) ++tp;
      if (notify && !truth[d].close) ++fp;
      if (!notify && truth[d].close) ++fn;
    }
    out.push_back({scores[i], tp + fp ? double(tp) / double(tp + fp) : 1.0, tp + fn ? double(tp) / double(tp + fn) : 1.0});
  }
  return out;
}

}  // namespace

EvaluationStats evaluation_stats(const SimulationResult& r, const Evaluation& e) {
  EvaluationStats s{e.config_name, e.api, e.profile->name};
  const auto& truth = r.city->truth();
  const auto devices = r.city->devices();
  std::vector<double> delays;
  for (size_t d = 0; d < devices.size(); ++d) {
    if (devices[d].positive()) continue;
    const bool notified = e.notify_time[d] != 0;
    s.close_contacts += truth[d].close;
    s.notified += notified;
    if (notified && truth[d].close) ++s.true_positives;
    if (notified && !truth[d].close) ++s.false_positives;
    if (!notified && truth[d].close) ++s.false_negatives;
    if (notified) delays.push_back(e.delay_hours[d]);
  }
  s.precision = s.notified ? double(s.true_positives) / double(s.notified) : 1.0;
  s.recall = s.close_contacts ? double(s.true_positives) / double(s.close_contacts) : 1.0;
  if (!delays.empty()) {
    double sum = 0;
    for (double v : delays) sum += v;
    s.delay_mean_hours = sum / double(delays.size());
    s.delay_median_hours = quantile(delays, 0.5);
    s.delay_max_hours = quantile(delays, 1.0);
  }
  return s;
}

nlohmann::json report_json(const SimulationConfig& c, const SimulationResult& r) {
  const City& city = *r.city;
  const PopulationParams& p = c.population;
  uint64_t close = 0, exposed = 0;
  for (const DeviceTruth& t : city.truth()) {
    close += t.close;
    exposed += t.exposed;
  }
  auto kinds = city.contacts_by_kind();
  nlohmann::json j;
  j["parameters"] = {
      {"seed", c.seed},
      {"devices", p.devices},
      {"days", p.days},
      {"population",
       {{"household_size_max", p.household_size_max}, {"household_hours", p.household_hours},
        {"worker_share", p.worker_share}, {"workplace_size", p.workplace_size},
        {"workplace_hours", p.workplace_hours}, {"transit_share", p.transit_share},
        {"vehicle_size", p.vehicle_size}, {"encounters_per_day", p.encounters_per_day},
        {"encounter_minutes_mean", p.encounter_minutes_mean}}},
      {"radio",
       {{"attenuation_at_1m_db", c.radio.attenuation_at_1m_db}, {"path_loss_exponent", c.radio.path_loss_exponent},
        {"shadowing_sigma_db", c.radio.shadowing_sigma_db}, {"obstruction_max_db", c.radio.obstruction_max_db},
        {"tx_power_error_sigma_db", c.radio.tx_power_error_sigma_db},
        {"rx_calibration_sigma_db", c.radio.rx_calibration_sigma_db},
        {"tx_power_dbm", {c.radio.tx_power_min_dbm, c.radio.tx_power_max_dbm}},
        {"sensitivity_dbm", c.radio.sensitivity_dbm},
        {"scan_detection_probability", c.radio.scan_detection_probability},
        {"scan_interval_seconds", c.radio.scan_interval_seconds}}},
      {"epidemic",
       {{"positive_share", c.epidemic.positive_share}, {"cocoa_share", c.epidemic.cocoa_share},
        {"transmission_risk_zero", c.epidemic.transmission_risk_zero},
        {"check_interval_hours", c.epidemic.check_interval_hours}}},
      {"close_contact", {{"minutes", c.truth.close_minutes}, {"distance_m", c.truth.close_distance_m}}},
      {"risk_configs", c.risk_config_paths}};
  j["population"] = {{"devices", p.devices},
                     {"households", city.households()},
                     {"workplaces", city.workplaces()},
                     {"positives", city.positives().size()},
                     {"contacts",
                      {{"household", kinds[0]}, {"workplace", kinds[1]}, {"transit", kinds[2]}, {"encounter", kinds[3]}}},
                     {"devices_exposed", exposed},
                     {"close_contacts", close}};
  j["server"] = {{"google_uploads", r.google_uploads}, {"cocoa_uploads", r.cocoa_uploads},
                 {"keys_uploaded", r.keys_uploaded},   {"keys_inserted", r.keys_inserted},
                 {"export_files", r.export_files},     {"checks", r.checks}};
  nlohmann::json evals = nlohmann::json::array();
  for (const Evaluation& e : r.evaluations) {
    EvaluationStats s = evaluation_stats(r, e);
    nlohmann::json notified = nlohmann::json::array();
    for (size_t d = 0; d < e.notify_time.size(); ++d) {
      if (e.notify_time[d] != 0) notified.push_back(d);
    }
    evals.push_back({{"config", s.config_name}, {"api", s.api}, {"platform", s.platform},
                     {"threshold", e.threshold}, {"notified", s.notified}, {"true_positives", s.true_positives},
                     {"false_positives", s.false_positives}, {"false_negatives", s.false_negatives},
                     {"close_contacts", s.close_contacts}, {"precision", s.precision}, {"recall", s.recall},
                     {"delay_hours", {{"mean", s.delay_mean_hours}, {"median", s.delay_median_hours}, {"max", s.delay_max_hours}}},
                     {"notified_devices", notified}});
  }
  j["evaluations"] = evals;
  nlohmann::json lint = nlohmann::json::object();
  for (const auto& [name, report] : r.lint) lint[name] = report;
  j["lint"] = lint;
  std::vector<double> ms(r.full_match_ms.begin(), r.full_match_ms.end());
  j["matching"] = {{"devices_checked", r.devices_checked},
                   {"full_match_devices", ms.size()},
                   {"cross_check_mismatches", r.cross_check_mismatches},
                   {"devices_with_matches", r.devices_with_matches}};
  j["measured"] = {
      {"bytes_downloaded_per_device", r.bytes_per_device},
      {"keys_in_files", r.keys_downloaded},
      {"full_match_ms_per_device", {{"median", quantile(ms, 0.5)}, {"max", quantile(ms, 1.0)}}},
      {"store_ms_per_device",
       {{"median", quantile(r.store_ms, 0.5)}, {"max", quantile(r.store_ms, 1.0)}}},
      {"check_ms_per_device",
       {{"median", quantile(r.check_ms, 0.5)}, {"max", quantile(r.check_ms, 1.0)}}},
      {"setup_seconds", r.seconds_setup},
      {"uploads_seconds", r.seconds_uploads},
      {"checks_seconds", r.seconds_checks},
      {"total_seconds", r.seconds_total}};
  j["export_dir"] = r.export_dir;
  return j;
}

std::string summary_text(const SimulationConfig& c, const SimulationResult& r) {
  const City& city = *r.city;
  const auto devices = city.devices();
  const auto& truth = city.truth();
  uint64_t close = 0;
  for (size_t d = 0; d < devices.size(); ++d) close += truth[d].close && !devices[d].positive();
  std::string s;
  s += "City: " + std::to_string(c.population.devices) + " devices, " + std::to_string(c.population.days) + " days, " +
       std::to_string(city.households()) + " households, " + std::to_string(city.workplaces()) + " workplaces, " +
       std::to_string(city.contacts().size()) + " contacts (seed " + std::to_string(c.seed) + ")\n";
  s += "Positives: " + std::to_string(city.positives().size()) + " (" + std::to_string(r.google_uploads) +
       " uploaded via Google /v1/publish, " + std::to_string(r.cocoa_uploads) + " via COCOA /api/v3/diagnosis), " +
       std::to_string(r.keys_inserted) + " keys stored" +
       (c.epidemic.transmission_risk_zero ? ", published with transmission risk 0" : "") + "\n";
  s += "Ground truth: " + std::to_string(close) + " close contacts (>= " + fixed(c.truth.close_minutes, 0) +
       " min in a day at <= " + fixed(c.truth.close_distance_m, 1) +
       " m with a positive before its test day; positives themselves not counted)\n";
  s += "Exports: " + std::to_string(r.export_files.size()) + " signed files, " + std::to_string(r.keys_downloaded) +
       " keys with padding, " + std::to_string(r.bytes_per_device) + " bytes downloaded per device over " +
       std::to_string(r.checks) + " checks\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-28s %-3s %-8s %9s %5s %5s %5s %9s %7s %15s\n", "config", "api", "platform",
                "notified", "TP", "FP", "FN", "precision", "recall", "median delay h");
  s += line;
  for (const Evaluation& e : r.evaluations) {
    EvaluationStats st = evaluation_stats(r, e);
    std::snprintf(line, sizeof line, "%-28s %-3s %-8s %9llu %5llu %5llu %5llu %9.3f %7.3f %15.1f\n",
                  st.config_name.c_str(), st.api.c_str(), st.platform.c_str(), (unsigned long long)st.notified,
                  (unsigned long long)st.true_positives, (unsigned long long)st.false_positives,
                  (unsigned long long)st.false_negatives, st.precision, st.recall, st.delay_median_hours);
    s += line;
  }
  s += "\nLinter (15 min at 1 m, with the key metadata the server published):\n";
  for (const auto& [name, report] : r.lint) {
    for (const auto& v : report.value("verdicts", nlohmann::json::array())) {
      s += "  " + name + " " + v.value("platform", "") + " " + v.value("api", "") + ": " + v.value("verdict", "") + "\n";
    }
  }
  // Who was notified and why (small runs).
  if (c.population.devices <= 500) {
    s += "\nNotified devices (why: the ground truth of their closest exposure):\n";
    for (size_t d = 0; d < devices.size(); ++d) {
      std::string by;
      for (const Evaluation& e : r.evaluations) {
        if (e.notify_time[d] != 0) by += " " + e.config_name + "/" + e.api + "/" + e.profile->name + "(" + fixed(e.score[d], 0) + ")";
      }
      const DeviceTruth& t = truth[d];
      if (by.empty() && !t.close) continue;
      std::string why = t.best_positive == kNoGroup
                            ? "no close minutes; closest " + fixed(t.min_distance_m, 1) + " m"
                            : fixed(t.best_close_minutes, 0) + " min within " + fixed(c.truth.close_distance_m, 1) +
                                  " m of positive #" + std::to_string(t.best_positive) +
                                  (devices[d].household == devices[t.best_positive].household ? " (household)" : "");
      s += "  #" + std::to_string(d) + (devices[d].positive() ? " (positive)" : "") +
           (t.close ? " close contact" : " not close") + ", " + why + "; notified by:" +
           (by.empty() ? " none" : by) + "\n";
    }
  }
  std::vector<double> ms(r.full_match_ms.begin(), r.full_match_ms.end());
  s += "\nChecks: " + std::to_string(r.devices_checked) +
       " devices with a store ran the exposure check; per device over all checks: store " +
       fixed(quantile(r.store_ms, 0.5), 1) + " ms median (max " +
       fixed(quantile(r.store_ms, 1.0), 1) + "), check " + fixed(quantile(r.check_ms, 0.5), 1) +
       " ms median (max " + fixed(quantile(r.check_ms, 1.0), 1) + ")\n";
  s += "Matching: " + std::to_string(ms.size()) +
       " devices matched directly against every key: median " + fixed(quantile(ms, 0.5), 1) +
       " ms, max " + fixed(quantile(ms, 1.0), 1) + " ms per device (all checks); their checks " +
       (r.cross_check_mismatches == 0 ? "agree"
                                      : "DISAGREE on " + std::to_string(r.cross_check_mismatches)) +
       "\n";
  s += "Time: " + fixed(r.seconds_total, 1) + " s (setup " + fixed(r.seconds_setup, 1) + ", uploads " +
       fixed(r.seconds_uploads, 1) + ", checks " + fixed(r.seconds_checks, 1) + ")\n";
  return s;
}

std::vector<std::string> write_plots(const SimulationConfig& c, const SimulationResult& r, const std::string& dir) {
  std::vector<std::string> written;
  auto save = [&](const std::string& name, const std::string& svg) {
    std::string path = dir + "/" + name;
    std::ofstream(path) << svg;
    written.push_back(path);
  };
  // Attenuation vs distance, with the model's mean.
  Series points{"sightings", "#1f77b4", {}, {}};
  double y_max = 100;
  for (const AttenuationPoint& a : r.attenuation) {
    points.x.push_back(a.distance_m);
    points.y.push_back(a.attenuation_db);
  }
  Series model{"path loss model", "#d62728", {}, {}};
  for (double d = 0.5; d <= 8.0; d += 0.1) {
    model.x.push_back(d);
    model.y.push_back(path_loss_db(c.radio, d));
  }
  std::string scatter = svg_scatter({"Attenuation vs true distance", "distance (m)", "attenuation (dB)", 0, 8, 30, y_max},
                                    {points});
  std::string line = svg_lines({"", "", "", 0, 8, 30, y_max}, {model});
  // Overlay the model line onto the scatter (same frame geometry).
  size_t body = line.find("<polyline");
  scatter.insert(scatter.rfind("</svg>"), line.substr(body, line.rfind("</svg>") - body));
  save("attenuation-vs-distance.svg", scatter);

  for (const Evaluation& e : r.evaluations) {
    const auto devices = r.city->devices();
    const auto& truth = r.city->truth();
    double max_score = 0;
    for (size_t d = 0; d < devices.size(); ++d) max_score = std::max<double>(max_score, e.score[d]);
    if (max_score <= 0) max_score = 1;
    const int bins = 30;
    const double width = max_score / bins;
    Series closes{"close contacts", "#d62728", {}, {}}, others{"other matched devices", "#1f77b4", {}, {}};
    std::vector<double> hc(bins + 1, 0), ho(bins + 1, 0);
    for (size_t d = 0; d < devices.size(); ++d) {
      if (devices[d].positive() || e.score[d] <= 0) continue;
      int b = std::min(bins - 1, static_cast<int>(e.score[d] / width));
      (truth[d].close ? hc : ho)[b] += 1;
    }
    double y_top = 1;
    for (int b = 0; b < bins; ++b) {
      closes.x.push_back(b * width), closes.y.push_back(hc[b]);
      others.x.push_back(b * width), others.y.push_back(ho[b]);
      y_top = std::max({y_top, hc[b], ho[b]});
    }
    const std::string name = evaluation_name(e);
    save("scores-" + name + ".svg",
         svg_bars({"Scores " + name + " (threshold " + fixed(e.threshold, 0) + ")",
                   e.api == "v1" ? "maximum v1 risk score (full range)" : "highest daily scoreSum", "devices", 0,
                   max_score, 0, y_top * 1.1},
                  {others, closes}, width));
    Series pr{"precision/recall", "#2ca02c", {}, {}};
    for (const auto& point : pr_curve(r, e)) {
      pr.x.push_back(point[2]);
      pr.y.push_back(point[1]);
    }
    save("precision-recall-" + name + ".svg",
         svg_lines({"Precision/recall over thresholds " + name, "recall", "precision", 0, 1, 0, 1.05}, {pr}));
  }
  return written;
}

}  // namespace exposure::sim
