// Every setting of exposure-server, with its flag, environment variable and default.
// Settings come from (highest first) the command line, the environment (EXPOSURE_<NAME>),
// a config file (--config, TOML or INI: "name = value"), then the defaults below.
// docs/server.md lists them all.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "export/export_worker.h"
#include "http/api_server.h"
#include "http/rate_limiter.h"
#include "publish/key_transform.h"
#include "verification/verification_service.h"

namespace exposure::server {

// Raw values as given (durations still text).
struct SettingsInput {
  std::string db = "sqlite:exposure-server.db";
  std::string secret_file = "exposure-server.secret";
  std::string fake_clock_file;  // testing only: read "now" from this file

  std::string listen = "127.0.0.1:8080";
  int threads = 32;
  int64_t body_limit = 64000;
  int64_t response_padding_min = 1024;
  int64_t response_padding_range = 1024;
  bool access_log = false;
  std::string read_timeout = "20s";
  double verify_rate_limit = 0;  // requests per second per client; 0 = off
  int64_t verify_rate_burst = 20;
  double upload_rate_limit = 0;
  int64_t upload_rate_burst = 10;
  std::string rate_limit_client_header;
  int64_t rate_limit_max_clients = 100000;

  std::string code_ttl = "15m";
  std::string token_ttl = "24h";
  std::string certificate_ttl = "15m";
  std::string token_issuer = "diagnosis-verification-example";
  std::string certificate_issuer = "diagnosis-verification-example";
  std::string certificate_audience = "exposure-notifications-server";
  std::string certificate_key_id = "v1";
  int64_t code_failures_per_minute = 60;
  bool allow_user_report_codes = false;
  bool maintenance_mode = false;

  std::string default_region;
  int max_keys_on_publish = 30;
  std::string max_key_age = "360h";
  int max_symptom_onset_days = 14;
  std::string revision_token_aad = "exposure-revision-token";
  bool release_same_day_keys = false;

  std::string export_root = "exports";
  std::string public_url;  // default: http://<listen>/exports
  std::string export_period = "1h";
  std::string export_min_window_age = "2h";
  int64_t export_min_records = 1000;
  int64_t export_padding_range = 100;
  int64_t export_max_records = 500000;
  std::string retention = "14d";
  std::string export_interval = "1m";
  std::string export_lease = "5m";
  bool no_export_worker = false;
};

// Settings after parsing and range checks, grouped per component.
struct Settings {
  std::string db;
  std::string secret_file;
  std::string fake_clock_file;
  std::string listen_host;
  int listen_port = 8080;
  ApiServer::Options http;
  RateLimitOptions rate_limits;
  VerificationSettings verification;
  PublishSettings publish;
  ExportSettings exports;
  int64_t export_interval_ms = 60000;
  bool export_worker = true;
};

// Registers every setting on `app` (options, environment variables, --config).
void add_settings_options(CLI::App& app, SettingsInput& input);

// Checks ranges and parses durations. kInvalidArgument names the setting.
Result<Settings> resolve_settings(const SettingsInput& input);

}  // namespace exposure::server
