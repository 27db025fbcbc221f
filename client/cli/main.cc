// exposure-client: the `exposure upload` and `exposure check` commands (the `exposure` CLI
// execs this binary for them, because cpp-httplib links OpenSSL 3). Both drive the app module's
// exchanges (exposure/app.h) over HTTP against a key server, with a device store as the phone
// would: docs/app-sdk.md.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "client/app_client.h"
#include "exposure/app.h"
#include "exposure/key_schedule.h"
#include "exposure/report_json.h"
#include "exposure/store.h"
#include "match_support.h"

namespace exposure::cli {
namespace {

struct StoreOptionValues {
  std::string url;
  std::string store;
  std::string key_file;
  std::optional<int64_t> now;
};

void add_store_options(CLI::App* sub, StoreOptionValues& o) {
  sub->add_option("--url", o.url, "Base URL of the key server, e.g. http://127.0.0.1:8080")->required();
  sub->add_option("--store", o.store, "Device store directory")->required();
  sub->add_option("--key-file", o.key_file, "The store's key file")->required()->check(CLI::ExistingFile);
  sub->add_option("--now", o.now, "Unix seconds taken as now (default: the clock)");
}

// Opens the existing store; prints the error and returns null.
std::unique_ptr<Store> open_store(const StoreOptionValues& o, const Clock& clock) {
  auto key = read_storage_key_file(o.key_file);
  if (!key.ok()) throw CLI::ValidationError("--key-file", key.status().message());
  StoreOptions options;
  options.clock = &clock;
  options.create_if_missing = false;
  auto store = Store::open(o.store, *key, options);
  if (!store.ok()) {
    print_error(o.store + ": " + store.status().message());
    return nullptr;
  }
  return std::move(*store);
}

std::unique_ptr<httplib::Client> http_client(const std::string& url) {
  auto client = std::make_unique<httplib::Client>(url);
  client->set_connection_timeout(10);
  client->set_read_timeout(60);
  return client;
}

// Prints the one-line error that ended the exchange; the exit code for it.
int report_failure(const std::string& command, const app::Exchange& exchange) {
  print_error(command + ": " + exchange.status().message());
  return kExitFailure;
}

// ---- upload ----

struct UploadValues : StoreOptionValues {
  std::string code;
  std::string flow = "google";
  std::vector<std::string> regions;
  std::string app_id = "com.example.app";
  bool release_today = false;
  int transmission_risk = 0;
};

int run_upload(const UploadValues& o) {
  ManualClock clock(o.now ? *o.now : SystemClock().now_unix_seconds());
  auto store = open_store(o, clock);
  if (!store) return kExitFailure;
  std::vector<TemporaryExposureKey> history;
  Status loaded = store->load_own_keys(&history);
  if (!loaded.ok()) {
    print_error(o.store + ": " + loaded.message());
    return kExitFailure;
  }
  KeySchedule schedule(clock, std::move(history));
  if (o.release_today) {
    schedule.current_key();
    Status released = schedule.release_current_key();
    if (!released.ok()) {
      print_error("upload: " + released.message());
      return kExitFailure;
    }
    Status saved = store->save_own_keys(schedule.history());
    if (!saved.ok()) {
      print_error(o.store + ": " + saved.message());
      return kExitFailure;
    }
  }
  std::vector<TemporaryExposureKey> keys = schedule.keys_for_upload();
  if (keys.empty()) {
    print_error("upload: the store holds no key to upload (use --release-today to include today's key)");
    return kExitFailure;
  }
  app::UploadOptions options;
  options.flow = o.flow == "cocoa" ? app::UploadFlow::kCocoa : app::UploadFlow::kGoogle;
  options.code = o.code;
  options.app_id = o.app_id;
  options.regions = o.regions;
  options.transmission_risk = o.transmission_risk;
  options.now = clock.now_unix_seconds();
  auto upload = app::Upload::start(*store, keys, options);
  if (!upload.ok()) {
    print_error(upload.status().message());
    return kExitUsage;
  }
  auto client = http_client(o.url);
  if (!app_client::run(*client, **upload).ok()) return report_failure("upload", **upload);
  std::cout << report::upload_json((*upload)->outcome(), options.flow).dump(2) << "\n";
  return kExitOk;
}

Command add_upload(CLI::App& app) {
  auto o = std::make_shared<UploadValues>();
  CLI::App* sub = app.add_subcommand("upload", "Upload the store's own keys after a positive test");
  add_store_options(sub, *o);
  sub->add_option("--code", o->code, "Verification code (Google) or processing number (COCOA)")->required();
  sub->add_option("--flow", o->flow, "google or cocoa")->check(CLI::IsMember({"google", "cocoa"}))->capture_default_str();
  sub->add_option("--region", o->regions, "COCOA: a region the keys are for (repeatable)");
  sub->add_option("--app-id", o->app_id, "healthAuthorityID / appPackageName")->capture_default_str();
  sub->add_flag("--release-today", o->release_today, "End today's key now and upload it too (same-day release)");
  sub->add_option("--transmission-risk", o->transmission_risk, "Transmission risk level sent with every key (0: the server decides)")
      ->check(CLI::Range(0, 8));
  return {sub, [o] { return run_upload(*o); }};
}

// ---- check ----

struct CheckValues : StoreOptionValues {
  std::string region;
  std::vector<std::string> public_keys;
  std::string config;
  std::string platform = "android";
  std::string export_path = "/exports";
  bool list_json = false;
  unsigned threads = 1;
};

int run_check(const CheckValues& o) {
  app::CheckOptions options;
  options.region = o.region;
  options.export_path = o.export_path;
  options.index_format = o.list_json ? app::IndexFormat::kListJson : app::IndexFormat::kIndexTxt;
  options.cosign_sets = parse_public_key_options(o.public_keys, false);
  auto config = load_risk_config_file(o.config);
  if (!config.ok()) throw CLI::ValidationError("--config", config.status().message());
  options.config = std::move(*config);
  options.profile = find_platform_profile(o.platform);
  options.threads = o.threads;
  ManualClock clock(o.now ? *o.now : SystemClock().now_unix_seconds());
  options.now = clock.now_unix_seconds();
  auto store = open_store(o, clock);
  if (!store) return kExitFailure;
  auto check = app::ExposureCheck::start(*store, std::move(options));
  if (!check.ok()) {
    print_error(check.status().message());
    return kExitUsage;
  }
  auto client = http_client(o.url);
  ProgressLine progress("check", "files downloaded");
  Status status = app_client::run(*client, **check, [&](uint64_t requests) { progress.update(requests); });
  progress.finish();
  if (!status.ok()) return report_failure("check", **check);
  std::cout << report::check_json((*check)->outcome()).dump(2) << "\n";
  return kExitOk;
}

Command add_check(CLI::App& app) {
  auto o = std::make_shared<CheckValues>();
  CLI::App* sub = app.add_subcommand("check", "Run the exposure check: download what is new, match, score, decide");
  add_store_options(sub, *o);
  sub->add_option("--region", o->region, "Region of the export tree, e.g. JP")->required();
  sub->add_option("--public-key", o->public_keys, "Export signer's key ID-VERSION=PEM (file or text), repeatable")
      ->required();
  sub->add_option("--config", o->config, "Risk configuration JSON (docs/risk.md)")->required()->check(CLI::ExistingFile);
  sub->add_option("--platform", o->platform, "Score as android or ios")
      ->check(CLI::IsMember({"android", "ios"}))
      ->capture_default_str();
  sub->add_option("--export-path", o->export_path, "Path of the export tree on the server")->capture_default_str();
  sub->add_flag("--list-json", o->list_json, "Read <region>/list.json instead of index.txt");
  sub->add_option("--threads", o->threads, "Matching threads (1..256)")->check(CLI::Range(1u, 256u))->capture_default_str();
  return {sub, [o] { return run_check(*o); }};
}

}  // namespace
}  // namespace exposure::cli

int main(int argc, char** argv) {
  CLI::App app{"exposure-client: the app's upload and exposure check over HTTP (run as `exposure upload|check`)"};
  app.require_subcommand(1);
  exposure::cli::CommandList commands;
  commands.push_back(exposure::cli::add_upload(app));
  commands.push_back(exposure::cli::add_check(app));
  return exposure::cli::run_cli(app, commands, argc, argv);
}
