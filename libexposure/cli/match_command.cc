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
#include "exposure/report_json.h"
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
  std::vector<ExposureWindow> windows;
  json out = report::match_json({*result, source.stats(), sightings.size(), now}, mapping, &windows);
  if (config) out["platforms"] = report::platforms_json(*result, windows, *config, profiles, now);
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
