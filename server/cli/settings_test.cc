// Each setting's default is its component's: an empty command line resolves to the
// default-constructed options, and docs/server.md lists the defaults --help shows.
#include "cli/settings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "support/test_paths.h"

namespace exposure::server {
namespace {

// Registers the settings on a fresh app and parses `args` (no environment, no config file).
Settings parse(std::vector<std::string> args, CLI::App& app, SettingsInput& input) {
  unsetenv("EXPOSURE_CONFIG");
  add_settings_options(app, input);
  for (const CLI::Option* option : app.get_options()) {
    if (!option->get_envname().empty()) unsetenv(option->get_envname().c_str());
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  app.parse(args);
  auto settings = resolve_settings(input);
  Settings resolved;
  if (settings.ok()) {
    resolved = std::move(*settings);
  } else {
    ADD_FAILURE() << settings.status().to_string();
  }
  return resolved;
}

TEST(Settings, NoFlagsGiveTheComponentsDefaults) {
  CLI::App app;
  SettingsInput input;
  Settings expected;
  // The one default computed from another setting.
  expected.exports.public_base_url = "http://127.0.0.1:8080/exports";
  EXPECT_TRUE(parse({}, app, input) == expected);
  EXPECT_EQ(input.export_period, "1h");
  EXPECT_EQ(input.read_timeout, "20s");
}

TEST(Settings, FlagsReachTheirComponent) {
  CLI::App app;
  SettingsInput input;
  Settings s = parse({"--export-period", "4h", "--verify-rate-limit", "0.5", "--code-ttl", "10m",
                      "--threads", "4"},
                     app, input);
  EXPECT_EQ(s.exports.period_seconds, 4 * 3600);
  EXPECT_EQ(s.rate_limits.limit_of("verification").per_second, 0.5);
  EXPECT_EQ(s.rate_limits.limit_of("verification").burst,
            RateLimitOptions{}.limit_of("verification").burst);
  EXPECT_EQ(s.verification.code_ttl_seconds, 600);
  EXPECT_EQ(s.http.threads, 4);
  Settings other = s;
  other.exports.period_seconds = ExportSettings{}.period_seconds;
  EXPECT_FALSE(other == s);
}

// "| `--flag` | default | meaning |" rows of the configuration table -> flag: default.
std::map<std::string, std::string> documented_defaults() {
  std::ifstream in(std::string(exposure_test_data_dir()) + "/../../docs/server.md");
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| `--", 0) != 0) continue;
    const size_t flag_end = line.find('`', 3);
    const size_t cell = line.find("| ", flag_end);
    const size_t cell_end = line.find(" |", cell + 2);
    std::string value = line.substr(cell + 2, cell_end - cell - 2);
    if (value.size() >= 2 && value.front() == '`' && value.back() == '`')
      value = value.substr(1, value.size() - 2);
    out[line.substr(3, flag_end - 3)] = value;
  }
  return out;
}

TEST(Settings, DocumentedDefaultsAreTheDefaults) {
  CLI::App app;
  SettingsInput input;
  add_settings_options(app, input);
  const auto documented = documented_defaults();
  ASSERT_GT(documented.size(), 40u);
  for (const CLI::Option* option : app.get_options()) {
    const std::string flag = option->get_name();
    if (flag == "--help" || flag == "--config") continue;
    auto it = documented.find(flag);
    ASSERT_NE(it, documented.end()) << flag << " is not in docs/server.md";
    std::string expected = option->get_default_str();
    if (option->get_expected_max() == 0)
      expected = "off";  // a flag
    else if (expected.empty())
      expected = "(empty)";
    else if (expected == "0" && it->second == "0 (off)")
      expected = "0 (off)";
    if (flag == "--public-url") expected = "http://<listen>/exports";
    EXPECT_EQ(it->second, expected) << flag;
  }
}

}  // namespace
}  // namespace exposure::server
