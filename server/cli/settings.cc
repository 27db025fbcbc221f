#include "cli/settings.h"

#include <cctype>
#include <cstdlib>

#include "common/text.h"
#include "export/batch_windows.h"

namespace exposure::server {
namespace {

// "--max-key-age" -> "EXPOSURE_MAX_KEY_AGE".
std::string env_name(const std::string& flag) {
  std::string out = "EXPOSURE_";
  for (char c : flag.substr(2)) out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

template <typename T>
void option(CLI::App& app, const std::string& flag, T& value, const std::string& help) {
  app.add_option(flag, value, help)->envname(env_name(flag))->capture_default_str();
}

void flag(CLI::App& app, const std::string& name, bool& value, const std::string& help) {
  app.add_flag(name, value, help)->envname(env_name(name));
}

Result<int64_t> seconds(const std::string& text, const char* what, int64_t min_seconds, int64_t max_seconds) {
  auto ms = parse_duration_ms(text, what);
  if (!ms.ok()) return ms.status();
  if (*ms % 1000 != 0) return invalid_argument(std::string(what) + ": use whole seconds");
  int64_t s = *ms / 1000;
  if (s < min_seconds || s > max_seconds) {
    return invalid_argument(std::string(what) + ": " + text + " out of range " + format_duration_ms(min_seconds * 1000) +
                            ".." + format_duration_ms(max_seconds * 1000));
  }
  return s;
}

Status in_range(int64_t v, int64_t lo, int64_t hi, const char* what) {
  if (v < lo || v > hi) {
    return invalid_argument(std::string(what) + ": " + std::to_string(v) + " out of range " + std::to_string(lo) + ".." +
                            std::to_string(hi));
  }
  return Status::Ok();
}

// A rate (requests per second, 0 = off) and its burst.
Status rate_limit(double per_second, int64_t burst, const char* rate_flag, const char* burst_flag) {
  if (!(per_second >= 0 && per_second <= 1e6)) {
    return invalid_argument(std::string(rate_flag) + ": " + std::to_string(per_second) + " out of range 0..1000000");
  }
  return in_range(burst, 1, 1000000, burst_flag);
}

}  // namespace

SettingsInput::SettingsInput(Settings d)
    : db(d.db),
      secret_file(d.secret_file),
      fake_clock_file(d.fake_clock_file),
      listen(d.listen_host + ":" + std::to_string(d.listen_port)),
      threads(d.http.threads),
      body_limit(static_cast<int64_t>(d.http.body_limit)),
      response_padding_min(static_cast<int64_t>(d.http.padding_min_bytes)),
      response_padding_range(static_cast<int64_t>(d.http.padding_range_bytes)),
      access_log(d.http.access_log),
      read_timeout(format_duration_ms(d.http.read_timeout_ms)),
      verify_rate_limit(d.rate_limits.limit_of("verification").per_second),
      verify_rate_burst(d.rate_limits.limit_of("verification").burst),
      upload_rate_limit(d.rate_limits.limit_of("upload").per_second),
      upload_rate_burst(d.rate_limits.limit_of("upload").burst),
      rate_limit_client_header(d.rate_limits.client_header),
      rate_limit_max_clients(static_cast<int64_t>(d.rate_limits.max_clients)),
      code_ttl(format_duration_ms(d.verification.code_ttl_seconds * 1000)),
      token_ttl(format_duration_ms(d.verification.token_ttl_seconds * 1000)),
      certificate_ttl(format_duration_ms(d.verification.certificate_ttl_seconds * 1000)),
      token_issuer(d.verification.token_issuer),
      certificate_issuer(d.verification.certificate_issuer),
      certificate_audience(d.verification.certificate_audience),
      certificate_key_id(d.verification.certificate_key_id),
      code_failures_per_minute(d.verification.code_failures_per_minute),
      allow_user_report_codes(d.verification.allow_user_report_codes),
      maintenance_mode(d.verification.maintenance_mode),
      default_region(d.publish.default_region),
      max_keys_on_publish(d.publish.max_keys_on_publish),
      max_key_age(format_duration_ms(d.publish.max_interval_age_seconds * 1000)),
      max_symptom_onset_days(d.publish.max_symptom_onset_days),
      revision_token_aad(d.publish.revision_token_aad),
      release_same_day_keys(d.publish.release_same_day_keys),
      export_root(d.exports.root),
      public_url(d.exports.public_base_url),
      export_period(format_duration_ms(d.exports.period_seconds * 1000)),
      export_min_window_age(format_duration_ms(d.exports.min_window_age_seconds * 1000)),
      export_min_records(static_cast<int64_t>(d.exports.min_records)),
      export_padding_range(static_cast<int64_t>(d.exports.padding_range)),
      export_max_records(static_cast<int64_t>(d.exports.max_records)),
      retention(format_duration_ms(d.exports.retention_seconds * 1000)),
      export_interval(format_duration_ms(d.export_interval_ms)),
      export_lease(format_duration_ms(d.exports.lease_seconds * 1000)),
      no_export_worker(!d.export_worker),
      federation_timeout(format_duration_ms(d.federation.timeout_ms)),
      federation_interval(format_duration_ms(d.federation.interval_ms)),
      federation_lease(format_duration_ms(d.federation.lease_seconds * 1000)),
      federation_feed(d.federation.serve_feed),
      no_federation_worker(!d.federation.worker) {}

void add_settings_options(CLI::App& app, SettingsInput& in) {
  // CLI11 reads the config file before it looks at environment variables, so an envname on
  // --config would never be used: EXPOSURE_CONFIG becomes the option's default instead (and
  // then the file must exist). --config on the command line still wins.
  const char* from_environment = std::getenv("EXPOSURE_CONFIG");
  const bool env_config = from_environment != nullptr && *from_environment != '\0';
  app.set_config("--config", env_config ? from_environment : "",
                 "Read settings from this file (TOML/INI, name = value); default $EXPOSURE_CONFIG", env_config);
  option(app, "--db", in.db, "Storage: sqlite:PATH or a postgres:// URI");
  option(app, "--secret-file", in.secret_file, "Server secret (created with mode 0600 when missing)");
  option(app, "--fake-clock-file", in.fake_clock_file, "TESTING ONLY: read the current time (Unix s) from this file");

  option(app, "--listen", in.listen, "HOST:PORT to listen on (port 0: any free port)");
  option(app, "--threads", in.threads, "HTTP worker threads (one per open connection)");
  option(app, "--body-limit", in.body_limit, "Largest request body in bytes");
  option(app, "--response-padding-min", in.response_padding_min, "Random padding bytes in every JSON reply, minimum");
  option(app, "--response-padding-range", in.response_padding_range, "Extra random padding bytes, 0..range");
  flag(app, "--access-log", in.access_log, "Log method, route, status and latency of each request");
  option(app, "--read-timeout", in.read_timeout,
         "A request's headers and body must arrive within this time (else 408 or the connection closes)");
  option(app, "--verify-rate-limit", in.verify_rate_limit,
         "Requests per second per client to /api/verify and /api/certificate (0: no limit)");
  option(app, "--verify-rate-burst", in.verify_rate_burst, "Requests a client may make at once within that limit");
  option(app, "--upload-rate-limit", in.upload_rate_limit,
         "Requests per second per client to /v1/publish and the COCOA uploads (0: no limit)");
  option(app, "--upload-rate-burst", in.upload_rate_burst, "Requests a client may make at once within that limit");
  option(app, "--rate-limit-client-header", in.rate_limit_client_header,
         "Header naming the client, set by a trusted proxy (default: the peer address)");
  option(app, "--rate-limit-max-clients", in.rate_limit_max_clients,
         "Clients tracked per limit in memory; the least recently seen are forgotten first");

  option(app, "--code-ttl", in.code_ttl, "Validity of verification codes (at most 24h)");
  option(app, "--token-ttl", in.token_ttl, "Validity of verification tokens");
  option(app, "--certificate-ttl", in.certificate_ttl, "Validity of verification certificates");
  option(app, "--token-issuer", in.token_issuer, "iss/aud of verification tokens");
  option(app, "--certificate-issuer", in.certificate_issuer, "iss of verification certificates");
  option(app, "--certificate-audience", in.certificate_audience, "aud of verification certificates");
  option(app, "--certificate-key-id", in.certificate_key_id, "kid of the certificate key when it is first created");
  option(app, "--code-failures-per-minute", in.code_failures_per_minute,
         "Failed code lookups per minute before /api/verify answers quota_exceeded");
  flag(app, "--allow-user-report-codes", in.allow_user_report_codes, "Let /api/issue issue user-report codes");
  flag(app, "--maintenance-mode", in.maintenance_mode, "/api/verify answers maintenance_mode");

  option(app, "--default-region", in.default_region, "Region of apps configured without regions");
  option(app, "--max-keys-on-publish", in.max_keys_on_publish, "Most keys in one upload");
  option(app, "--max-key-age", in.max_key_age, "Oldest key accepted (end of validity)");
  option(app, "--max-symptom-onset-days", in.max_symptom_onset_days, "Largest |days since onset| kept");
  option(app, "--revision-token-aad", in.revision_token_aad, "Additional data bound into revision tokens");
  flag(app, "--release-same-day-keys", in.release_same_day_keys, "DEBUG: no embargo of still-valid keys");

  option(app, "--export-root", in.export_root, "Directory of the export tree");
  option(app, "--public-url", in.public_url, "Public URL of the export tree for list.json (default http://LISTEN/exports)");
  option(app, "--export-period", in.export_period, "Export window length (divides 24h)");
  option(app, "--export-min-window-age", in.export_min_window_age, "Export a window only this long after its end");
  option(app, "--export-min-records", in.export_min_records, "Pad batches with fake keys up to this many keys");
  option(app, "--export-padding-range", in.export_padding_range, "Random extra padding keys, 0..range");
  option(app, "--export-max-records", in.export_max_records, "Most keys per file; more start a new file");
  option(app, "--retention", in.retention, "Keys and files older than this are deleted (at least 10d)");
  option(app, "--export-interval", in.export_interval, "Pause between passes of the in-process export worker");
  option(app, "--export-lease", in.export_lease,
         "How long the export lease outlives an instance that stopped renewing it (killed)");
  flag(app, "--no-export-worker", in.no_export_worker, "Serve without the in-process export worker");

  option(app, "--federation-timeout", in.federation_timeout,
         "Longest wait for one request to a federation partner (connect to last byte)");
  option(app, "--federation-interval", in.federation_interval,
         "Pause between passes of the in-process importer");
  option(app, "--federation-lease", in.federation_lease,
         "How long the federation lease outlives an instance that stopped renewing it (killed)");
  flag(app, "--federation-feed", in.federation_feed,
       "Serve /federation/ to partners (keys uploaded here only)");
  flag(app, "--no-federation-worker", in.no_federation_worker,
       "Serve without the in-process federation importer");
}

Result<Settings> resolve_settings(const SettingsInput& in) {
  Settings s;
  s.db = in.db;
  s.secret_file = in.secret_file;
  s.fake_clock_file = in.fake_clock_file;
  size_t colon = in.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return invalid_argument("--listen: expected HOST:PORT, got " + printable(in.listen));
  s.listen_host = in.listen.substr(0, colon);
  try {
    size_t used = 0;
    s.listen_port = std::stoi(in.listen.substr(colon + 1), &used);
    if (used != in.listen.size() - colon - 1) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    return invalid_argument("--listen: bad port in " + printable(in.listen));
  }
  EXPOSURE_RETURN_IF_ERROR(in_range(s.listen_port, 0, 65535, "--listen port"));
  EXPOSURE_RETURN_IF_ERROR(in_range(in.threads, 1, 1024, "--threads"));
  EXPOSURE_RETURN_IF_ERROR(in_range(in.body_limit, 1024, 16 << 20, "--body-limit"));
  EXPOSURE_RETURN_IF_ERROR(in_range(in.response_padding_min, 0, 1 << 20, "--response-padding-min"));
  EXPOSURE_RETURN_IF_ERROR(in_range(in.response_padding_range, 0, 1 << 20, "--response-padding-range"));
  s.http.threads = in.threads;
  s.http.body_limit = static_cast<size_t>(in.body_limit);
  s.http.padding_min_bytes = static_cast<size_t>(in.response_padding_min);
  s.http.padding_range_bytes = static_cast<size_t>(in.response_padding_range);
  s.http.access_log = in.access_log;
  auto read_timeout = parse_duration_ms(in.read_timeout, "--read-timeout");
  if (!read_timeout.ok()) return read_timeout.status();
  EXPOSURE_RETURN_IF_ERROR(in_range(*read_timeout, 100, 600000, "--read-timeout (ms)"));
  s.http.read_timeout_ms = *read_timeout;
  EXPOSURE_RETURN_IF_ERROR(
      rate_limit(in.verify_rate_limit, in.verify_rate_burst, "--verify-rate-limit", "--verify-rate-burst"));
  EXPOSURE_RETURN_IF_ERROR(
      rate_limit(in.upload_rate_limit, in.upload_rate_burst, "--upload-rate-limit", "--upload-rate-burst"));
  EXPOSURE_RETURN_IF_ERROR(in_range(in.rate_limit_max_clients, 1, 100000000, "--rate-limit-max-clients"));
  s.rate_limits.limit_of("verification") = {in.verify_rate_limit, in.verify_rate_burst};
  s.rate_limits.limit_of("upload") = {in.upload_rate_limit, in.upload_rate_burst};
  s.rate_limits.client_header = in.rate_limit_client_header;
  s.rate_limits.max_clients = static_cast<size_t>(in.rate_limit_max_clients);

  auto& v = s.verification;
  auto code_ttl = seconds(in.code_ttl, "--code-ttl", 60, 86400);
  if (!code_ttl.ok()) return code_ttl.status();
  auto token_ttl = seconds(in.token_ttl, "--token-ttl", 60, 30 * 86400);
  if (!token_ttl.ok()) return token_ttl.status();
  auto cert_ttl = seconds(in.certificate_ttl, "--certificate-ttl", 60, 86400);
  if (!cert_ttl.ok()) return cert_ttl.status();
  v.code_ttl_seconds = *code_ttl;
  v.token_ttl_seconds = *token_ttl;
  v.certificate_ttl_seconds = *cert_ttl;
  v.token_issuer = in.token_issuer;
  v.certificate_issuer = in.certificate_issuer;
  v.certificate_audience = in.certificate_audience;
  v.certificate_key_id = in.certificate_key_id;
  EXPOSURE_RETURN_IF_ERROR(in_range(in.code_failures_per_minute, 1, 1000000, "--code-failures-per-minute"));
  v.code_failures_per_minute = in.code_failures_per_minute;
  v.allow_user_report_codes = in.allow_user_report_codes;
  v.maintenance_mode = in.maintenance_mode;

  auto& p = s.publish;
  p.default_region = in.default_region;
  EXPOSURE_RETURN_IF_ERROR(in_range(in.max_keys_on_publish, 1, 1000, "--max-keys-on-publish"));
  p.max_keys_on_publish = in.max_keys_on_publish;
  auto max_age = seconds(in.max_key_age, "--max-key-age", 3600, 30 * 86400);
  if (!max_age.ok()) return max_age.status();
  p.max_interval_age_seconds = *max_age;
  EXPOSURE_RETURN_IF_ERROR(in_range(in.max_symptom_onset_days, 0, 14, "--max-symptom-onset-days"));
  p.max_symptom_onset_days = in.max_symptom_onset_days;
  p.revision_token_aad = in.revision_token_aad;
  p.release_same_day_keys = in.release_same_day_keys;

  auto& e = s.exports;
  e.root = in.export_root;
  e.public_base_url = in.public_url.empty() ? "http://" + in.listen + "/exports" : in.public_url;
  while (!e.public_base_url.empty() && e.public_base_url.back() == '/') e.public_base_url.pop_back();
  auto period = seconds(in.export_period, "--export-period", 1, 86400);
  if (!period.ok()) return period.status();
  EXPOSURE_RETURN_IF_ERROR(check_export_period(*period));
  e.period_seconds = *period;
  auto min_age = seconds(in.export_min_window_age, "--export-min-window-age", 0, 7 * 86400);
  if (!min_age.ok()) return min_age.status();
  e.min_window_age_seconds = *min_age;
  EXPOSURE_RETURN_IF_ERROR(in_range(in.export_min_records, 0, 1000000, "--export-min-records"));
  EXPOSURE_RETURN_IF_ERROR(in_range(in.export_padding_range, 0, 1000000, "--export-padding-range"));
  EXPOSURE_RETURN_IF_ERROR(in_range(in.export_max_records, 1, 1000000, "--export-max-records"));
  e.min_records = static_cast<size_t>(in.export_min_records);
  e.padding_range = static_cast<size_t>(in.export_padding_range);
  e.max_records = static_cast<size_t>(in.export_max_records);
  auto retention = seconds(in.retention, "--retention", 10 * 86400, 365 * 86400);
  if (!retention.ok()) return retention.status();
  e.retention_seconds = *retention;
  e.default_region = in.default_region;
  auto interval = parse_duration_ms(in.export_interval, "--export-interval");
  if (!interval.ok()) return interval.status();
  if (*interval < 10) return invalid_argument("--export-interval: at least 10ms");
  s.export_interval_ms = *interval;
  auto lease = seconds(in.export_lease, "--export-lease", 1, 86400);
  if (!lease.ok()) return lease.status();
  e.lease_seconds = *lease;
  s.export_worker = !in.no_export_worker;

  auto& f = s.federation;
  auto federation_timeout = parse_duration_ms(in.federation_timeout, "--federation-timeout");
  if (!federation_timeout.ok()) return federation_timeout.status();
  EXPOSURE_RETURN_IF_ERROR(in_range(*federation_timeout, 100, 600000, "--federation-timeout (ms)"));
  f.timeout_ms = *federation_timeout;
  auto federation_interval = parse_duration_ms(in.federation_interval, "--federation-interval");
  if (!federation_interval.ok()) return federation_interval.status();
  if (*federation_interval < 10) return invalid_argument("--federation-interval: at least 10ms");
  f.interval_ms = *federation_interval;
  auto federation_lease = seconds(in.federation_lease, "--federation-lease", 1, 86400);
  if (!federation_lease.ok()) return federation_lease.status();
  f.lease_seconds = *federation_lease;
  f.retention_seconds = e.retention_seconds;
  f.serve_feed = in.federation_feed;
  f.worker = !in.no_federation_worker;
  return s;
}

}  // namespace exposure::server
