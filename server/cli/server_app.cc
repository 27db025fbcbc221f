#include "cli/server_app.h"

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <thread>

#include "common/clock.h"
#include "common/text.h"
#include "distribution/export_files.h"
#include "export/export_worker.h"
#include "federation/federation_feed.h"
#include "federation/federation_importer.h"
#include "http/api_server.h"
#include "http/rate_limiter.h"
#include "publish/publish_routes.h"
#include "verification/verification_routes.h"

namespace exposure::server {
namespace {

// Per-region export gauges for /metrics.
Metrics::ExportGauges export_gauges(Storage& storage, int64_t now) {
  Metrics::ExportGauges gauges;
  std::map<std::string, std::pair<int64_t, int64_t>> files;  // newest created_at, count
  std::vector<std::pair<std::string, int64_t>> progress;
  Status st = storage.read([&](Transaction& tx) -> Status {
    auto list = tx.exports().list_export_files();
    if (!list.ok()) return list.status();
    for (const ExportFile& f : *list) {
      auto& slot = files[f.region];
      slot.first = std::max(slot.first, f.created_at);
      slot.second += 1;
    }
    auto windows = tx.exports().list_export_progress();
    if (!windows.ok()) return windows.status();
    progress = std::move(*windows);
    return Status::Ok();
  });
  if (!st.ok()) log_error("metrics: " + st.to_string());
  for (const auto& [region, v] : files) {
    gauges.newest_file_age_seconds.push_back({region, static_cast<double>(now - v.first)});
    gauges.files_indexed.push_back({region, static_cast<double>(v.second)});
  }
  for (const auto& [region, end] : progress) {
    gauges.last_window_age_seconds.push_back({region, static_cast<double>(now - end)});
  }
  return gauges;
}

void add_operational_routes(ApiServer& server, Storage& storage, const Clock& clock, Metrics& metrics,
                            ExportFileServer& files) {
  server.add_get("/health", "/health", [&storage, &server](const httplib::Request&, httplib::Response& res) {
    Status st = storage.ping();
    JsonReply reply;
    reply.status = st.ok() ? 200 : 503;
    reply.body["status"] = st.ok() ? "ok" : "unavailable";
    if (!st.ok()) log_error("health: " + st.to_string());
    server.write_json(res, reply);
  });
  server.add_get("/metrics", "/metrics", [&storage, &clock, &metrics](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content(metrics.render(export_gauges(storage, clock.now_unix_seconds())), "text/plain; version=0.0.4");
  });
  server.add_get(ExportFileServer::route_pattern(), "/exports/",
                 [&files](const httplib::Request& req, httplib::Response& res) { files.handle(req, res); });
}

// Blocks SIGINT/SIGTERM in every thread started afterwards; the returned thread waits for
// one (or for `done`) and calls `stop`.
std::thread start_signal_thread(const std::function<void()>& stop, const std::atomic<bool>& done) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return std::thread([set, stop, &done] {
    const timespec tick{0, 100 * 1000 * 1000};
    bool stopping = false;
    while (!done) {
      int sig = sigtimedwait(&set, nullptr, &tick);
      if (sig > 0 && !stopping) {
        log_info("signal " + std::to_string(sig) + ": shutting down");
        stopping = true;
      }
      // Repeated until the server is down: a stop() before it started listening is a no-op.
      if (stopping) stop();
    }
  });
}

// Milliseconds for the rate limiter: monotonic, or the fake clock's time when one is set
// (so tests refill buckets by moving it).
std::function<int64_t()> rate_limit_clock(const Settings& settings, const Clock& clock) {
  if (!settings.fake_clock_file.empty()) return [&clock] { return clock.now_unix_seconds() * 1000; };
  return [] {
    auto since_start = std::chrono::steady_clock::now().time_since_epoch();
    return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(since_start).count());
  };
}

}  // namespace

Result<ServerCore> open_core(const Settings& settings) {
  ServerCore core;
  auto clock = make_clock(settings.fake_clock_file);
  if (!clock.ok()) return clock.status();
  core.clock = std::move(*clock);
  auto secrets = ServerSecrets::load_or_create(settings.secret_file);
  if (!secrets.ok()) return secrets.status();
  core.secrets = std::make_unique<ServerSecrets>(std::move(*secrets));
  auto storage = open_storage(settings.db);
  if (!storage.ok()) return storage.status();
  core.storage = std::move(*storage);
  return core;
}

int run_serve(const Settings& settings) {
  auto core = open_core(settings);
  if (!core.ok()) {
    std::cerr << "exposure-server: " << core.status().message() << "\n";
    return 1;
  }
  if (!settings.fake_clock_file.empty()) {
    log_warning("--fake-clock-file is set: the time comes from " + settings.fake_clock_file + " (testing only)");
  }
  Storage& storage = *core->storage;
  const Clock& clock = *core->clock;
  const ServerSecrets& secrets = *core->secrets;
  const int64_t now = clock.now_unix_seconds();

  auto token_signer = load_or_create_jwt_signer(storage, secrets, "token", random_uuid(), now);
  if (!token_signer.ok()) {
    std::cerr << "exposure-server: token key: " << token_signer.status().message() << "\n";
    return 1;
  }
  auto cert_signer =
      load_or_create_jwt_signer(storage, secrets, "certificate", settings.verification.certificate_key_id, now);
  if (!cert_signer.ok()) {
    std::cerr << "exposure-server: certificate key: " << cert_signer.status().message() << "\n";
    return 1;
  }
  std::vector<CertificateVerifier::TrustedKey> trusted;
  trusted.push_back({settings.verification.certificate_issuer, settings.verification.certificate_audience,
                     cert_signer->kid, cert_signer->key.public_key()});

  Metrics metrics;
  VerificationService verification(storage, clock, secrets, std::move(*token_signer), std::move(*cert_signer),
                                   settings.verification);
  PublishService publish(storage, clock, secrets, CertificateVerifier(std::move(trusted)), settings.publish, metrics);
  CocoaService cocoa(storage, clock, secrets, verification, settings.publish, metrics);
  ExportFileServer files(settings.exports.root);

  ApiServer server(settings.http, metrics);
  server.set_admission(make_rate_limit_admission(settings.rate_limits, rate_limit_clock(settings, clock)));
  add_verification_routes(server, verification);
  add_publish_routes(server, publish, cocoa);
  add_operational_routes(server, storage, clock, metrics, files);
  std::unique_ptr<FederationFeed> feed;
  if (settings.federation.serve_feed) {
    feed = std::make_unique<FederationFeed>(storage, secrets, settings.exports.root);
    server.add_get(
        FederationFeed::route_pattern(), "/federation/",
        [&feed](const httplib::Request& req, httplib::Response& res) { feed->handle(req, res); });
  }
  auto port = server.bind(settings.listen_host, settings.listen_port);
  if (!port.ok()) {
    std::cerr << "exposure-server: " << port.status().message() << "\n";
    return 1;
  }

  // The worker gets its own connection so long export reads do not queue behind requests.
  std::unique_ptr<Storage> export_storage;
  std::unique_ptr<ExportWorker> worker;
  if (settings.export_worker) {
    auto opened = open_storage(settings.db);
    if (!opened.ok()) {
      std::cerr << "exposure-server: " << opened.status().message() << "\n";
      return 1;
    }
    export_storage = std::move(*opened);
    worker = std::make_unique<ExportWorker>(*export_storage, clock, secrets, settings.exports, metrics);
  }
  // The importer too, when partners may be configured.
  std::unique_ptr<Storage> federation_storage;
  std::unique_ptr<FederationImporter> importer;
  if (settings.federation.worker) {
    auto opened = open_storage(settings.db);
    if (!opened.ok()) {
      std::cerr << "exposure-server: " << opened.status().message() << "\n";
      return 1;
    }
    federation_storage = std::move(*opened);
    importer = std::make_unique<FederationImporter>(*federation_storage, clock, settings.federation,
                                                    settings.publish, metrics);
  }
  std::atomic<bool> done{false};
  std::thread signals = start_signal_thread([&server] { server.stop(); }, done);
  if (worker) worker->start(settings.export_interval_ms);
  if (importer) importer->start();

  std::printf("listening on http://%s:%d\n", settings.listen_host.c_str(), *port);
  std::fflush(stdout);
  log_info("serving on " + settings.listen_host + ":" + std::to_string(*port));
  bool ok = server.run();
  if (importer) importer->stop();
  if (worker) worker->stop();
  done = true;
  signals.join();
  return ok ? 0 : 1;
}

int run_export_once(const Settings& settings) {
  auto core = open_core(settings);
  if (!core.ok()) {
    std::cerr << "exposure-server: " << core.status().message() << "\n";
    return 1;
  }
  Metrics metrics;
  ExportWorker worker(*core->storage, *core->clock, *core->secrets, settings.exports, metrics);
  auto summary = worker.run_once();
  if (!summary.ok()) {
    std::cerr << "exposure-server: " << summary.status().message() << "\n";
    return 1;
  }
  if (summary->lease_held_elsewhere) {
    std::printf("export: another instance holds the export lease; nothing done\n");
    return 0;
  }
  std::printf("exported %d windows: %d files, %lld keys; deleted %d files, %lld keys\n", summary->batches,
              summary->files_written, static_cast<long long>(summary->keys_exported), summary->files_deleted,
              static_cast<long long>(summary->exposures_deleted));
  return 0;
}

}  // namespace exposure::server
