// exposure match: matches diagnosis-key files against a device's sightings and scores the
// result under each platform profile; prints one JSON object (docs/matching.md, docs/risk.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "exposure/export_key_source.h"
#include "exposure/exposure_window.h"
#include "exposure/matching.h"
#include "exposure/risk.h"
#include "exposure/sightings_csv.h"
#include "exposure/store.h"
#include "match_support.h"

namespace exposure::cli {
namespace {

using nlohmann::json;

struct MatchOptions {
  std::string sightings;
  std::string store;
  std::string key_file;
  std::vector<std::string> keys;
  std::vector<std::string> public_keys;
  bool insecure_skip_verify = false;
  std::string config;
  std::string platform = "all";
  unsigned threads = 1;
  std::optional<int64_t> now;
};

// Loads the sightings from the CSV or the store; prints the error and returns false.
bool load_sightings(const MatchOptions& o, int64_t now, std::vector<Sighting>* out) {
  if (!o.sightings.empty()) {
    Status status = read_sightings_csv_file(o.sightings, out);
    if (!status.ok()) print_error(status.message());
    return status.ok();
  }
  auto key = read_storage_key_file(o.key_file);
  if (!key.ok()) throw CLI::ValidationError("--key-file", key.status().message());
  ManualClock clock(now);
  StoreOptions options;
  options.clock = &clock;
  options.create_if_missing = false;
  auto store = Store::open(o.store, *key, options);
  Status status = store.ok() ? (*store)->load_sightings(out) : store.status();
  if (!status.ok()) print_error(o.store + ": " + status.message());
  return status.ok();
}

json scan_json(const ScanInstance& s) {
  return {{"typical_attenuation_db", s.typical_attenuation_db},
          {"min_attenuation_db", s.min_attenuation_db},
          {"seconds_since_last_scan", s.seconds_since_last_scan}};
}

json window_json(const ExposureWindow& w, size_t key_index) {
  json scans = json::array();
  for (const auto& s : w.scan_instances) scans.push_back(scan_json(s));
  return {{"key", key_index},
          {"start_time", w.start_time},
          {"days_since_epoch", w.day()},
          {"report_type", report_type_name(w.report_type)},
          {"infectiousness", infectiousness_name(w.infectiousness)},
          {"calibration_confidence", calibration_confidence_name(w.calibration_confidence)},
          {"scan_instances", scans}};
}

json summary_data_json(const ExposureSummaryData& d) {
  return {{"maximum_score", d.maximum_score}, {"score_sum", d.score_sum}, {"weighted_duration_sum", d.weighted_duration_sum}};
}

json daily_json(const DailySummary& day) {
  json by_type = json::object();
  for (int t = 0; t < 6; ++t) {
    if (day.by_report_type[t] == ExposureSummaryData{}) continue;
    by_type[report_type_name(static_cast<ReportType>(t))] = summary_data_json(day.by_report_type[t]);
  }
  return {{"days_since_epoch", day.days_since_epoch}, {"by_report_type", by_type}, {"total", summary_data_json(day.total)}};
}

json v1_json(const V1Result& r, const std::vector<size_t>& key_index_of_match) {
  json keys = json::array();
  for (size_t k = 0; k < r.keys.size(); ++k) {
    const auto& key = r.keys[k];
    json records = json::array();
    for (const auto& rec : key.records) {
      records.push_back({{"start_time", rec.start_time},
                         {"duration_seconds", rec.duration_seconds},
                         {"attenuation_value", rec.attenuation_value},
                         {"attenuation_durations_seconds", rec.attenuation_durations_seconds},
                         {"factors", rec.factors},
                         {"full_range_score", rec.full_range_score},
                         {"risk_score", rec.risk_score}});
    }
    keys.push_back({{"key", key_index_of_match[k]},
                    {"days_since_key_start", key.days_since_key_start},
                    {"maximum_risk_score", key.maximum_risk_score},
                    {"total_risk_score", key.total_risk_score},
                    {"records", records}});
  }
  const ExposureSummary& s = r.summary;
  return {{"summary",
           {{"matched_key_count", s.matched_key_count},
            {"days_since_last_exposure", s.days_since_last_exposure},
            {"maximum_risk_score", s.maximum_risk_score},
            {"maximum_risk_score_full_range", s.maximum_risk_score_full_range},
            {"summation_risk_score", s.summation_risk_score},
            {"attenuation_durations_minutes", s.attenuation_durations_minutes}}},
          {"keys", keys},
          {"notifies", r.notifies}};
}

int run_match(const MatchOptions& o) {
  if (o.sightings.empty() == o.store.empty())
    throw CLI::ValidationError("--sightings", "give either --sightings FILE.csv or --store DIR --key-file K");
  if (!o.store.empty() && o.key_file.empty()) throw CLI::ValidationError("--key-file", "required with --store");
  std::vector<keyfile::CosignSet> cosign_sets = parse_public_key_options(o.public_keys, o.insecure_skip_verify);
  std::optional<RiskConfig> config;
  if (!o.config.empty()) {
    auto loaded = load_risk_config_file(o.config);
    if (!loaded.ok()) throw CLI::ValidationError("--config", loaded.status().message());
    config = std::move(*loaded);
  }
  std::vector<const PlatformProfile*> profiles = selected_profiles(o.platform);
  int64_t now = o.now ? *o.now : SystemClock().now_unix_seconds();

  std::vector<Sighting> sightings;
  if (!load_sightings(o, now, &sightings)) return kExitFailure;
  Matcher matcher(sightings);
  ExportFilesKeySource source(o.keys, std::move(cosign_sets), o.insecure_skip_verify);
  exposure::MatchOptions match_options;
  match_options.threads = o.threads;
  ProgressLine progress("match", "keys read");
  match_options.progress = [&](uint64_t keys) { progress.update(keys); };
  auto result = matcher.match(source, match_options);
  progress.finish();
  if (!result.ok()) {
    print_error(result.status().message());
    return kExitFailure;
  }

  DiagnosisKeysDataMapping mapping = config ? config->mapping : DiagnosisKeysDataMapping{};
  json matched = json::array();
  json windows_json = json::array();
  std::vector<ExposureWindow> windows;
  std::vector<size_t> key_index;  // per match, its index in matched_keys
  for (size_t i = 0; i < result->matches.size(); ++i) {
    const KeyMatch& m = result->matches[i];
    json entry = key_json(m.key);
    entry["sightings"] = m.sightings.size();
    entry["scans"] = m.per_scan.size();
    matched.push_back(entry);
    key_index.push_back(i);
    for (auto& w : build_exposure_windows(m, mapping)) {
      windows_json.push_back(window_json(w, i));
      windows.push_back(std::move(w));
    }
  }
  const ExportKeySourceStats& files = source.stats();
  json out = {{"keys_processed", result->stats.keys_read},
              {"keys_skipped", result->stats.keys_skipped},
              {"invalid_keys", files.invalid_keys},
              {"revised_keys_ignored", files.revised_keys},
              {"files", files.files},
              {"sightings", sightings.size()},
              {"now", now},
              {"matched_keys", matched},
              {"exposure_windows", windows_json}};
  if (config) {
    json platforms = json::object();
    for (const PlatformProfile* profile : profiles) {
      json p = json::object();
      bool notifies = false;
      if (config->daily) {
        V2Result v2 = score_v2(windows, *config->daily, *profile, now, config->minimum_daily_score);
        json days = json::array();
        for (const auto& day : v2.daily_summaries) days.push_back(daily_json(day));
        json scores = json::array();
        for (const auto& s : v2.window_scores) scores.push_back(s.counted ? json(s.score) : json(nullptr));
        p["daily_summaries"] = days;
        p["window_scores"] = scores;
        p["v2_notifies"] = v2.notifies;
        notifies = notifies || v2.notifies;
      }
      if (config->v1) {
        V1Result v1 = score_v1(result->matches, *config->v1, *profile, now);
        p["v1"] = v1_json(v1, key_index);
        notifies = notifies || v1.notifies;
      }
      p["verdict"] = notifies ? "notify" : "no-notification";
      platforms[profile->name] = p;
    }
    out["platforms"] = platforms;
  }
  std::cout << out.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

Command add_match_command(CLI::App& app) {
  auto options = std::make_shared<MatchOptions>();
  MatchOptions& o = *options;
  CLI::App* sub = app.add_subcommand("match", "Match diagnosis-key files against sightings and score the matches");
  auto* csv = sub->add_option("--sightings", o.sightings, "Sightings CSV (rpi,aem,time,rssi[,previous_scan_time])")
                  ->check(CLI::ExistingFile);
  auto* store = sub->add_option("--store", o.store, "Device store directory (with --key-file)");
  csv->excludes(store);
  sub->add_option("--key-file", o.key_file, "The store's key file")->check(CLI::ExistingFile);
  sub->add_option("--keys", o.keys, "Export archives (or bare export.bin with --insecure-skip-verify)")
      ->required()
      ->check(CLI::ExistingFile);
  add_public_key_options(sub, o.public_keys, o.insecure_skip_verify);
  sub->add_option("--config", o.config, "Risk configuration JSON (v1 and/or v2 fields)")->check(CLI::ExistingFile);
  add_platform_option(sub, o.platform);
  sub->add_option("--threads", o.threads, "Worker threads (1..256)")->check(CLI::Range(1u, 256u))->capture_default_str();
  sub->add_option("--now", o.now, "Unix seconds taken as now (default: the clock)");
  return {sub, [options] { return run_match(*options); }};
}

}  // namespace exposure::cli
