// matching_workload_bench: the whole-process matching benchmark (docs/benchmarks.md).
//
// Generates N diagnosis keys in signed export archives and, for each M, a sightings CSV of M
// sightings of which some are planted from the keys; then runs, in the same run and on the
// same files, `exposure match` (single thread unless --threads) and exposure_baseline_match
// (the deployed algorithm), each as its own process. Prints wall time, keys/s, peak RSS
// (with the 48 B x M + 32 MiB budget), the load average and the ratio, and checks that both found the same keys.
// It also prints what the library stages (RPIK, 144 RPIs, reading and verifying the files)
// cost per key in this process, and, at 100k and 1M sightings, the CPU per key the goal
// (4x, 25x) leaves for the whole `exposure match` process.
// With --callgrind it also runs both under valgrind's callgrind on a smaller key set and
// prints instructions per key (from the difference of a K-key and a 1-key run).
//
// Usage: matching_workload_bench [--keys N] [--sightings M1,M2,...] [--planted P]
//                                [--repeat R] [--threads T] [--callgrind [--callgrind-keys K]]
//                                [--workdir DIR (keeps the generated files)]
//                                [--csv (sightings from a CSV file instead of the device store)]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <malloc.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "exposure/keyfile.h"
#include "exposure/sightings_csv.h"
#include "exposure/store.h"
#include "support/matching_workload.h"
#include "support/temp_dir.h"
#include "support/test_paths.h"
#include "matching_library_floor.h"

namespace {

using namespace exposure;

struct Options {
  size_t keys = 1000000;
  std::vector<size_t> sightings{100000, 1000000};
  size_t planted = 200;
  int repeat = 1;
  unsigned threads = 1;
  bool callgrind = false;
  size_t callgrind_keys = 20000;
  std::string workdir;  // keep the generated files there (default: a temporary directory)
  bool csv = false;     // sightings from a CSV instead of the device store
};

// Where the generated files go.
class WorkDir {
 public:
  explicit WorkDir(const std::string& keep) : path_(keep.empty() ? temp_.path() : keep) {}
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  testing::TempDir temp_;
  std::string path_;
};

struct Run {
  double seconds = 0;
  long peak_rss_kib = 0;
  double cpu_seconds = 0;  // user + system time of the child
  double load = 0;         // 1-minute load average when the run ended
  std::string out;
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "matching_workload_bench: %s\n", why.c_str());
  std::exit(2);
}

// The 1-minute load average (the machine is shared: figures mean little without it).
double load_average() {
  double load = -1;
  std::ifstream("/proc/loadavg") >> load;
  return load;
}

// Runs argv with stdout to `out_path`; returns wall time and the child's peak RSS.
Run run_process(const std::vector<std::string>& argv, const std::string& out_path) {
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) die("fork failed");
  if (pid == 0) {
    int fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) _exit(127);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) < 0) die("wait4 failed");
  Run run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_kib = usage.ru_maxrss;
  run.load = load_average();
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  run.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die(argv[0] + std::string(" failed"));
  std::ifstream in(out_path);
  std::stringstream text;
  text << in.rdbuf();
  run.out = text.str();
  return run;
}

Run best_of(int repeat, const std::vector<std::string>& argv, const std::string& out_path) {
  Run best;
  for (int i = 0; i < repeat; ++i) {
    Run r = run_process(argv, out_path);
    if (i == 0 || r.seconds < best.seconds) best = r;
  }
  return best;
}

// Signed archives of `keys`; returns their paths (and writes the public key to pem_path).
std::vector<std::string> write_key_files(const WorkDir& dir, const std::string& stem,
                                         const std::vector<DiagnosisKey>& keys, const keyfile::SigningKey& signer) {
  keyfile::ExportBatch batch;
  batch.region = "XX";
  batch.start_timestamp = 1587600000;
  batch.end_timestamp = 1587686400;
  auto archives = keyfile::build_export_archives(batch, keys, {}, std::span<const keyfile::SigningKey>(&signer, 1));
  if (!archives.ok()) die("cannot build archives: " + archives.status().message());
  std::vector<std::string> paths;
  for (size_t i = 0; i < archives->size(); ++i) {
    paths.push_back(dir.file(stem + "-" + std::to_string(i + 1) + ".zip"));
    std::ofstream(paths.back(), std::ios::binary)
        .write(reinterpret_cast<const char*>((*archives)[i].data()), static_cast<std::streamsize>((*archives)[i].size()));
  }
  return paths;
}

std::vector<std::string> command(const std::string& binary, const std::vector<std::string>& sighting_args,
                                 const std::vector<std::string>& key_files, const std::string& pem, unsigned threads) {
  std::vector<std::string> argv{binary};
  if (binary == exposure_cli_binary()) argv.push_back("match");
  argv.insert(argv.end(), sighting_args.begin(), sighting_args.end());
  argv.push_back("--keys");
  argv.insert(argv.end(), key_files.begin(), key_files.end());
  argv.insert(argv.end(), {"--public-key", "bench-v1=" + pem});
  if (binary == exposure_cli_binary() && threads > 1) argv.insert(argv.end(), {"--threads", std::to_string(threads)});
  return argv;
}

std::string store_dir(const WorkDir& dir, size_t m) { return dir.file("store-" + std::to_string(m)); }

// The device store a phone would match against (encrypted, in SQLite), with `sightings`.
void write_store(const WorkDir& dir, size_t m, const std::vector<Sighting>& sightings, int64_t now) {
  std::string key_path = dir.file("store.key");
  if (!std::ifstream(key_path)) {
    if (!write_storage_key_file(key_path, generate_storage_key()).ok()) die("cannot write " + key_path);
  }
  auto key = read_storage_key_file(key_path);
  ManualClock clock(now);
  StoreOptions options;
  options.clock = &clock;
  std::error_code ignored;
  std::filesystem::remove_all(store_dir(dir, m), ignored);
  auto store = Store::open(store_dir(dir, m), *key, options);
  if (!store.ok()) die("cannot create the store: " + store.status().message());
  for (size_t at = 0; at < sightings.size(); at += 100000) {
    auto batch = std::span<const Sighting>(sightings).subspan(at, std::min<size_t>(100000, sightings.size() - at));
    auto added = (*store)->add_sightings(batch);
    if (!added.ok()) die("cannot fill the store: " + added.status().message());
  }
}

std::set<std::string> keys_found(const std::string& out, const char* list) {
  std::set<std::string> found;
  auto json = nlohmann::json::parse(out);
  for (const auto& k : json[list]) found.insert(k.is_string() ? k.get<std::string>() : k["key"].get<std::string>());
  return found;
}

// Instructions (callgrind Ir) of one run.
double instructions(const std::vector<std::string>& argv, const WorkDir& dir) {
  std::string profile = dir.file("callgrind.out");
  std::vector<std::string> wrapped{"valgrind", "--quiet", "--tool=callgrind", "--callgrind-out-file=" + profile};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  run_process(wrapped, dir.file("callgrind.stdout"));
  std::ifstream in(profile);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("summary:", 0) == 0 || line.rfind("totals:", 0) == 0) return std::stod(line.substr(line.find(':') + 1));
  }
  die("no summary in " + profile);
}

// The matching goals (docs/benchmarks.md): 4x the deployed algorithm at 100k sightings, 25x at
// 1M; 0 for other M.
int goal_ratio(size_t sightings) {
  if (sightings == 100000) return 4;
  if (sightings == 1000000) return 25;
  return 0;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--keys") {
      o.keys = std::stoull(value());
    } else if (arg == "--sightings") {
      o.sightings.clear();
      std::stringstream list(value());
      for (std::string m; std::getline(list, m, ',');) o.sightings.push_back(std::stoull(m));
    } else if (arg == "--planted") {
      o.planted = std::stoull(value());
    } else if (arg == "--repeat") {
      o.repeat = std::stoi(value());
    } else if (arg == "--threads") {
      o.threads = static_cast<unsigned>(std::stoul(value()));
    } else if (arg == "--callgrind") {
      o.callgrind = true;
    } else if (arg == "--csv") {
      o.csv = true;
    } else if (arg == "--workdir") {
      o.workdir = value();
    } else if (arg == "--callgrind-keys") {
      o.callgrind_keys = std::stoull(value());
    } else {
      die("unknown argument " + arg);
    }
  }
  if (o.keys == 0 || o.sightings.empty() || o.repeat < 1) die("--keys, --sightings and --repeat must be positive");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows line by line in a log
  WorkDir dir(o.workdir);
  keyfile::SigningKey signer{"bench", "v1", crypto::EcPrivateKey::generate()};
  std::string pem = dir.file("bench-v1.pem");
  std::ofstream(pem) << signer.private_key.public_key().pem();

  std::printf("exposure match vs the deployed algorithm (exposure_baseline_match), whole processes, %u thread%s\n",
              o.threads, o.threads == 1 ? "" : "s");
  std::optional<bench::LibraryFloor> floor;  // measured once, on the first M's files
  for (size_t m : o.sightings) {
    testing::WorkloadOptions w;
    w.seed = 7;
    w.keys = o.keys;
    w.planted_keys = o.planted;
    w.noise_sightings = m > 8 * o.planted ? m - 8 * o.planted : m / 2;  // planted keys bring ~8 sightings each
    std::string csv = dir.file("sightings-" + std::to_string(m) + ".csv");
    // "Now" is the end of the workload's last day, so the store keeps all 14 days.
    int64_t now = (int64_t{w.first_interval} + int64_t{w.days} * 144) * 600 - 1;
    std::vector<std::string> sighting_args =
        o.csv ? std::vector<std::string>{"--sightings", csv}
              : std::vector<std::string>{"--store", store_dir(dir, m), "--key-file", dir.file("store.key"), "--now",
                                         std::to_string(now)};
    std::vector<std::string> files, few_files, one_files;
    size_t keys = 0, sightings = 0;
    {
      // The workload is freed before the processes run: a child's peak RSS includes what it
      // shared with this process when it was forked.
      testing::Workload workload = testing::make_workload(w);
      if (o.csv) {
        std::ofstream out(csv);
        write_sightings_csv(out, workload.sightings);
      } else {
        write_store(dir, m, workload.sightings, now);
      }
      files = write_key_files(dir, "keys", workload.keys, signer);
      keys = workload.keys.size();
      sightings = workload.sightings.size();
      if (o.callgrind) {
        size_t n = std::min(o.callgrind_keys, keys);
        few_files = write_key_files(dir, "few", {workload.keys.begin(), workload.keys.begin() + static_cast<long>(n)}, signer);
        one_files = write_key_files(dir, "one", {workload.keys.begin(), workload.keys.begin() + 1}, signer);
      }
    }
    malloc_trim(0);
    std::printf("\nN = %zu keys in %zu signed files, M = %zu sightings (%zu keys planted) in %s\n", keys,
                files.size(), sightings, o.planted, o.csv ? "a CSV file" : "the device store");

    if (!floor) {
      floor = bench::measure_library_floor(files, "bench-v1", signer.private_key.public_key().pem(), 200000);
      malloc_trim(0);  // as above: the children's peak RSS must not include this
      std::printf("  library stages per key, CPU of one thread: RPIK %.3f us + 144 RPIs %.3f us + reading and verifying the files %.3f us = %.3f us\n",
                  floor->rpik_us, floor->rpis_us, floor->read_and_verify_us, floor->total_us());
    }
    Run ours = best_of(o.repeat, command(exposure_cli_binary(), sighting_args, files, pem, o.threads), dir.file("ours.json"));
    Run base = best_of(o.repeat, command(exposure_baseline_match_binary(), sighting_args, files, pem, 1), dir.file("baseline.json"));
    auto found = keys_found(ours.out, "matched_keys");
    auto candidates = keys_found(base.out, "candidate_keys");
    double ours_rate = static_cast<double>(keys) / ours.seconds;
    double base_rate = static_cast<double>(keys) / base.seconds;
    double budget_mib = (48.0 * static_cast<double>(sightings) + 32.0 * (1 << 20)) / (1 << 20);
    std::printf("  exposure match:          %7.3f s  %10.0f keys/s  (CPU %6.3f s)  peak RSS %7.1f MiB (budget 48 B x M + 32 MiB = %.1f MiB)%s  load %.1f\n",
                ours.seconds, ours_rate, ours.cpu_seconds, ours.peak_rss_kib / 1024.0, budget_mib,
                ours.peak_rss_kib / 1024.0 <= budget_mib ? "" : "  OVER BUDGET", ours.load);
    std::printf("  exposure_baseline_match: %7.3f s  %10.0f keys/s  (CPU %6.3f s)  peak RSS %7.1f MiB  load %.1f\n", base.seconds,
                base_rate, base.cpu_seconds, base.peak_rss_kib / 1024.0, base.load);
    std::printf("  CPU-time ratio: %.1fx\n", base.cpu_seconds / ours.cpu_seconds);
    std::printf("  ratio: %.1fx   matched keys: %zu (baseline candidates: %zu, %s)\n", ours_rate / base_rate, found.size(),
                candidates.size(), found == candidates ? "same keys" : "DIFFERENT KEYS");
    if (int goal = goal_ratio(m); goal > 0) {
      double budget_us = base.cpu_seconds / goal / static_cast<double>(keys) * 1e6;
      std::printf("  goal %dx: %.3f us of CPU per key for the whole process (baseline CPU / %d / keys); library stages alone %.3f us%s\n",
                  goal, budget_us, goal, floor->total_us(), floor->total_us() > budget_us ? " (over the budget)" : "");
    }
    if (found.size() != candidates.size() || found != candidates) return 1;

    if (o.callgrind) {
      size_t few = std::min(o.callgrind_keys, keys);
      for (const char* binary : {exposure_cli_binary(), exposure_baseline_match_binary()}) {
        double many = instructions(command(binary, sighting_args, few_files, pem, 1), dir);
        double single = instructions(command(binary, sighting_args, one_files, pem, 1), dir);
        std::printf("  callgrind %-24s %8.0f instructions per key (%zu-key run minus 1-key run)\n",
                    binary == std::string(exposure_cli_binary()) ? "exposure match:" : "exposure_baseline_match:",
                    (many - single) / static_cast<double>(few - 1), few);
      }
    }
  }
  return 0;
}
