// Diagnosis-key export files: keys read per second from a 500,000-key archive, and the time
// to build and sign the archives of 2.1 million keys (goal: 3 s or less on the 2-core
// machine), each with the peak memory of the process that did it.
//
// Each measurement runs in its own child process so that its peak resident set size
// (getrusage ru_maxrss) is its own. Arguments are ignored (scripts/bench.sh passes Google
// Benchmark flags to every benchmark).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "exposure/keyfile.h"

namespace exposure {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto sec = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return sec(usage.ru_utime) + sec(usage.ru_stime);
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Keys with realistic metadata: 14 days of starts, mostly full periods, all fields set.
std::vector<DiagnosisKey> random_keys(size_t count) {
  std::vector<DiagnosisKey> keys(count);
  Bytes random(count * 20);
  crypto::random_bytes(random);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* r = random.data() + 20 * i;
    DiagnosisKey& k = keys[i];
    std::copy_n(r, 16, k.key_data.begin());
    k.rolling_start_interval_number = 2650032 + 144 * (r[16] % 14);
    k.rolling_period = r[17] < 230 ? 144 : 1 + r[17] % 144;
    k.transmission_risk_level = r[18] % 9;
    k.report_type = ReportType::kConfirmedTest;
    k.days_since_onset_of_symptoms = static_cast<int32_t>(r[19] % 29) - 14;
  }
  return keys;
}

std::vector<keyfile::SigningKey> one_signer() {
  std::vector<keyfile::SigningKey> signers;
  signers.push_back({"310", "v1", crypto::EcPrivateKey::generate()});
  return signers;
}

// Runs `body` in a child process and waits for it.
bool in_child(const std::function<int()>& body) {
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    int rc = body();
    std::fflush(stdout);
    std::_Exit(rc);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int write_archive(const std::string& path, const std::string& public_pem_path) {
  auto signers = one_signer();
  auto archives = keyfile::build_export_archives({"US", 1590000000, 1590086400},
                                                 random_keys(500000), {}, signers);
  if (!archives.ok() || archives->size() != 1) return 1;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(archives->front().data()),
             static_cast<std::streamsize>(archives->front().size()));
  std::ofstream(public_pem_path) << signers[0].private_key.public_key().pem();
  return 0;
}

int measure_read(const std::string& path, const std::string& public_pem_path, bool verify) {
  std::ifstream pem_in(public_pem_path);
  std::string pem((std::istreambuf_iterator<char>(pem_in)), std::istreambuf_iterator<char>());
  std::vector<keyfile::CosignSet> sets(1);
  sets[0].push_back(*keyfile::make_verification_key("310-v1", as_bytes(pem)));
  double rss_before = peak_rss_mib();
  double best = 1e9;
  size_t keys = 0;
  for (int round = 0; round < 3; ++round) {
    auto start = Clock::now();
    auto reader = keyfile::ExportReader::open_path(path);
    if (!reader.ok()) return 1;
    keys = 0;
    for (;;) {
      auto record = (*reader)->next();
      if (!record.ok()) return 1;
      if (!record->has_value()) break;
      ++keys;
    }
    if (verify && !keyfile::verify_signatures(**reader, sets).ok()) return 1;
    best = std::min(best, seconds_since(start));
  }
  std::printf(
      "%-28s %zu keys in %.3f s = %.2f M keys/s; peak RSS %.1f MiB (%.1f MiB before reading)\n",
      verify ? "read + verify (streamed):" : "read (streamed):", keys, best,
      static_cast<double>(keys) / best / 1e6, peak_rss_mib(), rss_before);
  return 0;
}

int measure_build(size_t count) {
  auto signers = one_signer();
  std::vector<DiagnosisKey> keys = random_keys(count);
  double rss_before = peak_rss_mib();
  double cpu_before = cpu_seconds();
  auto start = Clock::now();
  auto archives =
      keyfile::build_export_archives({"US", 1590000000, 1590086400}, std::move(keys), {}, signers);
  double elapsed = seconds_since(start), cpu = cpu_seconds() - cpu_before;
  if (!archives.ok()) return 1;
  size_t bytes = 0;
  for (const auto& a : *archives) bytes += a.size();
  std::printf(
      "build + sign %zu keys: %zu files, %.1f MB, %.3f s (goal <= 3 s), CPU %.3f s; "
      "peak RSS %.1f MiB (%.1f MiB before, with the input keys)\n",
      count, archives->size(), static_cast<double>(bytes) / 1e6, elapsed, cpu, peak_rss_mib(),
      rss_before);
  return 0;
}

}  // namespace
}  // namespace exposure

int main() {
  using namespace exposure;
  std::printf("keyfile_bench (%s backend)\n", crypto::backend_name());
  auto dir = std::filesystem::temp_directory_path() /
             ("exposure-keyfile-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string archive = (dir / "500k.zip").string(), pem = (dir / "public.pem").string();
  bool ok = in_child([&] { return write_archive(archive, pem); }) &&
            in_child([&] { return measure_read(archive, pem, false); }) &&
            in_child([&] { return measure_read(archive, pem, true); }) &&
            in_child([&] { return measure_build(2100000); });
  std::filesystem::remove_all(dir);
  if (!ok) std::fprintf(stderr, "keyfile_bench: a measurement failed\n");
  return ok ? 0 : 1;
}
