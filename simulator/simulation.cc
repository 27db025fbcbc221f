#include "simulation.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "client/app_client.h"
#include "exposure/config_lint.h"
#include "exposure/exposure_window.h"
#include "exposure/keys.h"
#include "exposure/matching.h"
#include "exposure/report_json.h"
#include "client/server_process.h"
#include "sightings.h"

namespace exposure::sim {
namespace {

constexpr const char* kAppId = "org.example.exposure";
constexpr const char* kRegion = "440";

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string iso_date(int64_t unix_seconds) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{days{unix_seconds / 86400}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string last_line(const std::string& text) {
  std::string last, line;
  for (char c : text + "\n") {
    if (c == '\n') {
      if (!line.empty()) last = line;
      line.clear();
    } else {
      line += c;
    }
  }
  return last;
}

// Runs fn(i) for i in [0, n) on `threads` threads.
template <typename Fn>
void parallel_for(uint32_t n, unsigned threads, Fn fn) {
  std::atomic<uint32_t> next{0};
  auto worker = [&] {
    for (uint32_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::max(1u, threads); ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

// RPI -> key index over a round's keys (the app-side fast route: look each sighting up once).
class RpiIndex {
 public:
  RpiIndex(const std::vector<DiagnosisKey>& keys, unsigned threads) {
    entries_.resize(keys.size() * kTekRollingPeriod);
    parallel_for(static_cast<uint32_t>(keys.size()), threads, [&](uint32_t k) {
      Rpi rpis[kTekRollingPeriod];
      auto rpik = derive_rpi_key(keys[k].key_data);
      rolling_proximity_ids(rpik, keys[k].rolling_start_interval_number, kTekRollingPeriod, rpis);
      for (uint32_t i = 0; i < kTekRollingPeriod; ++i) entries_[size_t{k} * kTekRollingPeriod + i] = {prefix(rpis[i]), k};
    });
    std::sort(entries_.begin(), entries_.end());
  }
  // Indices of keys one of whose RPIs starts like `rpi` (the Matcher confirms exactly).
  void candidates(const Rpi& rpi, std::vector<uint32_t>* out) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), std::pair<uint64_t, uint32_t>{prefix(rpi), 0});
    for (; it != entries_.end() && it->first == prefix(rpi); ++it) out->push_back(it->second);
  }

 private:
  static uint64_t prefix(const Rpi& rpi) {
    uint64_t p = 0;
    for (int i = 0; i < 8; ++i) p = (p << 8) | rpi[i];
    return p;
  }
  std::vector<std::pair<uint64_t, uint32_t>> entries_;
};

std::vector<KeyMatch> match_keys(std::span<const Sighting> sightings, std::span<const DiagnosisKey> keys) {
  Matcher matcher(sightings);
  SpanKeySource source(keys);
  auto result = matcher.match(source);
  if (!result.ok()) return {};
  return std::move(result->matches);
}

struct LoadedConfig {
  std::string name;
  RiskConfig config;
};

}  // namespace

int64_t simulation_first_day() { return 20514 * int64_t{86400}; }  // 2026-03-02

Result<SimulationResult> run_simulation(const SimulationConfig& config) {
  const auto t0 = std::chrono::steady_clock::now();
  SimulationResult out;
  std::vector<LoadedConfig> configs;
  for (const std::string& path : config.risk_config_paths) {
    auto loaded = load_risk_config_file(path);
    if (!loaded.ok()) return loaded.status();
    configs.push_back({std::filesystem::path(path).stem().string(), std::move(*loaded)});
  }
  if (configs.empty()) return invalid_argument("no risk configuration given");

  const int64_t first_day = simulation_first_day();
  out.city = std::make_unique<City>(config, first_day);
  const City& city = *out.city;
  const uint32_t n = config.population.devices;
  DeviceKeys device_keys(city);

  for (const LoadedConfig& c : configs) {
    for (const char* api : {"v1", "v2"}) {
      if ((api[1] == '1' && !c.config.v1) || (api[1] == '2' && !c.config.daily)) continue;
      for (const PlatformProfile& profile : all_platform_profiles()) {
        Evaluation e;
        e.config_name = c.name;
        e.api = api;
        e.profile = &profile;
        e.notify_time.assign(n, 0);
        e.delay_hours.assign(n, 0);
        e.score.assign(n, 0);
        e.threshold = api[1] == '1' ? c.config.v1->minimum_risk_score : c.config.minimum_daily_score.value_or(0);
        out.evaluations.push_back(std::move(e));
      }
    }
  }

  // The server: a fresh directory, authority, app, signing key; serve on loopback.
  char dir_template[] = "/tmp/exposure-simulate-XXXXXX";
  if (!mkdtemp(dir_template)) return Status(ErrorCode::kIoError, "cannot create a temporary directory");
  auto server = server_client::ServerProcess::create({config.server_binary, dir_template, "", true});
  if (!server.ok()) return server.status();
  server_client::ServerProcess& srv = **server;
  EXPOSURE_RETURN_IF_ERROR(srv.set_time(first_day));
  const std::vector<std::string> export_flags = {"--export-min-records", std::to_string(config.export_min_records)};
  auto api_key = srv.admin({"ha", "add", "simulated-health-authority"});
  if (!api_key.ok()) return api_key.status();
  if (auto r = srv.admin({"app", "add", kAppId, "--region", kRegion}); !r.ok()) return r.status();
  auto public_key = srv.admin({"signing-key", "add", "--id", kRegion, "--version", "v1"});
  if (!public_key.ok()) return public_key.status();
  auto verification_key = app_client::parse_public_key_line(last_line(*public_key));
  if (!verification_key.ok()) return verification_key.status();
  std::vector<keyfile::CosignSet> cosign(1);
  cosign[0].push_back(std::move(*verification_key));
  std::vector<std::string> export_once = {"export", "--once"};
  export_once.insert(export_once.end(), export_flags.begin(), export_flags.end());
  if (auto r = srv.admin(export_once); !r.ok()) return r.status();
  std::vector<std::string> serve_flags = {"--no-export-worker"};
  if (config.epidemic.transmission_risk_zero) serve_flags.push_back("--allow-user-report-codes");
  EXPOSURE_RETURN_IF_ERROR(srv.start(serve_flags));
  out.export_dir = srv.export_root();
  httplib::Client client("127.0.0.1", srv.port());
  client.set_read_timeout(30, 0);
  out.seconds_setup = seconds_since(t0);

  // Which positive owns which key (for the delay to notification).
  std::map<KeyData, uint32_t> key_owner;
  std::vector<std::vector<KeyMatch>> matches(n);
  std::set<std::string> known_files;
  size_t next_positive = 0;
  const auto& positives = city.positives();
  const int64_t last_check = first_day + int64_t{config.population.days + 1} * 86400;
  const int64_t step = int64_t{std::max<uint32_t>(1, config.epidemic.check_interval_hours)} * 3600;
  std::vector<double> full_ms(std::min(n, config.full_match_sample), 0);
  std::atomic<uint64_t> mismatches{0};
  double upload_seconds = 0;

  for (int64_t check = first_day + step; check <= last_check; check += step) {
    // Positives tested since the last check upload now, at their test time.
    const auto upload_start = std::chrono::steady_clock::now();
    for (; next_positive < positives.size() && city.devices()[positives[next_positive]].test_time <= check;
         ++next_positive) {
      const uint32_t p = positives[next_positive];
      const Device& d = city.devices()[p];
      EXPOSURE_RETURN_IF_ERROR(srv.set_time(d.test_time));
      std::vector<app_client::UploadKey> keys;
      for (const auto& k : device_keys.keys_for_upload(p, d.test_time)) {
        keys.push_back({k.key, k.start, kTekRollingPeriod, 0});
        key_owner[k.key] = p;
      }
      if (keys.empty()) continue;
      app_client::IssueRequest issue{.test_type = config.epidemic.transmission_risk_zero ? "user-report" : "confirmed",
                                     .symptom_date = iso_date(d.test_time - 2 * 86400)};
      Result<app_client::PublishOutcome> uploaded = Status(ErrorCode::kInternal, "not run");
      if (d.upload_path == UploadPath::kGoogle) {
        uploaded = app_client::google_upload(client, trim(*api_key), keys, {.app_id = kAppId, .issue = issue});
        ++out.google_uploads;
      } else {
        auto code = app_client::issue_code(client, trim(*api_key), issue);
        if (!code.ok()) return code.status();
        app_client::CocoaUploadOptions cocoa{.app_id = kAppId, .regions = {kRegion}};
        cocoa.onset_of_symptom_or_test_date = issue.symptom_date + "T00:00:00Z";
        uploaded = app_client::cocoa_upload(client, keys, *code, cocoa);
        ++out.cocoa_uploads;
      }
      if (!uploaded.ok()) return Status(uploaded.status().code(), "device " + std::to_string(p) + ": " + uploaded.status().message());
      out.keys_uploaded += keys.size();
      out.keys_inserted += static_cast<uint64_t>(uploaded->inserted);
    }
    upload_seconds += seconds_since(upload_start);

    // The export pass, then every app downloads the new files.
    EXPOSURE_RETURN_IF_ERROR(srv.set_time(check));
    if (auto r = srv.admin(export_once); !r.ok()) return r.status();
    auto download = app_client::download_exports(client, kRegion, cosign, known_files);
    if (!download.ok()) return download.status();
    ++out.checks;
    out.bytes_per_device += download->bytes_downloaded;
    std::vector<DiagnosisKey> round_keys;
    for (auto& file : download->files) {
      known_files.insert(file.name);
      out.export_files.push_back(file.name);
      round_keys.insert(round_keys.end(), file.contents.keys.begin(), file.contents.keys.end());
    }
    out.keys_downloaded += round_keys.size();
    if (round_keys.empty()) continue;
    RpiIndex index(round_keys, config.threads);

    // Uploaded positives by now (their advertisements are the only ones that can match).
    std::vector<bool> uploaded(n, false);
    for (size_t i = 0; i < next_positive; ++i) uploaded[positives[i]] = true;

    parallel_for(n, config.threads, [&](uint32_t device) {
      if (device < full_ms.size()) {
        auto all = generate_sightings(city, device_keys, device, [](uint32_t) { return true; }, check);
        const auto start = std::chrono::steady_clock::now();
        auto full = match_keys(all.sightings, round_keys);
        full_ms[device] += seconds_since(start) * 1000;
        // Cross-check below against the fast route.
        std::set<KeyData> full_keys;
        for (const KeyMatch& m : full) full_keys.insert(m.key.key_data);
        auto mine = generate_sightings(city, device_keys, device, [&](uint32_t p) { return uploaded[p]; }, check);
        std::set<KeyData> fast_keys;
        std::vector<uint32_t> cand;
        for (const Sighting& s : mine.sightings) index.candidates(s.rpi, &cand);
        std::sort(cand.begin(), cand.end());
        cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
        std::vector<DiagnosisKey> cand_keys;
        for (uint32_t k : cand) cand_keys.push_back(round_keys[k]);
        for (const KeyMatch& m : match_keys(mine.sightings, cand_keys)) fast_keys.insert(m.key.key_data);
        if (fast_keys != full_keys) mismatches.fetch_add(1);
      }
      bool any = false;
      for (uint32_t c : city.contacts_of(device)) any = any || uploaded[city.contacts()[c].other(device)];
      if (!any) return;
      auto mine = generate_sightings(city, device_keys, device, [&](uint32_t p) { return uploaded[p]; }, check);
      std::vector<uint32_t> cand;
      for (const Sighting& s : mine.sightings) index.candidates(s.rpi, &cand);
      if (cand.empty()) return;
      std::sort(cand.begin(), cand.end());
      cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
      std::vector<DiagnosisKey> cand_keys;
      for (uint32_t k : cand) cand_keys.push_back(round_keys[k]);
      auto fresh = match_keys(mine.sightings, cand_keys);
      if (fresh.empty()) return;
      int64_t trigger_test = 0;
      for (const KeyMatch& m : fresh) {
        auto owner = key_owner.find(m.key.key_data);
        if (owner != key_owner.end()) trigger_test = std::max(trigger_test, city.devices()[owner->second].test_time);
      }
      auto& mine_matches = matches[device];
      for (KeyMatch& m : fresh) {
        m.stream_position = mine_matches.size();
        mine_matches.push_back(std::move(m));
      }
      for (size_t e = 0; e < out.evaluations.size(); ++e) {
        Evaluation& ev = out.evaluations[e];
        const RiskConfig& rc = configs[std::find_if(configs.begin(), configs.end(), [&](const LoadedConfig& c) {
                                         return c.name == ev.config_name;
                                       }) - configs.begin()].config;
        bool notifies = false;
        double score = 0;
        if (ev.api == "v1") {
          V1Result v1 = score_v1(mine_matches, *rc.v1, *ev.profile, check);
          notifies = v1.notifies;
          score = v1.summary.maximum_risk_score_full_range;
        } else {
          std::vector<ExposureWindow> windows;
          for (const KeyMatch& m : mine_matches) {
            auto w = build_exposure_windows(m, rc.mapping);
            windows.insert(windows.end(), w.begin(), w.end());
          }
          V2Result v2 = score_v2(windows, *rc.daily, *ev.profile, check, rc.minimum_daily_score);
          notifies = v2.notifies;
          for (const DailySummary& s : v2.daily_summaries) score = std::max(score, s.total.score_sum);
        }
        ev.score[device] = std::max<float>(ev.score[device], static_cast<float>(score));
        if (notifies && ev.notify_time[device] == 0) {
          ev.notify_time[device] = check;
          ev.delay_hours[device] = static_cast<float>((check - trigger_test) / 3600.0);
        }
      }
    });
    if (config.progress) {
      std::fprintf(stderr, "\rcheck %u: %zu/%zu positives uploaded, %zu files, %.0f s   ", out.checks, next_positive,
                   positives.size(), out.export_files.size(), seconds_since(t0));
    }
  }
  if (config.progress) std::fprintf(stderr, "\n");
  srv.stop();
  out.seconds_uploads = upload_seconds;
  out.full_match_ms = full_ms;
  out.cross_check_mismatches = mismatches.load();
  for (const auto& m : matches) out.devices_with_matches += m.empty() ? 0 : 1;

  // The linter, with the metadata of the keys actually published.
  KeyMetadataSet metadata;
  for (const std::string& name : out.export_files) {
    auto contents = keyfile::read_export_path(out.export_dir + "/" + name);
    if (!contents.ok()) return contents.status();
    for (const DiagnosisKey& k : contents->keys) metadata.add(k);
  }
  for (const LoadedConfig& c : configs) {
    if (metadata.keys == 0) break;
    auto lint = lint_config(c.config, metadata, all_platform_profiles());
    if (!lint.ok()) return lint.status();
    out.lint.emplace_back(c.name, report::lint_json(*lint, metadata, ReferenceContact{}, PathLossModel{}));
  }

  // Attenuation against true distance, from the sightings of the first devices.
  const uint32_t sample = std::min<uint32_t>(n, 40);
  for (uint32_t d = 0; d < sample && out.attenuation.size() < 6000; ++d) {
    auto s = generate_sightings(city, device_keys, d, [](uint32_t) { return true; }, last_check);
    for (size_t i = 0; i < s.sightings.size(); i += 3) {
      int tx = city.devices()[s.advertiser[i]].tx_power_dbm;
      out.attenuation.push_back({s.distance_m[i], std::max(0, tx - s.sightings[i].rssi)});
    }
  }
  if (!config.keep_server_dir) {
    // Keep the export files for the report: copy them into the output directory.
    std::error_code ec;
    const std::string target = config.out_dir + "/exports";
    std::filesystem::remove_all(target, ec);
    std::filesystem::create_directories(config.out_dir, ec);
    std::filesystem::copy(out.export_dir, target, std::filesystem::copy_options::recursive, ec);
    if (!ec) {
      std::filesystem::remove_all(srv.dir(), ec);
      out.export_dir = target;
    }
  }
  out.seconds_checks = seconds_since(t0) - out.seconds_setup - out.seconds_uploads;
  out.seconds_total = seconds_since(t0);
  return out;
}

}  // namespace exposure::sim
