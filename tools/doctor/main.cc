// exposure-doctor: `exposure doctor`, built on the OpenSSL flavour of libexposure because
// its HTTP client (Debian's cpp-httplib) links OpenSSL 3; the `exposure` CLI (BoringSSL)
// runs this binary for its `doctor` subcommand. Options, checks and exit codes:
// docs/doctor.md.
#include <ctime>
#include <iostream>

#include "cli_support.h"
#include "common/text.h"
#include "doctor.h"
#include "export/batch_windows.h"
#include "report.h"

namespace exposure::doctor {
namespace {

struct Arguments {
  std::string url;
  std::vector<std::string> regions;
  std::vector<std::string> public_keys;
  std::string export_period = "1h";
  std::string max_age;
  std::string max_key_age = "15d";
  std::string list_url_base;
  int64_t now = -1;
  int timeout = 10;
  bool json = false;
};

int64_t duration_seconds(const std::string& text, const char* option) {
  auto ms = server::parse_duration_ms(text, option);
  if (!ms.ok()) throw CLI::ValidationError(ms.status().message());
  if (*ms % 1000 != 0 || *ms <= 0)
    throw CLI::ValidationError(option, "use a positive number of whole seconds, got " + text);
  return *ms / 1000;
}

bool valid_region(const std::string& region) {
  if (region.empty() || region.size() > 32) return false;
  for (char c : region) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

DoctorOptions to_options(const Arguments& args) {
  DoctorOptions options;
  auto base = parse_base_url(args.url);
  if (!base.ok()) throw CLI::ValidationError("--url", base.status().message());
  options.base = *base;
  for (const std::string& region : args.regions) {
    if (!valid_region(region))
      throw CLI::ValidationError("--region",
                                 "expected 1-32 of [A-Za-z0-9_-], got '" + region + "'");
  }
  options.regions = args.regions;
  for (const std::string& spec : args.public_keys) {  // each key is its own cosign set
    options.cosign_sets.emplace_back();
    options.cosign_sets.back().push_back(cli::parse_public_key_spec(spec));
  }
  options.rules.export_period_seconds = duration_seconds(args.export_period, "--export-period");
  if (Status st = server::check_export_period(options.rules.export_period_seconds); !st.ok()) {
    throw CLI::ValidationError("--export-period", st.message());
  }
  options.rules.max_key_age_seconds = duration_seconds(args.max_key_age, "--max-key-age");
  options.max_age_seconds = args.max_age.empty()
                                ? default_max_age_seconds(options.rules.export_period_seconds)
                                : duration_seconds(args.max_age, "--max-age");
  if (args.list_url_base.empty()) {
    options.list_base_url = options.base.text();
  } else {
    auto list_base = parse_base_url(args.list_url_base);
    if (!list_base.ok())
      throw CLI::ValidationError("--list-url-base", list_base.status().message());
    options.list_base_url = list_base->text();
  }
  options.now = args.now >= 0 ? args.now : static_cast<int64_t>(std::time(nullptr));
  options.timeout_seconds = args.timeout;
  return options;
}

int run(const Arguments& args) {
  const DoctorOptions options = to_options(args);
  const std::vector<Verdict> verdicts = run_doctor(options);
  if (args.json) {
    std::cout << to_json(verdicts, options.base.text(), options.now).dump(2) << "\n";
  } else {
    std::cout << format_text(verdicts, options.base.text());
  }
  return all_ok(verdicts) ? cli::kExitOk : cli::kExitFailure;
}

}  // namespace
}  // namespace exposure::doctor

int main(int argc, char** argv) {
  using exposure::doctor::Arguments;
  CLI::App app{
      "Check a key server's export tree from the outside, as an app sees it (docs/doctor.md)",
      "exposure doctor"};
  Arguments args;
  app.add_option("--url", args.url, "Base URL of the export tree; REGION/index.txt is under it")
      ->required();
  app.add_option("--region", args.regions, "Region directory to check (repeatable)")->required();
  app.add_option("--public-key", args.public_keys,
                 "ID-VERSION=PEM (a file, or PEM/base64 text) as the app configures it; each key "
                 "is its own "
                 "cosign set (repeatable)")
      ->required();
  app.add_option("--export-period", args.export_period, "The server's export period")
      ->capture_default_str();
  app.add_option("--max-age", args.max_age,
                 "Largest age of the newest file (default: export period + 3h)");
  app.add_option("--max-key-age", args.max_key_age, "The server's max key age")
      ->capture_default_str();
  app.add_option("--list-url-base", args.list_url_base,
                 "What list.json URLs must start with (default: --url)");
  app.add_option("--now", args.now, "Current time, Unix seconds (default: the system clock)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--timeout", args.timeout, "Connect and read timeout per request, seconds")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  app.add_flag("--json", args.json, "One JSON object instead of text lines");
  exposure::cli::CommandList commands{{&app, [&args] { return exposure::doctor::run(args); }}};
  return exposure::cli::run_cli(app, commands, argc, argv);
}
