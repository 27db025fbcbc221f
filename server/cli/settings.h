// Every setting of exposure-server, with its flag, environment variable and default.
// Settings come from (highest first) the command line, the environment (EXPOSURE_<NAME>),
// a config file (--config, TOML or INI: "name = value"), then the defaults below.
// docs/server.md lists them all.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "export/export_worker.h"
#include "federation/federation_importer.h"
#include "http/api_server.h"
#include "http/rate_limiter.h"
#include "publish/key_transform.h"
#include "verification/verification_service.h"

namespace exposure::server {

// Settings after parsing and range checks, grouped per component. Each default lives on its
// component's options (ApiServer::Options, RateLimitOptions, VerificationSettings,
// PublishSettings, ExportSettings) or, for the process itself, here.
struct Settings {
  std::string db = "sqlite:exposure-server.db";
  std::string secret_file = "exposure-server.secret";
  std::string fake_clock_file;  // testing only: read "now" from this file
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  ApiServer::Options http;
  RateLimitOptions rate_limits;
  VerificationSettings verification;
  PublishSettings publish;
  ExportSettings exports;
  int64_t export_interval_ms = 60000;  // pause between passes of the in-process export worker
  bool export_worker = true;
  FederationSettings federation;
  friend bool operator==(const Settings&, const Settings&) = default;
};

// Raw values as given (durations still text). The defaults are those of Settings, spelled
// as the flags take them, so --help shows them and resolve_settings() of an empty command
// line gives a default Settings back.
struct SettingsInput {
  SettingsInput() : SettingsInput(Settings{}) {}

  std::string db;
  std::string secret_file;
  std::string fake_clock_file;

  std::string listen;
  int threads;
  int64_t body_limit;
  int64_t response_padding_min;
  int64_t response_padding_range;
  bool access_log;
  std::string read_timeout;
  double verify_rate_limit;  // requests per second per client; 0 = off
  int64_t verify_rate_burst;
  double upload_rate_limit;
  int64_t upload_rate_burst;
  std::string rate_limit_client_header;
  int64_t rate_limit_max_clients;

  std::string code_ttl;
  std::string token_ttl;
  std::string certificate_ttl;
  std::string token_issuer;
  std::string certificate_issuer;
  std::string certificate_audience;
  std::string certificate_key_id;
  int64_t code_failures_per_minute;
  bool allow_user_report_codes;
  bool maintenance_mode;

  std::string default_region;
  int max_keys_on_publish;
  std::string max_key_age;
  int max_symptom_onset_days;
  std::string revision_token_aad;
  bool release_same_day_keys;

  std::string export_root;
  std::string public_url;  // default: http://<listen>/exports
  std::string export_period;
  std::string export_min_window_age;
  int64_t export_min_records;
  int64_t export_padding_range;
  int64_t export_max_records;
  std::string retention;
  std::string export_interval;
  std::string export_lease;
  bool no_export_worker;

  std::string federation_timeout;
  std::string federation_interval;
  std::string federation_lease;
  bool federation_feed;
  bool no_federation_worker;

 private:
  explicit SettingsInput(Settings defaults);
};

// Registers every setting on `app` (options, environment variables, --config).
void add_settings_options(CLI::App& app, SettingsInput& input);

// Checks ranges and parses durations. kInvalidArgument names the setting.
Result<Settings> resolve_settings(const SettingsInput& input);

}  // namespace exposure::server
