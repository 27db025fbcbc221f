// Runs the real `exposure` binary.
#include <gtest/gtest.h>

#include <sstream>

#include "support/run_command.h"
#include "support/test_vectors.h"
#include "support/test_paths.h"

namespace exposure {
namespace {

using testing::run_command;
const std::string kCli = exposure_cli_binary();

TEST(CliDerive, ReproducesAllOfficialVectors) {
  auto v = testing::load_official_vectors();
  auto r = run_command(kCli + " derive --tek " + v.tek + " --interval " + std::to_string(v.start_interval));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ostringstream expected;
  for (const auto& line : v.lines) {
    expected << line.interval << " " << line.rpi_hex << " " << line.aem_hex << "\n";
  }
  EXPECT_EQ(r.out, expected.str());
}

TEST(CliDerive, CountAndMetadataOptions) {
  auto r = run_command(kCli + " derive --tek 75c734c6dd1a782de7a965da5eb93125 --interval 2642977 --count 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2642977 3c9a1de5dd6b02afa7fded7b570b3e56 c29211b1\n");
  auto other = run_command(kCli + " derive --tek 75c734c6dd1a782de7a965da5eb93125 --interval 2642977 --count 1 --metadata 50f10000");
  ASSERT_EQ(other.exit_code, 0);
  EXPECT_NE(other.out, r.out);
  EXPECT_EQ(other.out.substr(0, 41), r.out.substr(0, 41));  // same RPI, different AEM
}

struct BadArgs {
  std::string args;
  std::string expected_error;
};

TEST(CliDerive, BadArgumentsExitTwoWithOneLineNamingTheArgument) {
  const BadArgs cases[] = {
      {"derive --interval 1", "--tek is required"},
      {"derive --tek abc --interval 1", "--tek: expected 32 hex digits, got 'abc'"},
      {"derive --tek 75c734c6dd1a782de7a965da5eb9312z --interval 1", "--tek: expected 32 hex digits"},
      {"derive --tek 75c734c6dd1a782de7a965da5eb93125 --interval x", "--interval"},
      {"derive --tek 75c734c6dd1a782de7a965da5eb93125 --interval 1 --count 0", "--count"},
      {"derive --tek 75c734c6dd1a782de7a965da5eb93125 --interval 1 --metadata 4008", "--metadata: expected 8 hex digits"},
  };
  for (const auto& c : cases) {
    auto r = run_command(kCli + " " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_TRUE(r.out.empty()) << c.args;
    EXPECT_NE(r.err.find(c.expected_error), std::string::npos) << c.args << " -> " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << " -> " << r.err;
  }
}

TEST(Cli, VersionAndHelp) {
  auto v = run_command(kCli + " --version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, std::string("exposure ") + EXPOSURE_VERSION + "\n");
  auto h = run_command(kCli + " --help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("derive"), std::string::npos);
  auto none = run_command(kCli);
  EXPECT_EQ(none.exit_code, 2);
}

}  // namespace
}  // namespace exposure
