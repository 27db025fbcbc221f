#include "simulation.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "client/app_client.h"
#include "client/server_process.h"
#include "exposure/app.h"
#include "exposure/config_lint.h"
#include "exposure/decision.h"
#include "exposure/exposure_window.h"
#include "exposure/key_schedule.h"
#include "exposure/keys.h"
#include "exposure/matching.h"
#include "exposure/report_json.h"
#include "exposure/store.h"
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

// Runs fn(i, worker) for i in [0, n) on `threads` threads (worker in [0, threads)).
template <typename Fn>
void parallel_for(uint32_t n, unsigned threads, Fn fn) {
  std::atomic<uint32_t> next{0};
  auto worker = [&](unsigned w) {
    for (uint32_t i; (i = next.fetch_add(1)) < n;) fn(i, w);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::max(1u, threads); ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& t : pool) t.join();
}

std::set<KeyData> matched_key_set(std::span<const Sighting> sightings,
                                  std::span<const DiagnosisKey> keys) {
  Matcher matcher(sightings);
  SpanKeySource source(keys);
  auto result = matcher.match(source);
  std::set<KeyData> out;
  if (result.ok()) {
    for (const KeyMatch& m : result->matches) out.insert(m.key.key_data);
  }
  return out;
}

struct LoadedConfig {
  std::string name;
  RiskConfig config;
};

// An evaluation's configuration: only its API's part of the loaded one (decide() notifies
// when either part qualifies).
RiskConfig part_of(const RiskConfig& config, const std::string& api) {
  RiskConfig part = config;
  if (api == "v1") {
    part.daily.reset();
  } else {
    part.v1.reset();
  }
  return part;
}

// The highest score behind a decision (v1: maximum full-range risk score; v2: highest daily
// scoreSum).
double decision_score(const Decision& decision) {
  double score = 0;
  if (decision.v1)
    score = std::max<double>(score, decision.v1->summary.maximum_risk_score_full_range);
  if (decision.v2) {
    for (const DailySummary& s : decision.v2->daily_summaries)
      score = std::max(score, s.total.score_sum);
  }
  return score;
}

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

  // One evaluation per configuration part (v1, v2) and platform profile; eval_config[e] is
  // the part decide() is given, eval_source[e] the loaded configuration it comes from.
  std::vector<RiskConfig> eval_config;
  std::vector<size_t> eval_source;
  for (size_t ci = 0; ci < configs.size(); ++ci) {
    const LoadedConfig& c = configs[ci];
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
        // Shown in the report and plots only; the decision is decide()'s.
        e.threshold = api[1] == '1' ? c.config.v1->minimum_risk_score : c.config.minimum_daily_score.value_or(0);
        out.evaluations.push_back(std::move(e));
        eval_config.push_back(part_of(c.config, api));
        eval_source.push_back(ci);
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
  // The export signer's public key, as the app is configured with it (keys are not copyable:
  // every check gets its own).
  const std::string public_key_line = last_line(*public_key);
  auto cosign_sets = [&]() -> Result<std::vector<keyfile::CosignSet>> {
    auto verification_key = app_client::parse_public_key_line(public_key_line);
    if (!verification_key.ok()) return verification_key.status();
    std::vector<keyfile::CosignSet> sets(1);
    sets[0].push_back(std::move(*verification_key));
    return sets;
  };
  auto cosign = cosign_sets();
  if (!cosign.ok()) return cosign.status();
  std::vector<std::string> export_once = {"export", "--once"};
  export_once.insert(export_once.end(), export_flags.begin(), export_flags.end());
  if (auto r = srv.admin(export_once); !r.ok()) return r.status();
  std::vector<std::string> serve_flags = {"--no-export-worker"};
  if (config.epidemic.transmission_risk_zero) serve_flags.push_back("--allow-user-report-codes");
  EXPOSURE_RETURN_IF_ERROR(srv.start(serve_flags));
  out.export_dir = srv.export_root();
  const unsigned threads = std::max(1u, config.threads);
  std::vector<std::unique_ptr<httplib::Client>> clients;  // one per worker thread
  for (unsigned t = 0; t < threads; ++t) {
    clients.push_back(std::make_unique<httplib::Client>("127.0.0.1", srv.port()));
    clients.back()->set_read_timeout(30, 0);
  }
  httplib::Client& client = *clients[0];

  // The phones' encrypted stores: one directory per device under the run's directory, each
  // under its own storage key, with the simulated time as the stores' clock (retention).
  const std::string stores_root = std::string(dir_template) + "/devices";
  auto store_dir = [&](uint32_t d) { return stores_root + "/" + std::to_string(d); };
  std::error_code mkdir_error;
  std::filesystem::create_directories(stores_root, mkdir_error);
  if (mkdir_error)
    return Status(ErrorCode::kIoError,
                  "cannot create " + stores_root + ": " + mkdir_error.message());
  ManualClock store_clock(first_day);
  const StoreOptions store_options{.clock = &store_clock};
  // Devices that saw some positive keep a store and run the exposure check; no other device
  // has a sighting an uploaded key can match (the cross-check below confirms it on a sample).
  std::vector<bool> is_positive(n, false);
  for (uint32_t p : city.positives()) is_positive[p] = true;
  std::vector<uint32_t> checked;
  std::vector<StorageKey> storage_keys(n);
  for (uint32_t d = 0; d < n; ++d) {
    bool saw_positive = false;
    for (uint32_t c : city.contacts_of(d))
      saw_positive = saw_positive || is_positive[city.contacts()[c].other(d)];
    if (saw_positive) checked.push_back(d);
    if (saw_positive || is_positive[d]) storage_keys[d] = generate_storage_key();
  }
  out.devices_checked = checked.size();
  out.seconds_setup = seconds_since(t0);

  // Which positive owns which key (for the delay to notification).
  std::map<KeyData, uint32_t> key_owner;
  std::vector<std::set<KeyData>> matched(n);  // keys each device's checks matched so far
  // Per evaluation and device: the days decide() notified (the check's own state is in the
  // store for the first evaluation).
  std::vector<std::vector<std::set<int64_t>>> notified_days(out.evaluations.size(),
                                                            std::vector<std::set<int64_t>>(n));
  std::vector<uint64_t> bytes(n, 0);
  std::vector<double> store_ms(n, 0), check_ms(n, 0);
  std::vector<std::string> device_error(n);
  std::set<std::string> known_files;
  size_t next_positive = 0;
  const auto& positives = city.positives();
  const int64_t last_check = first_day + int64_t{config.population.days + 1} * 86400;
  const int64_t step = int64_t{std::max<uint32_t>(1, config.epidemic.check_interval_hours)} * 3600;
  std::vector<double> full_ms(std::min(n, config.full_match_sample), 0);
  std::vector<std::vector<Sighting>> sample_sightings(full_ms.size());  // all they scanned so far
  std::atomic<uint64_t> mismatches{0};
  double upload_seconds = 0;
  int64_t previous_check = INT64_MIN;

  for (int64_t check = first_day + step; check <= last_check;
       previous_check = check, check += step) {
    // Positives tested since the last check upload now, at their test time, through the app
    // module's Upload exchange over their own store.
    const auto upload_start = std::chrono::steady_clock::now();
    for (; next_positive < positives.size() && city.devices()[positives[next_positive]].test_time <= check;
         ++next_positive) {
      const uint32_t p = positives[next_positive];
      const Device& d = city.devices()[p];
      EXPOSURE_RETURN_IF_ERROR(srv.set_time(d.test_time));
      store_clock.set(d.test_time);
      // The phone's KeySchedule at the test time: the days before today (today's key stays on
      // the phone).
      ManualClock phone_clock(d.test_time);
      KeySchedule schedule(phone_clock, device_keys.history(p, d.test_time),
                           KeyScheduleOptions{.metadata = DeviceKeys::metadata_of(d)});
      const std::vector<TemporaryExposureKey> keys = schedule.keys_for_upload();
      if (keys.empty()) continue;
      for (const TemporaryExposureKey& k : keys) key_owner[k.key_data.array()] = p;
      app_client::IssueRequest issue{.test_type = config.epidemic.transmission_risk_zero ? "user-report" : "confirmed",
                                     .symptom_date = iso_date(d.test_time - 2 * 86400)};
      auto code = app_client::issue_code(client, trim(*api_key), issue);
      if (!code.ok()) return code.status();
      app::UploadOptions upload_options{.flow = d.upload_path == UploadPath::kGoogle
                                                    ? app::UploadFlow::kGoogle
                                                    : app::UploadFlow::kCocoa,
                                        .code = *code,
                                        .app_id = kAppId,
                                        .now = d.test_time};
      if (d.upload_path == UploadPath::kGoogle) {
        ++out.google_uploads;
      } else {
        upload_options.regions = {kRegion};
        upload_options.onset_date = issue.symptom_date + "T00:00:00Z";
        ++out.cocoa_uploads;
      }
      auto store = Store::open(store_dir(p), storage_keys[p], store_options);
      if (!store.ok())
        return Status(store.status().code(),
                      "device " + std::to_string(p) + ": " + store.status().message());
      auto upload = app::Upload::start(**store, keys, upload_options);
      if (!upload.ok()) return upload.status();
      Status uploaded = app_client::run(client, **upload);
      if (!uploaded.ok())
        return Status(uploaded.code(), "device " + std::to_string(p) + ": " + uploaded.message());
      out.keys_uploaded += keys.size();
      out.keys_inserted += static_cast<uint64_t>((*upload)->outcome().keys_inserted);
    }
    upload_seconds += seconds_since(upload_start);

    // The export pass; what it published (the report's file list, and the keys the sampled
    // devices are cross-checked against).
    EXPOSURE_RETURN_IF_ERROR(srv.set_time(check));
    store_clock.set(check);
    if (auto r = srv.admin(export_once); !r.ok()) return r.status();
    auto download = app_client::download_exports(client, kRegion, *cosign, known_files);
    if (!download.ok()) return download.status();
    ++out.checks;
    std::vector<DiagnosisKey> round_keys;
    for (auto& file : download->files) {
      known_files.insert(file.name);
      out.export_files.push_back(file.name);
      round_keys.insert(round_keys.end(), file.contents.keys.begin(), file.contents.keys.end());
    }
    out.keys_downloaded += round_keys.size();

    // Every checked phone stores what it scanned since the last check, then runs the app
    // module's exposure check against the server; the sampled devices are also matched
    // directly against every new key (timed) and the two results compared.
    std::vector<uint32_t> work = checked;
    for (uint32_t d = 0; d < full_ms.size(); ++d) {
      if (!std::binary_search(checked.begin(), checked.end(), d)) work.push_back(d);
    }
    parallel_for(static_cast<uint32_t>(work.size()), threads, [&](uint32_t i, unsigned worker) {
      const uint32_t device = work[i];
      const bool is_checked = i < checked.size();
      // What the phone scanned since the last check.
      auto seen = generate_sightings(
          city, device_keys, device, [](uint32_t) { return true; }, check, previous_check);
      if (!seen.ok()) {
        device_error[device] = seen.status().message();
        return;
      }
      const std::vector<Sighting>& batch = seen->sightings;
      std::set<KeyData> fresh_keys;
      if (is_checked) {
        auto store_start = std::chrono::steady_clock::now();
        auto store = Store::open(store_dir(device), storage_keys[device], store_options);
        if (!store.ok()) {
          device_error[device] = "store: " + store.status().message();
          return;
        }
        if (auto added = (*store)->add_sightings(batch); !added.ok()) {
          device_error[device] = "store: " + added.status().message();
          return;
        }
        store_ms[device] += seconds_since(store_start) * 1000;

        const auto check_start = std::chrono::steady_clock::now();
        const Evaluation& first = out.evaluations[0];
        auto sets = cosign_sets();
        if (!sets.ok()) {
          device_error[device] = sets.status().message();
          return;
        }
        app::CheckOptions options{.region = kRegion,
                                  .cosign_sets = std::move(*sets),
                                  .config = eval_config[0],
                                  .profile = first.profile,
                                  .now = check};
        auto exchange = app::ExposureCheck::start(**store, std::move(options));
        if (!exchange.ok()) {
          device_error[device] = exchange.status().message();
          return;
        }
        if (Status ran = app_client::run(*clients[worker], **exchange); !ran.ok()) {
          device_error[device] = ran.message();
          return;
        }
        check_ms[device] += seconds_since(check_start) * 1000;
        const app::CheckOutcome& outcome = (*exchange)->outcome();
        bytes[device] += outcome.bytes_downloaded;
        for (const KeyMatch& m : outcome.matches) {
          if (matched[device].insert(m.key.key_data).second) fresh_keys.insert(m.key.key_data);
        }
        if (!outcome.matches.empty()) {
          // The tipping positive: the latest test among the newly matched keys (among all
          // matched keys when none is new).
          int64_t trigger_test = 0;
          for (const KeyData& k : fresh_keys.empty() ? matched[device] : fresh_keys) {
            auto owner = key_owner.find(k);
            if (owner != key_owner.end())
              trigger_test = std::max(trigger_test, city.devices()[owner->second].test_time);
          }
          for (size_t e = 0; e < out.evaluations.size(); ++e) {
            Evaluation& ev = out.evaluations[e];
            // The check decided for the first evaluation; the others decide on the same
            // matches with their own part and profile.
            Decision other;
            if (e > 0) {
              std::vector<ExposureWindow> windows;
              if (eval_source[e] == eval_source[0]) {
                windows = outcome.windows;
              } else {
                for (const KeyMatch& m : outcome.matches) {
                  for (ExposureWindow& w : build_exposure_windows(m, eval_config[e].mapping))
                    windows.push_back(std::move(w));
                }
              }
              other = decide(outcome.matches, windows, eval_config[e], *ev.profile, check,
                             notified_days[e][device]);
            }
            const Decision& decision = e == 0 ? outcome.decision : other;
            notified_days[e][device].insert(decision.new_days.begin(), decision.new_days.end());
            ev.score[device] =
                std::max<float>(ev.score[device], static_cast<float>(decision_score(decision)));
            if (decision.notify && ev.notify_time[device] == 0) {
              ev.notify_time[device] = check;
              ev.delay_hours[device] = static_cast<float>((check - trigger_test) / 3600.0);
            }
          }
        }
      }
      if (device < full_ms.size()) {
        sample_sightings[device].insert(sample_sightings[device].end(), batch.begin(), batch.end());
        const auto start = std::chrono::steady_clock::now();
        std::set<KeyData> direct = matched_key_set(sample_sightings[device], round_keys);
        full_ms[device] += seconds_since(start) * 1000;
        if (direct != fresh_keys) mismatches.fetch_add(1);
      }
    });
    for (uint32_t d = 0; d < n; ++d) {
      if (!device_error[d].empty())
        return Status(ErrorCode::kInternal, "device " + std::to_string(d) + ": " + device_error[d]);
    }
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
  for (uint32_t d : checked) {
    out.devices_with_matches += matched[d].empty() ? 0 : 1;
    out.bytes_per_device = std::max(out.bytes_per_device, bytes[d]);
    out.store_ms.push_back(store_ms[d]);
    out.check_ms.push_back(check_ms[d]);
  }

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
    if (!s.ok()) return s.status();
    for (size_t i = 0; i < s->sightings.size(); i += 3) {
      int tx = city.devices()[s->advertiser[i]].tx_power_dbm;
      out.attenuation.push_back({s->distance_m[i], std::max(0, tx - s->sightings[i].rssi)});
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
