// exposure lint-config: can a reference contact reach the notification threshold on each
// platform, with the key metadata present in the given export files? One JSON object on
// stdout; exit 1 when some platform never notifies for it (docs/risk.md, "Config linter").
#include <iostream>
#include <nlohmann/json.hpp>

#include "exposure/report_json.h"

#include "commands.h"
#include "exposure/config_lint.h"
#include "exposure/export_key_source.h"
#include "match_support.h"

namespace exposure::cli {
namespace {

using nlohmann::json;

struct LintOptions {
  std::string config;
  std::vector<std::string> keys;
  std::vector<std::string> public_keys;
  bool insecure_skip_verify = false;
  std::vector<std::string> key_metadata;
  std::string platform = "all";
  int minutes = 15;
  double meters = 1;
  double attenuation_at_1m = 55;
  double exponent = 2;
};

// "TRL[,REPORT_TYPE[,DAYS_SINCE_ONSET]]", e.g. "0" or "2,CONFIRMED_TEST,3".
KeyMetadata parse_key_metadata(const std::string& spec) {
  auto bad = [&](const std::string& why) {
    return CLI::ValidationError("--key-metadata", why + " in '" + spec + "' (expected TRL[,REPORT_TYPE[,DAYS]])");
  };
  std::vector<std::string> parts;
  size_t from = 0;
  for (size_t comma; (comma = spec.find(',', from)) != std::string::npos; from = comma + 1)
    parts.push_back(spec.substr(from, comma - from));
  parts.push_back(spec.substr(from));
  if (parts.size() > 3) throw bad("too many fields");
  KeyMetadata m;
  char* end = nullptr;
  long trl = std::strtol(parts[0].c_str(), &end, 10);
  if (parts[0].empty() || *end != '\0' || trl < 0 || trl > 8) throw bad("transmission risk level not in 0..8");
  m.transmission_risk_level = static_cast<int>(trl);
  if (parts.size() > 1) {
    bool found = false;
    for (int t = 0; t <= 5; ++t) {
      if (parts[1] == report_type_name(static_cast<ReportType>(t))) {
        m.report_type = static_cast<ReportType>(t);
        found = true;
      }
    }
    if (!found) throw bad("unknown report type '" + parts[1] + "'");
  }
  if (parts.size() > 2) {
    long days = std::strtol(parts[2].c_str(), &end, 10);
    if (parts[2].empty() || *end != '\0' || days < -14 || days > 14) throw bad("days since onset not in -14..14");
    m.days_since_onset = static_cast<int>(days);
  }
  return m;
}

int run_lint(const LintOptions& o) {
  if (o.keys.empty() && o.key_metadata.empty())
    throw CLI::ValidationError("--keys", "give export files (--keys) or --key-metadata");
  auto config = load_risk_config_file(o.config);
  if (!config.ok()) throw CLI::ValidationError("--config", config.status().message());
  KeyMetadataSet metadata;
  for (const auto& spec : o.key_metadata) metadata.add(parse_key_metadata(spec));
  if (!o.keys.empty()) {
    ExportFilesKeySource source(o.keys, parse_public_key_options(o.public_keys, o.insecure_skip_verify),
                                o.insecure_skip_verify);
    ProgressLine progress("lint-config", "keys read");
    for (;;) {
      auto key = source.next();
      if (!key.ok()) {
        progress.finish();
        print_error(key.status().message());
        return kExitFailure;
      }
      if (!key->has_value()) break;
      metadata.add(**key);
      progress.update(metadata.keys);
    }
    progress.finish();
  }
  std::vector<PlatformProfile> profiles;
  for (const PlatformProfile* p : selected_profiles(o.platform)) profiles.push_back(*p);
  PathLossModel model{o.attenuation_at_1m, o.exponent};
  auto report = lint_config(*config, metadata, profiles, ReferenceContact{o.minutes, o.meters}, model);
  if (!report.ok()) {
    print_error(report.status().message());
    return kExitFailure;
  }
  json out = report::lint_json(*report, metadata, ReferenceContact{o.minutes, o.meters}, model);
  std::cout << out.dump(2) << "\n";
  return report->all_notify() ? kExitOk : kExitFailure;
}

}  // namespace

Command add_lint_config_command(CLI::App& app) {
  auto options = std::make_shared<LintOptions>();
  LintOptions& o = *options;
  CLI::App* sub = app.add_subcommand(
      "lint-config", "Check that a reference contact can reach a risk configuration's threshold on each platform");
  sub->add_option("--config", o.config, "Risk configuration JSON (v1 and/or v2 fields)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--keys", o.keys, "Export files whose key metadata (TRL, report type, days since onset) to use")
      ->check(CLI::ExistingFile);
  sub->add_option("--key-metadata", o.key_metadata, "Metadata given directly: TRL[,REPORT_TYPE[,DAYS_SINCE_ONSET]]");
  add_public_key_options(sub, o.public_keys, o.insecure_skip_verify);
  add_platform_option(sub, o.platform);
  sub->add_option("--contact-minutes", o.minutes, "Reference contact duration")->check(CLI::Range(1, 1440))->capture_default_str();
  sub->add_option("--contact-meters", o.meters, "Reference contact distance")->check(CLI::Range(0.1, 100.0))->capture_default_str();
  sub->add_option("--attenuation-at-1m", o.attenuation_at_1m, "Path-loss model: attenuation at 1 m, dB")
      ->check(CLI::Range(0.0, 150.0))->capture_default_str();
  sub->add_option("--path-loss-exponent", o.exponent, "Path-loss model: exponent")->check(CLI::Range(1.0, 6.0))->capture_default_str();
  return {sub, [options] {
            // Keys from files are verified like `match` does; metadata alone needs no key.
            if (options->keys.empty() && !options->public_keys.empty())
              throw CLI::ValidationError("--public-key", "only used with --keys");
            return run_lint(*options);
          }};
}

}  // namespace exposure::cli
