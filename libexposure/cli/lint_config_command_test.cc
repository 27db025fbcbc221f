// `exposure lint-config` through the real binary, on signed key files it writes itself.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "exposure/keyfile.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "support/test_vectors.h"
#include "support/test_paths.h"

namespace exposure {
namespace {

using nlohmann::json;
using testing::run_command;
const std::string kCli = exposure_cli_binary();

// Signed archive of 50 keys, all with transmission risk level `trl`; returns the
// --keys/--public-key arguments.
std::string signed_keys(const testing::TempDir& dir, int trl) {
  keyfile::SigningKey signer{"lint", "v1", crypto::EcPrivateKey::generate()};
  std::ofstream(dir.file("public.pem")) << signer.private_key.public_key().pem();
  std::vector<DiagnosisKey> keys(50);
  for (size_t i = 0; i < keys.size(); ++i) {
    crypto::random_bytes(keys[i].key_data);
    keys[i].rolling_start_interval_number = 2646000 + 144 * static_cast<uint32_t>(i % 14);
    keys[i].transmission_risk_level = trl;
    keys[i].report_type = ReportType::kConfirmedTest;
  }
  keyfile::ExportBatch batch;
  batch.region = "JP";
  batch.start_timestamp = 1600000000;
  batch.end_timestamp = 1600086400;
  auto archives = keyfile::build_export_archives(batch, keys, {}, std::span<const keyfile::SigningKey>(&signer, 1));
  EXPECT_TRUE(archives.ok());
  std::ofstream(dir.file("keys.zip"), std::ios::binary)
      .write(reinterpret_cast<const char*>(archives->at(0).data()), static_cast<std::streamsize>(archives->at(0).size()));
  return " --keys " + dir.file("keys.zip") + " --public-key lint-v1=" + dir.file("public.pem");
}

TEST(CliLintConfig, CocoaNeverNotifiesOnAndroidV1AndExitsOne) {
  testing::TempDir dir;
  auto r = run_command(kCli + " lint-config --config " + testing::data_path("cocoa-v1.1.4-config.json") +
                       signed_keys(dir, 0));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["keys"], 50);
  EXPECT_EQ(out["reference_contact"]["attenuation_db"], 55);
  ASSERT_EQ(out["verdicts"].size(), 2u);
  EXPECT_EQ(out["verdicts"][0]["platform"], "android");
  EXPECT_EQ(out["verdicts"][0]["verdict"], "never-notifies");
  EXPECT_EQ(out["verdicts"][1]["platform"], "ios");
  EXPECT_EQ(out["verdicts"][1]["verdict"], "reference-contact-falls-short");
  EXPECT_FALSE(out["all_platforms_notify"]);
  // The same metadata given directly.
  auto direct = run_command(kCli + " lint-config --config " + testing::data_path("cocoa-v1.1.4-config.json") +
                            " --key-metadata 0 --platform android");
  EXPECT_EQ(direct.exit_code, 1);
  EXPECT_EQ(json::parse(direct.out)["verdicts"][0]["verdict"], "never-notifies");
}

TEST(CliLintConfig, SaneConfigPassesOnEveryPlatform) {
  testing::TempDir dir;
  for (const char* config : {"sane-v1-config.json", "sane-v2-config.json"}) {
    auto r = run_command(kCli + " lint-config --config " + testing::data_path(config) + signed_keys(dir, 0));
    EXPECT_EQ(r.exit_code, 0) << config << ": " << r.out << r.err;
    EXPECT_TRUE(json::parse(r.out)["all_platforms_notify"]);
  }
}

TEST(CliLintConfig, UsageErrors) {
  const std::pair<std::string, std::string> cases[] = {
      {"lint-config --key-metadata 0", "--config"},
      {"lint-config --config " + testing::data_path("sane-v1-config.json"), "--keys"},
      {"lint-config --config " + testing::data_path("sane-v1-config.json") + " --key-metadata 9", "--key-metadata"},
      {"lint-config --config " + testing::data_path("sane-v1-config.json") + " --key-metadata 1,POSITIVE", "--key-metadata"},
      {"lint-config --config " + testing::data_path("test-vectors.txt") + " --key-metadata 1", "--config"},
  };
  for (const auto& [args, expected] : cases) {
    auto r = run_command(kCli + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args << " -> " << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << args << " -> " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << " -> " << r.err;
  }
}

}  // namespace
}  // namespace exposure
