// check_bench: the cost of the app's incremental exposure check (docs/benchmarks.md).
//
// One day of diagnosis keys (--keys, default 100,000) in 24 hourly signed archives and a
// device store of --sightings sightings (default 100,000; some planted from the keys). It
// measures, on the same files and the same store:
//   * `exposure match --store ... --keys <the 24 archives> --config ...` as its own process
//     (CPU time of the child), the baseline;
//   * the app module's ExposureCheck fed the index and the 24 archives as a phone's transport
//     would hand them over (no network: the exchange is sans-I/O), from start() to its
//     decision and the store write (CPU time of this process, one thread);
//   * a second check with nothing new (index only).
// Prints best-of-R CPU times, the ratio check / match (goal <= 1.1) and the nothing-new time
// (goal < 10 ms); both must find the same matched keys.
//
// Usage: check_bench [--keys N] [--sightings M] [--planted P] [--repeat R]
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "exposure/app.h"
#include "exposure/keyfile.h"
#include "exposure/store.h"
#include "support/matching_workload.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "support/test_paths.h"

namespace {

using namespace exposure;

constexpr EnIntervalNumber kFirstInterval = 2646000;  // 2020-04-22T00:00Z
constexpr int64_t kNow = int64_t{kFirstInterval} * 600 + 36 * 3600;
const char* kConfig = R"({"attenuationBucketThresholdDb": [55, 63, 70],
  "attenuationBucketWeights": [1.0, 1.0, 0.5, 0], "reportTypeWeights": [0, 1, 1, 1, 1, 0],
  "infectiousnessWeights": [0, 1, 1], "minimumDailyScore": 600})";

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "check_bench: %s\n", message.c_str());
  std::exit(1);
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double children_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Archives {
  std::vector<std::string> names;  // index lines, "XX/<start>-<end>-00001.zip"
  std::vector<std::string> paths;
  std::string index;
};

// The keys in 24 hourly archives (as a server's day of batches), signed by `signer`.
Archives write_archives(const testing::TempDir& dir, const std::vector<DiagnosisKey>& keys,
                        const keyfile::SigningKey& signer) {
  Archives out;
  std::filesystem::create_directories(dir.file("exports/XX"));
  const uint64_t day = uint64_t{kFirstInterval} * 600;
  for (size_t hour = 0; hour < 24; ++hour) {
    std::vector<DiagnosisKey> part;
    for (size_t i = hour; i < keys.size(); i += 24) part.push_back(keys[i]);
    keyfile::ExportBatch batch;
    batch.region = "XX";
    batch.start_timestamp = day + hour * 3600;
    batch.end_timestamp = batch.start_timestamp + 3600;
    auto files = keyfile::build_export_archives(batch, part, {}, std::span<const keyfile::SigningKey>(&signer, 1));
    if (!files.ok() || files->size() != 1) die("cannot build an archive");
    const std::string name =
        "XX/" + std::to_string(batch.start_timestamp) + "-" + std::to_string(batch.end_timestamp) + "-00001.zip";
    out.names.push_back(name);
    out.paths.push_back(dir.file("exports/" + name));
    std::ofstream(out.paths.back(), std::ios::binary)
        .write(reinterpret_cast<const char*>(files->at(0).data()), static_cast<std::streamsize>(files->at(0).size()));
    out.index += name + "\n";
  }
  return out;
}

// Copies the store directory (so every run starts from the same state).
void copy_store(const std::string& from, const std::string& to) {
  std::filesystem::remove_all(to);
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

struct CheckRun {
  double cpu_seconds = 0;
  std::set<std::string> matched;
  bool notify = false;
};

// One check through the exchange, the archives handed over from memory.
CheckRun run_check(const std::string& store_path, const StorageKey& key, const std::string& public_pem,
                   const Archives& archives, const std::vector<std::string>& bodies) {
  ManualClock clock(kNow);
  StoreOptions store_options;
  store_options.clock = &clock;
  store_options.create_if_missing = false;
  const double start = thread_cpu_seconds();
  auto store = Store::open(store_path, key, store_options);
  if (!store.ok()) die(store.status().message());
  app::CheckOptions options;
  options.region = "XX";
  options.cosign_sets.emplace_back();
  options.cosign_sets.back().push_back(*keyfile::make_verification_key("bench-v1", as_bytes(read_file(public_pem))));
  options.config = *parse_risk_config(kConfig);
  options.now = kNow;
  auto check = app::ExposureCheck::start(**store, std::move(options));
  if (!check.ok()) die(check.status().message());
  while (const app::HttpRequest* request = (*check)->next_request()) {
    app::HttpResponse response{404, ""};
    if (request->path == "/exports/XX/index.txt") response = {200, archives.index};
    for (size_t i = 0; i < archives.names.size(); ++i) {
      if (request->path == "/exports/" + archives.names[i]) response = {200, bodies[i]};
    }
    if (!(*check)->receive(response).ok()) die((*check)->status().message());
  }
  CheckRun run;
  run.cpu_seconds = thread_cpu_seconds() - start;
  run.notify = (*check)->outcome().decision.notify;
  for (const KeyMatch& m : (*check)->outcome().matches) run.matched.insert(to_hex(m.key.key_data));
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  size_t key_count = 100000, sighting_count = 100000, planted = 20;
  int repeat = 3;
  CLI::App app{"check_bench: the incremental exposure check against `exposure match` on the same files"};
  app.add_option("--keys", key_count, "Diagnosis keys in the day's archives")->check(CLI::Range(24, 10000000));
  app.add_option("--sightings", sighting_count, "Sightings in the device store")->check(CLI::Range(1, 10000000));
  app.add_option("--planted", planted, "Keys whose RPIs are among the sightings");
  app.add_option("--repeat", repeat, "Runs of each, best taken")->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);

  testing::TempDir dir;
  testing::WorkloadOptions w;
  w.keys = key_count;
  w.noise_sightings = sighting_count > planted * 3 ? sighting_count - planted * 3 : sighting_count;
  w.planted_keys = planted;
  w.first_interval = kFirstInterval;
  w.days = 1;
  testing::Workload workload = testing::make_workload(w);

  auto pem = read_file(std::string(exposure_test_data_dir()) + "/server-example-2-keys.private.pem");
  auto private_key = crypto::EcPrivateKey::parse_pem(pem);
  if (!private_key.ok()) die("cannot read the signing key");
  keyfile::SigningKey signer{"bench", "v1", std::move(*private_key)};
  Archives archives = write_archives(dir, workload.keys, signer);
  std::vector<std::string> bodies;
  for (const std::string& path : archives.paths) bodies.push_back(read_file(path));

  // The device store.
  const StorageKey key = generate_storage_key();
  if (!write_storage_key_file(dir.file("store.key"), key).ok()) die("cannot write the key file");
  {
    ManualClock clock(kNow);
    StoreOptions options;
    options.clock = &clock;
    auto store = Store::open(dir.file("store"), key, options);
    if (!store.ok()) die(store.status().message());
    if (!(*store)->add_sightings(workload.sightings).ok()) die("cannot fill the store");
  }
  std::ofstream(dir.file("config.json")) << kConfig;
  const std::string public_pem = std::string(exposure_test_data_dir()) + "/server-example-2-keys.public.pem";

  // The baseline: `exposure match` on the same archives and store, as its own process.
  std::string match_command = std::string(exposure_cli_binary()) + " match --store " + dir.file("store-match") +
                              " --key-file " + dir.file("store.key") + " --public-key bench-v1=" + public_pem +
                              " --config " + dir.file("config.json") + " --platform android --now " +
                              std::to_string(kNow) + " --keys";
  for (const std::string& path : archives.paths) match_command += " " + path;
  double match_best = 0;
  std::set<std::string> match_keys;
  for (int r = 0; r < repeat; ++r) {
    copy_store(dir.file("store"), dir.file("store-match"));
    const double before = children_cpu_seconds();
    testing::CommandResult result = testing::run_command(match_command + " > " + dir.file("match.json"));
    const double cpu = children_cpu_seconds() - before;
    if (result.exit_code != 0) die("exposure match failed: " + result.err);
    if (r == 0 || cpu < match_best) match_best = cpu;
    auto report = nlohmann::json::parse(read_file(dir.file("match.json")));
    match_keys.clear();
    for (const auto& k : report["matched_keys"]) match_keys.insert(k["key"].get<std::string>());
  }

  double check_best = 0, nothing_new_best = 0;
  CheckRun last;
  for (int r = 0; r < repeat; ++r) {
    copy_store(dir.file("store"), dir.file("store-check"));
    last = run_check(dir.file("store-check"), key, public_pem, archives, bodies);
    if (r == 0 || last.cpu_seconds < check_best) check_best = last.cpu_seconds;
    CheckRun again = run_check(dir.file("store-check"), key, public_pem, archives, bodies);
    if (r == 0 || again.cpu_seconds < nothing_new_best) nothing_new_best = again.cpu_seconds;
    if (again.notify) die("the check with nothing new notified");
  }
  if (last.matched != match_keys) die("the check and exposure match found different keys");

  std::printf("keys %zu in 24 archives, sightings %zu, matched keys %zu (both), load %.1f\n", key_count,
              workload.sightings.size(), match_keys.size(), [] {
                double load = -1;
                std::ifstream("/proc/loadavg") >> load;
                return load;
              }());
  std::printf("exposure match (process CPU, best of %d): %.3f s\n", repeat, match_best);
  std::printf("incremental check (CPU, best of %d):     %.3f s   ratio %.2fx (goal <= 1.1x)\n", repeat, check_best,
              check_best / match_best);
  std::printf("check with nothing new (CPU, best of %d): %.2f ms (goal < 10 ms)\n", repeat, nothing_new_best * 1000);
  return 0;
}
