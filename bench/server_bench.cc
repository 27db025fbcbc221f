// Whole-process benchmark of exposure-server on loopback with SQLite:
//  1. verified uploads per second, 14 keys each: issue -> verify -> certificate -> publish,
//     by concurrent clients;
//  2. publishes per second alone, with certificates obtained beforehand;
//  3. export build time for 2.1 M stored keys in one window (read, pad, sort, split into
//     500,000-record files, sign, write), in process.
// Prints the figures. Flags: --uploads N (2000), --clients N (8), --export-keys N
// (2100000), --server-threads N (16); --port P --api-key K to load a server already running
// on 127.0.0.1:P (with app com.example.app). Google Benchmark flags are accepted and ignored so
// scripts/bench.sh can run it like the others.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/text.h"
#include "export/export_worker.h"
#include "exposure/crypto.h"
#include "http/metrics.h"
#include "publish/tekmac.h"
#include "storage/storage.h"

namespace {

using namespace exposure;
using namespace exposure::server;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

struct ServerProcess {
  pid_t pid = -1;
  int port = 0;
};

ServerProcess start_server(const std::string& flags, int threads) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) std::abort();
  std::string command = std::string(EXPOSURE_SERVER_BIN) + " serve --listen 127.0.0.1:0 --no-export-worker --threads " +
                        std::to_string(threads) + flags;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDERR_FILENO);
    close(out_pipe[0]);
    execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out_pipe[1]);
  std::string line;
  char c;
  while (read(out_pipe[0], &c, 1) == 1 && c != '\n') line += c;
  close(out_pipe[0]);
  ServerProcess p;
  p.pid = pid;
  p.port = std::stoi(line.substr(line.rfind(':') + 1));
  return p;
}

struct Upload {
  nlohmann::json keys;
  std::vector<TekmacKey> tekmac_keys;
  Bytes secret;
};

Upload make_upload(int64_t now) {
  Upload u;
  const int64_t today = now / 86400 * 144;
  for (int i = 13; i >= 0; --i) {
    Bytes key(16);
    crypto::random_bytes(key);
    TekmacKey k{to_base64(key), today - i * 144, 144, 0};
    u.keys.push_back({{"key", k.key}, {"rollingStartNumber", k.rolling_start_number}, {"rollingPeriod", 144},
                      {"transmissionRisk", 0}});
    u.tekmac_keys.push_back(k);
  }
  u.secret.resize(32);
  crypto::random_bytes(u.secret);
  return u;
}

nlohmann::json post(httplib::Client& client, const char* path, const nlohmann::json& body,
                    const httplib::Headers& headers = {}) {
  auto r = client.Post(path, headers, body.dump(), "application/json");
  if (!r || r->status != 200) return nullptr;
  return nlohmann::json::parse(r->body, nullptr, false);
}

// issue -> verify -> certificate; returns the certificate or "".
std::string certify(httplib::Client& client, const std::string& api_key, const Upload& u) {
  auto issued = post(client, "/api/issue", {{"testType", "confirmed"}}, {{"X-API-Key", api_key}});
  if (!issued.is_object()) return "";
  auto verified = post(client, "/api/verify", {{"code", issued["code"]}, {"padding", random_padding(512, 512)}});
  if (!verified.is_object()) return "";
  auto mac = compute_tekmac(u.tekmac_keys, u.secret, true);
  auto cert = post(client, "/api/certificate", {{"token", verified["token"]}, {"ekeyhmac", to_base64(mac)}});
  return cert.is_object() ? cert["certificate"].get<std::string>() : "";
}

bool publish(httplib::Client& client, const Upload& u, const std::string& certificate) {
  auto r = post(client, "/v1/publish",
                {{"temporaryExposureKeys", u.keys},
                 {"healthAuthorityID", "com.example.app"},
                 {"verificationPayload", certificate},
                 {"hmacKey", to_base64(u.secret)},
                 {"padding", random_padding(1024, 1024)}});
  return r.is_object() && r.value("insertedExposures", 0) == 14;
}

// Runs `work(i)` for i in [0, n) on `clients` threads with one keep-alive client each.
template <typename Work>
std::pair<double, int> run_clients(int port, int n, int clients, Work work) {
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
        if (!work(client, i)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  return {seconds_since(start), failures.load()};
}

// With `external_port` > 0 the uploads go to a server already running there (app
// com.example.app configured, `external_api_key` an authority's key).
void bench_uploads(const std::string& dir, int uploads, int clients, int server_threads, int external_port,
                   std::string api_key) {
  const int64_t now = std::time(nullptr);
  const std::string flags = " --db sqlite:" + dir + "/server.db --secret-file " + dir + "/secret --export-root " + dir +
                            "/exports";
  const std::string bin = EXPOSURE_SERVER_BIN;
  ServerProcess server;
  if (external_port > 0) {
    server.port = external_port;
  } else {
    api_key = run(bin + " ha add bench" + flags + " 2>/dev/null");
    run(bin + " app add com.example.app --region JP" + flags);
    server = start_server(flags, server_threads);
  }

  std::vector<Upload> batch;
  for (int i = 0; i < uploads; ++i) batch.push_back(make_upload(now));
  auto [full_s, full_failures] = run_clients(server.port, uploads, clients, [&](httplib::Client& c, int i) {
    std::string cert = certify(c, api_key, batch[i]);
    return !cert.empty() && publish(c, batch[i], cert);
  });
  std::printf("verified uploads (issue+verify+certificate+publish, 14 keys): %d in %.2f s = %.0f uploads/s, "
              "%d failed (%d clients, %d server threads)\n",
              uploads, full_s, uploads / full_s, full_failures, clients, server_threads);

  std::vector<Upload> second;
  for (int i = 0; i < uploads; ++i) second.push_back(make_upload(now));
  std::vector<std::string> certificates(uploads);
  auto [cert_s, cert_failures] = run_clients(server.port, uploads, clients, [&](httplib::Client& c, int i) {
    certificates[i] = certify(c, api_key, second[i]);
    return !certificates[i].empty();
  });
  auto [pub_s, pub_failures] = run_clients(server.port, uploads, clients, [&](httplib::Client& c, int i) {
    return publish(c, second[i], certificates[i]);
  });
  std::printf("  verification alone (issue+verify+certificate): %.0f flows/s, %d failed\n", uploads / cert_s,
              cert_failures);
  std::printf("  publish alone (pre-issued certificates, 14 keys): %.0f publishes/s = %.0f keys/s, %d failed\n",
              uploads / pub_s, 14 * uploads / pub_s, pub_failures);
  if (server.pid > 0) {
    kill(server.pid, SIGTERM);
    waitpid(server.pid, nullptr, 0);
  }
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
    Status st = (*storage)->transaction([&](Transaction& tx) { return tx.insert_exposures(batch); });
    if (!st.ok()) {
      std::printf("export bench: storing keys: %s\n", st.to_string().c_str());
      return;
    }
  }
  const double insert_s = seconds_since(insert_start);
  auto key = crypto::EcPrivateKey::generate();
  Status st = (*storage)->transaction([&](Transaction& tx) -> Status {
    EXPOSURE_RETURN_IF_ERROR(tx.upsert_app(AuthorizedApp{"com.example.app", {"JP"}}));
    EXPOSURE_RETURN_IF_ERROR(
        tx.insert_signing_key(SigningKeyRecord{"440", "v1", secrets.seal(key.pem(), "signing-key"),
                                               key.public_key().pem(), 1, true}));
    return tx.set_last_export_end("JP", window_start);
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
  int uploads = 2000, clients = 8, server_threads = 16, port = 0;
  std::string api_key;
  int64_t export_keys = 2'100'000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : "0"; };
    if (arg == "--uploads") uploads = std::stoi(value());
    else if (arg == "--clients") clients = std::stoi(value());
    else if (arg == "--server-threads") server_threads = std::stoi(value());
    else if (arg == "--export-keys") export_keys = std::stoll(value());
    else if (arg == "--port") port = std::stoi(value());
    else if (arg == "--api-key") api_key = value();
    else if (arg.rfind("--benchmark_", 0) == 0) continue;
    else {
      std::fprintf(stderr, "server_bench: unknown argument %s\n", arg.c_str());
      return 2;
    }
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  char tmpl[] = "/tmp/exposure-server-bench-XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  const std::string dir = tmpl;
  if (uploads > 0) bench_uploads(dir, uploads, clients, server_threads, port, api_key);
  if (export_keys > 0) bench_export(dir, export_keys);
  std::filesystem::remove_all(dir);
  return 0;
}
