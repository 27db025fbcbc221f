// The administration subcommands and the configuration paths (flags, environment, config
// file) of the real binary, and its linkage (one libcrypto: OpenSSL 3).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/flows.h"
#include "support/test_paths.h"

namespace exposure::server::testing {
namespace {

using exposure::testing::run_command;

bool one_line(const std::string& text) {
  return !text.empty() && text.find('\n') == text.size() - 1;
}

TEST(AdminCli, HealthAuthoritiesAreAddedListedAndRevoked) {
  ServerHarness server(test_start_time());
  std::string key = server.add_health_authority("Tokyo Lab");
  EXPECT_EQ(key.rfind("ha_", 0), 0u);
  EXPECT_GE(key.size(), 40u);
  auto list = server.run("ha list");
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("Tokyo Lab"), std::string::npos);
  EXPECT_NE(list.out.find("active"), std::string::npos);
  EXPECT_EQ(list.out.find(key), std::string::npos);  // the key is never shown again
  auto duplicate = server.run("ha add 'Tokyo Lab'");
  EXPECT_EQ(duplicate.exit_code, 1);
  EXPECT_TRUE(one_line(duplicate.err)) << duplicate.err;
  EXPECT_EQ(server.run("ha revoke 'Tokyo Lab'").exit_code, 0);
  EXPECT_NE(server.run("ha list").out.find("revoked"), std::string::npos);
  auto again = server.run("ha revoke 'Tokyo Lab'");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("no active health authority"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(stat((server.dir() + "/secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(AdminCli, AppsAndSigningKeys) {
  ServerHarness server(test_start_time());
  server.add_app("Com.Example.App", {"JP", "US"});
  EXPECT_NE(server.run("app list").out.find("com.example.app\tJP,US"), std::string::npos);
  auto bad_region = server.run("app add x --region 'J P'");
  EXPECT_EQ(bad_region.exit_code, 2);
  EXPECT_TRUE(one_line(bad_region.err));
  EXPECT_NE(bad_region.err.find("--region"), std::string::npos);

  std::string line = server.add_signing_key("440", "v1");
  EXPECT_EQ(line.rfind("440-v1,MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", 0), 0u) << line;
  server.add_signing_key("440", "v2");
  EXPECT_EQ(server.run("signing-key add --id 440 --version v1").exit_code, 1);  // exists
  auto bad_id = server.run("signing-key add --id 'a-b' --version v1");
  EXPECT_EQ(bad_id.exit_code, 2);
  EXPECT_NE(bad_id.err.find("--id"), std::string::npos);
  auto list = server.run("signing-key list");
  EXPECT_EQ(list.out.find("440-v2\tactive"), 0u) << list.out;  // newest first
  ASSERT_EQ(server.run("signing-key deactivate --id 440 --version v1").exit_code, 0);
  ASSERT_EQ(server.run("signing-key deactivate --id 440 --version v2").exit_code, 0);
  auto no_key = server.run("export --once");
  EXPECT_EQ(no_key.exit_code, 1);
  EXPECT_NE(no_key.err.find("no active signing key"), std::string::npos);
  EXPECT_EQ(server.run("signing-key activate --id 440 --version v2").exit_code, 0);
  EXPECT_EQ(server.run("export --once").exit_code, 0);
  EXPECT_EQ(server.run("app remove com.example.app").exit_code, 0);
  EXPECT_EQ(server.run("app remove com.example.app").exit_code, 1);
}

TEST(AdminCli, SettingsFromFlagsEnvironmentAndConfigFileAreChecked) {
  ServerHarness server(test_start_time());
  auto too_long = server.run("serve --code-ttl 48h");
  EXPECT_EQ(too_long.exit_code, 2);
  EXPECT_TRUE(one_line(too_long.err)) << too_long.err;
  EXPECT_NE(too_long.err.find("--code-ttl"), std::string::npos);
  auto from_env = run_command("EXPOSURE_EXPORT_PERIOD=7h " + std::string(exposure_server_binary()) + " export --once" +
                              server.common_flags());
  EXPECT_EQ(from_env.exit_code, 2);
  EXPECT_NE(from_env.err.find("must be between 1s and 24h and divide 24h"), std::string::npos) << from_env.err;
  const std::string config = server.dir() + "/server.toml";
  std::ofstream(config) << "retention = \"3d\"\n";
  auto from_file = server.run("export --once --config " + config);
  EXPECT_EQ(from_file.exit_code, 2);
  EXPECT_NE(from_file.err.find("--retention"), std::string::npos) << from_file.err;
  // The same file named by EXPOSURE_CONFIG.
  auto from_env_file = run_command("EXPOSURE_CONFIG=" + config + " " + std::string(exposure_server_binary()) +
                                   " export --once" + server.common_flags());
  EXPECT_EQ(from_env_file.exit_code, 2);
  EXPECT_NE(from_env_file.err.find("--retention"), std::string::npos) << from_env_file.err;
  auto unknown = server.run("serve --no-such-flag");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(one_line(unknown.err)) << unknown.err;
  EXPECT_EQ(run_command(std::string(exposure_server_binary()) + " --help").exit_code, 0);
}

TEST(AdminCli, ServerLinksOnlyOpenSsl3) {
  auto ldd = run_command("ldd " + std::string(exposure_server_binary()));
  ASSERT_EQ(ldd.exit_code, 0);
  EXPECT_NE(ldd.out.find("libcrypto.so.3"), std::string::npos);
  EXPECT_EQ(ldd.out.find("android/libcrypto"), std::string::npos);
}

}  // namespace
}  // namespace exposure::server::testing
