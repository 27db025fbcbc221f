// Whole-process benchmark of exposure-server on loopback:
//  1. verified uploads, 14 keys each: issue -> verify -> certificate -> publish by
//     concurrent keep-alive clients (the app client library's flow), as uploads/s, latency
//     percentiles and errors; a fixed count (--uploads N), a fixed time (--duration S), or
//     an open-loop rate (--rate R, with --duration: the soak; --rss samples the server's
//     resident set size every second and prints its growth);
//  2. with --uploads: verification flows/s and publishes/s measured apart;
//  3. export build time for 2.1 M stored keys in one window (read, pad, sort, split into
//     500,000-record files, sign, write), in process.
// Flags: --uploads N (2000), --duration S, --rate R, --clients N (8), --server-threads N
// (16), --db URL (a fresh SQLite file; postgres://... for PostgreSQL), --export-keys N
// (2100000, 0 = skip), --workdir DIR (keep the database and export tree there); --port P
// --api-key K to load a server already running on 127.0.0.1:P (app com.example.app
// configured). Google Benchmark flags are accepted and ignored so scripts/bench.sh can run
// it like the others.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/app_client.h"
#include "common/clock.h"
#include "export/export_worker.h"
#include "exposure/crypto.h"
#include "http/metrics.h"
#include "server_load.h"
#include "server_setup.h"
#include "storage/storage.h"

namespace {

using namespace exposure;
using namespace exposure::server;
using exposure::bench::LoadOptions;
using exposure::bench::LoadReport;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// User + system CPU time of this process (the load clients), in seconds.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Flags {
  int64_t uploads = 2000;
  double duration_s = 0, rate = 0;
  int clients = 8, server_threads = 16, port = 0;
  bool rss = false;
  std::string api_key, db, workdir;
  int64_t export_keys = 2'100'000;
};

// Runs `step(client, i)` for i in [0, n) on `clients` keep-alive clients; seconds and failures.
template <typename Step>
std::pair<double, int> run_steps(int port, int n, int clients, Step step) {
  std::atomic<int> next{0}, failures{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(30, 0);
      for (int i = next++; i < n; i = next++) {
        if (!step(client, i)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  return {seconds_since(start), failures.load()};
}

// Verification (issue + verify + certificate) and publish measured apart.
void bench_phases(int port, const std::string& api_key, int n, int clients) {
  const int64_t now = std::time(nullptr);
  std::vector<std::vector<app_client::UploadKey>> keys;
  for (int i = 0; i < n; ++i) keys.push_back(bench::random_daily_keys(14, now));
  std::vector<app_client::CertifiedKeys> certified(static_cast<size_t>(n));
  auto [cert_s, cert_failures] = run_steps(port, n, clients, [&](httplib::Client& c, int i) {
    auto r = app_client::certify_keys(c, api_key, keys[i], {});
    if (r.ok()) certified[i] = std::move(*r);
    return r.ok();
  });
  auto [pub_s, pub_failures] = run_steps(port, n, clients, [&](httplib::Client& c, int i) {
    auto r = app_client::publish(
        c, app_client::publish_body(keys[i], certified[i].certificate, certified[i].hmac_secret, "com.example.app"));
    return r.ok() && r->inserted == 14;
  });
  std::printf("  verification alone (issue+verify+certificate): %.0f flows/s, %d failed\n", n / cert_s, cert_failures);
  std::printf("  publish alone (pre-issued certificates, 14 keys): %.0f publishes/s = %.0f keys/s, %d failed\n",
              n / pub_s, 14 * n / pub_s, pub_failures);
}

// Returns false when an upload failed.
bool bench_uploads(const std::string& dir, const Flags& flags) {
  std::unique_ptr<bench::ServerProcess> server_owner = bench::make_server(dir, flags.db, false);
  bench::ServerProcess& server = *server_owner;
  LoadOptions load;
  load.clients = flags.clients;
  load.duration_s = flags.duration_s;
  load.uploads = flags.uploads;
  load.rate = flags.rate;
  if (flags.port > 0) {
    load.port = flags.port;
    load.api_key = flags.api_key;
  } else {
    load.api_key = bench::add_authority_and_app(server);
    if (!bench::start(server, {"--no-export-worker", "--threads", std::to_string(flags.server_threads)})) return false;
    load.port = server.port();
  }
  std::vector<int64_t> rss;
  std::mutex rss_mutex;
  if (flags.rss && server.running()) {
    rss.push_back(server.rss_kib());
    load.every_second = [&](int second, int64_t done) {
      const int64_t kib = server.rss_kib();
      std::lock_guard<std::mutex> lock(rss_mutex);
      rss.push_back(kib);
      if (second % 10 == 0) {
        std::printf("  %4d s: %lld uploads, server RSS %.1f MiB, load average %s\n", second,
                    static_cast<long long>(done), kib / 1024.0, load_average().c_str());
      }
    };
  }
  const std::string mode = flags.rate > 0 ? "rate " + std::to_string(static_cast<int>(flags.rate)) + "/s"
                                          : "closed loop";
  std::printf("verified uploads (issue+verify+certificate+publish, 14 keys), %s, %d clients, %d server threads, "
              "%s; load average before: %s\n",
              mode.c_str(), flags.clients, flags.server_threads,
              flags.db.empty() ? "sqlite" : flags.db.substr(0, flags.db.find(':')).c_str(), load_average().c_str());
  const double server_cpu_before = server.cpu_seconds(), client_cpu_before = process_cpu_seconds();
  LoadReport report = bench::run_load(load);
  std::printf("  %s\n  load average after: %s\n", bench::describe(report).c_str(), load_average().c_str());
  if (report.uploads > 0) {
    std::printf("  CPU per upload: server %.2f ms, clients %.2f ms\n",
                (server.cpu_seconds() - server_cpu_before) * 1e3 / static_cast<double>(report.uploads),
                (process_cpu_seconds() - client_cpu_before) * 1e3 / static_cast<double>(report.uploads));
  }
  if (rss.size() > 4) {
    // The SQLite page cache (64 MiB) fills during the first minutes; growth that matters
    // is what happens after, so the quarters of the run and the second half's growth.
    const size_t n = rss.size();
    auto mib = [&](size_t i) { return static_cast<double>(rss[std::min(i, n - 1)]) / 1024.0; };
    const size_t peak_at = static_cast<size_t>(std::max_element(rss.begin(), rss.end()) - rss.begin());
    std::printf("  server RSS: start %.1f MiB, at 25%% %.1f, 50%% %.1f, 75%% %.1f, end %.1f MiB; peak %.1f MiB first at "
                "%zu s; growth over the second half %+.1f MiB\n",
                mib(0), mib(n / 4), mib(n / 2), mib(3 * n / 4), mib(n - 1), mib(peak_at), peak_at, mib(n - 1) - mib(n / 2));
  }
  if (flags.duration_s <= 0 && flags.rate <= 0 && flags.uploads > 0) {
    bench_phases(load.port, load.api_key, static_cast<int>(flags.uploads), flags.clients);
  }
  return report.errors == 0;
}

void bench_export(const std::string& dir, int64_t keys) {
  const int64_t window_start = 1'781'000'000 / 3600 * 3600;
  auto storage = open_storage("sqlite:" + dir + "/export.db");
  if (!storage.ok()) {
    std::printf("export bench: %s\n", storage.status().to_string().c_str());
    return;
  }
  SecretArray<32> master;
  crypto::random_bytes(MutableByteView(master.data(), master.size()));
  ServerSecrets secrets = ServerSecrets::from_bytes(master);
  auto insert_start = Clock::now();
  const int64_t chunk = 50'000;
  for (int64_t done = 0; done < keys; done += chunk) {
    std::vector<Exposure> batch(static_cast<size_t>(std::min(chunk, keys - done)));
    for (Exposure& e : batch) {
      crypto::random_bytes(e.key_data);
      e.rolling_start = static_cast<uint32_t>(window_start / 600 - 2 * 144);
      e.rolling_period = 144;
      e.transmission_risk = 2;
      e.report_type = "confirmed";
      e.days_since_onset = 2;
      e.regions = {"JP"};
      e.created_at = window_start;
    }
    Status st = (*storage)->transaction([&](Transaction& tx) { return tx.exposures().insert_exposures(batch); });
    if (!st.ok()) {
      std::printf("export bench: storing keys: %s\n", st.to_string().c_str());
      return;
    }
  }
  const double insert_s = seconds_since(insert_start);
  auto key = crypto::EcPrivateKey::generate();
  Status st = (*storage)->transaction([&](Transaction& tx) -> Status {
    EXPOSURE_RETURN_IF_ERROR(tx.verification().upsert_app(AuthorizedApp{"com.example.app", {"JP"}}));
    EXPOSURE_RETURN_IF_ERROR(
        tx.verification().insert_signing_key(SigningKeyRecord{"440", "v1", secrets.seal(key.pem(), "signing-key"),
                                               key.public_key().pem(), 1, true}));
    return tx.exports().set_last_export_end("JP", window_start);
  });
  if (!st.ok()) {
    std::printf("export bench: %s\n", st.to_string().c_str());
    return;
  }

  ManualClock clock(window_start + 3 * 3600);
  Metrics metrics;
  ExportSettings settings;
  settings.root = dir + "/exports";
  settings.public_base_url = "http://localhost/exports";
  ExportWorker worker(**storage, clock, secrets, settings, metrics);
  auto start = Clock::now();
  auto summary = worker.run_once();
  const double export_s = seconds_since(start);
  if (!summary.ok()) {
    std::printf("export failed: %s\n", summary.status().to_string().c_str());
    return;
  }
  uint64_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(settings.root + "/JP")) {
    if (entry.path().extension() == ".zip") bytes += entry.file_size();
  }
  std::printf("export build for %lld stored keys: %.2f s (%d files, %.1f MB, %.0f keys/s; loading them took %.1f s)\n",
              static_cast<long long>(keys), export_s, summary->files_written, bytes / 1e6, keys / export_s, insert_s);
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  CLI::App app("Whole-process benchmark of exposure-server on loopback", "server_bench");
  app.add_option("--uploads", flags.uploads, "Verified uploads to perform (without --duration)");
  app.add_option("--duration", flags.duration_s, "Run the upload load for this many seconds");
  app.add_option("--rate", flags.rate, "Uploads per second to schedule (soak); needs --duration");
  app.add_option("--clients", flags.clients, "Concurrent keep-alive clients");
  app.add_option("--server-threads", flags.server_threads, "The server's --threads");
  app.add_option("--db", flags.db, "The server's --db (default: SQLite in the work directory)");
  app.add_flag("--rss", flags.rss, "Sample the server's resident set during the load");
  app.add_option("--workdir", flags.workdir, "Keep the server's files here");
  app.add_option("--export-keys", flags.export_keys, "Stored keys for the export build benchmark (0: skip)");
  app.add_option("--port", flags.port, "Load a server already running on 127.0.0.1:PORT");
  app.add_option("--api-key", flags.api_key, "That server's health-authority API key");
  app.allow_extras();  // Google Benchmark flags (scripts/bench.sh) are accepted and ignored
  CLI11_PARSE(app, argc, argv);
  for (const std::string& extra : app.remaining()) {
    if (extra.rfind("--benchmark_", 0) != 0) {
      std::fprintf(stderr, "server_bench: unknown argument %s\n", extra.c_str());
      return 2;
    }
  }
  if (flags.rate > 0 && flags.duration_s <= 0) {
    std::fprintf(stderr, "server_bench: --rate needs --duration\n");
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const std::string dir = flags.workdir.empty() ? bench::make_temp_dir("exposure-server-bench") : flags.workdir;
  std::filesystem::create_directories(dir);
  bool ok = true;
  if (flags.uploads > 0 || flags.duration_s > 0) ok = bench_uploads(dir, flags);
  if (flags.export_keys > 0) bench_export(dir, flags.export_keys);
  if (flags.workdir.empty()) std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
