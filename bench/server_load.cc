#include "server_load.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>

#include "exposure/crypto.h"

namespace exposure::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

struct Shared {
  const LoadOptions& options;
  SteadyClock::time_point start;
  SteadyClock::time_point end;  // duration mode
  std::atomic<int64_t> next{0}, done{0}, errors{0};
  std::atomic<bool> finished{false}, started{false};
  std::atomic<int> connected{0};
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::vector<std::string> first_errors;

  explicit Shared(const LoadOptions& o) : options(o) {}

  bool stopping() const { return finished || (options.stop && options.stop->load()); }

  // The next upload's scheduled start, or false when the run is over.
  bool claim(SteadyClock::time_point* scheduled) {
    if (stopping()) return false;
    int64_t i = next++;
    if (options.duration_s <= 0 && i >= options.uploads) return false;
    *scheduled = options.rate > 0
                     ? start + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(i / options.rate))
                     : SteadyClock::now();
    if (options.duration_s > 0 && *scheduled >= end) return false;
    return true;
  }

  void record_error(const std::string& message) {
    ++errors;
    std::lock_guard<std::mutex> lock(mutex);
    if (first_errors.size() < 5 && std::find(first_errors.begin(), first_errors.end(), message) == first_errors.end()) {
      first_errors.push_back(message);
    }
  }
};

void client_loop(Shared& shared) {
  const LoadOptions& o = shared.options;
  httplib::Client client("127.0.0.1", o.port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(30, 0);
  // Connect before the clock starts: the server's listen backlog is short, and a burst of
  // simultaneous connects would measure SYN retransmission (1 s), not the server.
  (void)client.Get("/health");
  ++shared.connected;
  while (!shared.started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::vector<double> latencies;
  app_client::GoogleUploadOptions upload;
  upload.app_id = o.app_id;
  SteadyClock::time_point scheduled;
  while (shared.claim(&scheduled)) {
    std::this_thread::sleep_until(scheduled);
    if (shared.stopping()) break;
    const int64_t key_time = o.key_time ? o.key_time() : std::time(nullptr);
    auto keys = random_daily_keys(o.keys_per_upload, key_time);
    auto outcome = app_client::google_upload(client, o.api_key, keys, upload);
    const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - scheduled).count();
    if (!outcome.ok()) {
      shared.record_error(outcome.status().message());
    } else if (outcome->inserted != o.keys_per_upload) {
      shared.record_error("publish: inserted " + std::to_string(outcome->inserted) + " of " +
                          std::to_string(o.keys_per_upload) + " keys");
    } else {
      if (o.acknowledged) o.acknowledged(keys);
      latencies.push_back(ms);
      ++shared.done;
    }
  }
  std::lock_guard<std::mutex> lock(shared.mutex);
  shared.latencies_ms.insert(shared.latencies_ms.end(), latencies.begin(), latencies.end());
}

}  // namespace

std::vector<app_client::UploadKey> random_daily_keys(int count, int64_t now) {
  const uint32_t today = static_cast<uint32_t>(now / 86400 * 144);
  std::vector<app_client::UploadKey> keys(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    app_client::UploadKey& k = keys[static_cast<size_t>(i)];
    crypto::random_bytes(k.key);
    k.start = today - static_cast<uint32_t>(count - 1 - i) * 144;
    k.period = 144;
  }
  return keys;
}

LoadReport run_load(const LoadOptions& options) {
  Shared shared(options);
  const int client_count = std::max(options.clients, 1);
  std::vector<std::thread> clients;
  for (int t = 0; t < client_count; ++t) clients.emplace_back(client_loop, std::ref(shared));
  while (shared.connected < client_count) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  shared.start = SteadyClock::now();
  shared.end = shared.start + std::chrono::duration_cast<SteadyClock::duration>(
                                  std::chrono::duration<double>(std::max(options.duration_s, 0.0)));
  shared.started = true;
  std::thread monitor([&] {
    for (int second = 1; !shared.finished; ++second) {
      auto wake = shared.start + std::chrono::seconds(second);
      while (!shared.finished && SteadyClock::now() < wake) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (shared.finished) break;
      if (options.every_second) options.every_second(second, shared.done.load());
    }
  });
  for (auto& c : clients) c.join();
  LoadReport report;
  report.seconds = std::chrono::duration<double>(SteadyClock::now() - shared.start).count();
  shared.finished = true;
  monitor.join();
  report.uploads = shared.done;
  report.errors = shared.errors;
  report.first_errors = shared.first_errors;
  std::sort(shared.latencies_ms.begin(), shared.latencies_ms.end());
  report.p50_ms = percentile(shared.latencies_ms, 0.50);
  report.p95_ms = percentile(shared.latencies_ms, 0.95);
  report.p99_ms = percentile(shared.latencies_ms, 0.99);
  report.max_ms = shared.latencies_ms.empty() ? 0 : shared.latencies_ms.back();
  return report;
}

std::string describe(const LoadReport& r) {
  char line[256];
  std::snprintf(line, sizeof line,
                "%lld uploads in %.1f s = %.0f uploads/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; "
                "%lld errors",
                static_cast<long long>(r.uploads), r.seconds, r.uploads_per_second(), r.p50_ms, r.p95_ms, r.p99_ms,
                r.max_ms, static_cast<long long>(r.errors));
  std::string out = line;
  for (const std::string& e : r.first_errors) out += "\n  error: " + e;
  return out;
}

}  // namespace exposure::bench
