// exposure-doctor against the real exposure-server over HTTP on loopback: a healthy export
// tree passes every check; each way of breaking it (wrong key, tampered file, deleted
// file, stale export, inconsistent list.json, server down) fails the check that names it.
// Also `exposure doctor` (the BoringSSL CLI) forwarding to exposure-doctor.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "exposure/keyfile.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "tests/flows.h"
#include "support/test_paths.h"

namespace exposure::doctor {
namespace {

using server::testing::ServerHarness;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kHour = 3600;
// The spec's sample P-256 key: valid, but it signed nothing on this server.
constexpr const char* kUnrelatedKey =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEml59itec9qzwVojreLXdPNRsUWzfYHc1cKvIIi6/H56AJS/"
    "kZEYQnfDpxrgyGhdAm+pNN2GAJ3XdnQZ1Sk4amg==";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

class DoctorIntegrationTest : public ::testing::Test {
 protected:
  DoctorIntegrationTest() : server_(server::testing::test_start_time()) {}

  // One upload at 15:20; exports at 18:00 and at 04:00 the next day: two files, the
  // [15:00, 16:00) window and the [01:00, 02:00) window holding the day's key.
  void SetUp() override {
    const std::string api_key = server_.add_health_authority("Test Lab");
    server_.add_app("com.example.app", {"JP"});
    std::string line = server_.add_signing_key("440", "v1");
    public_key_ = line.replace(line.find(','), 1, "=");
    ASSERT_EQ(server_.run("export --once").exit_code, 0);
    server_.start();
    auto client = server_.client();
    auto keys = server::testing::daily_keys(14, server_.now());
    auto published = server::testing::google_upload(*client, api_key, keys, {});
    ASSERT_EQ(published.status, 200) << published.raw;
    const int64_t day = server::testing::test_day_start();
    for (int64_t t : {day + 18 * kHour, day + 86400 + 4 * kHour}) {
      server_.set_time(t);
      ASSERT_EQ(export_once(), 0);
    }
    std::istringstream index(read_text(region_dir() + "/index.txt"));
    for (std::string name; std::getline(index, name);) files_.push_back(name);
    ASSERT_EQ(files_.size(), 2u);
  }

  int export_once() { return server_.run("export --once --public-url " + base_url()).exit_code; }
  std::string base_url() const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/exports";
  }
  std::string region_dir() const { return server_.export_root() + "/JP"; }
  std::string file_path(size_t i) const { return server_.export_root() + "/" + files_[i]; }

  // Runs `binary` with the doctor arguments for this server (plus `extra`).
  // Runs `binary` with the doctor arguments for this server (plus `extra`), at the
  // server's time plus `later` seconds.
  exposure::testing::CommandResult doctor(const std::string& extra = "",
                                          const std::string& key = "",
                                          const std::string& binary = exposure_doctor_binary(),
                                          int64_t later = 0) const {
    return exposure::testing::run_command(binary + " --url " + base_url() +
                                          " --region JP --public-key " +
                                          (key.empty() ? public_key_ : key) + " --now " +
                                          std::to_string(server_.now() + later) + " " + extra);
  }

  ServerHarness server_;
  std::string public_key_;  // "440-v1=BASE64"
  std::vector<std::string> files_;
};

TEST_F(DoctorIntegrationTest, HealthyServerPassesEveryCheck) {
  auto r = doctor();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* check : {"index", "index-format", "list-json", "download", "parse", "signature",
                            "duplicates", "batches", "windows", "freshness"}) {
    EXPECT_THAT(r.out, HasSubstr(std::string("OK   ") + check + " JP: ")) << check;
  }
  EXPECT_THAT(r.out, HasSubstr("OK   parse JP: 2 files parsed: "));
  EXPECT_THAT(
      r.out,
      HasSubstr("OK   signature JP: 2 files verified with the configured keys (signed by 440-v1)"));
  EXPECT_THAT(
      r.out, HasSubstr("OK   freshness JP: newest file " + files_[1] + " ended 2h ago (limit 4h)"));
  EXPECT_THAT(r.out, HasSubstr("doctor: OK: all 10 checks passed for " + base_url() + "\n"));
  EXPECT_EQ(r.err, "");

  auto json_run = doctor("--json");
  EXPECT_EQ(json_run.exit_code, 0) << json_run.out;
  auto json = nlohmann::json::parse(json_run.out);
  EXPECT_EQ(json["ok"], true);
  ASSERT_EQ(json["checks"].size(), 10u);
  for (const auto& check : json["checks"]) EXPECT_EQ(check["result"], "ok") << check.dump();
}

// Nothing on the server changes: the app's key, or the time, is wrong.
TEST_F(DoctorIntegrationTest, WrongKeyOrLateClockFailTheirCheck) {
  auto r = doctor("", std::string("440-v1=") + kUnrelatedKey);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out,
              HasSubstr("FAIL signature JP: 2 of 2 files do not verify: " + files_[0] + ": "));
  EXPECT_THAT(r.out, HasSubstr("OK   parse JP"));
  EXPECT_THAT(r.out, HasSubstr("doctor: FAIL: 1 of 10 checks failed (signature JP)"));

  // Two days later, nothing new was exported: stale.
  r = doctor("", "", exposure_doctor_binary(), 2 * 86400);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("FAIL freshness JP: stale: newest file " + files_[1] +
                               " ended 2d2h ago, more than 4h"));
  EXPECT_THAT(r.out, HasSubstr("doctor: FAIL: 1 of 10 checks failed (freshness JP)"));
  // A longer limit accepts the same tree.
  EXPECT_EQ(doctor("--max-age 3d", "", exposure_doctor_binary(), 2 * 86400).exit_code, 0);
}

TEST_F(DoctorIntegrationTest, TamperedFileFailsSignature) {
  // Change one key byte and re-zip export.bin with the original export.sig.
  auto contents = keyfile::read_export_path(file_path(0));
  ASSERT_TRUE(contents.ok()) << contents.status().to_string();
  contents->keys[0].key_data[0] ^= 0x01;
  Bytes bin =
      keyfile::serialize_export_bin(contents->metadata, contents->keys, contents->revised_keys);
  auto zip =
      keyfile::write_export_archive(bin, keyfile::serialize_export_sig(contents->signatures));
  ASSERT_TRUE(zip.ok());
  write_text(file_path(0), std::string(zip->begin(), zip->end()));

  auto r = doctor();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out,
              HasSubstr("FAIL signature JP: 1 of 2 files do not verify: " + files_[0] + ": "));
  EXPECT_THAT(r.out, HasSubstr("doctor: FAIL: 1 of 10 checks failed (signature JP)"));
}

TEST_F(DoctorIntegrationTest, DeletedFileFailsDownload) {
  std::filesystem::remove(file_path(0));
  auto r = doctor();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("FAIL download JP: 1 of 2 files failed to download cleanly: GET " +
                               base_url() + "/" + files_[0] + ": HTTP 404"));
  EXPECT_THAT(r.out, HasSubstr("OK   signature JP: 1 file verified"));
  EXPECT_THAT(r.out, HasSubstr("doctor: FAIL: 1 of 10 checks failed (download JP)"));
}

TEST_F(DoctorIntegrationTest, InconsistentListJsonFails) {
  auto list = nlohmann::json::parse(read_text(region_dir() + "/list.json"));
  ASSERT_EQ(list.size(), 2u);
  list.erase(1);
  write_text(region_dir() + "/list.json", list.dump());
  auto r = doctor();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("FAIL list-json JP: list.json inconsistent with index.txt: " +
                               files_[1] + " is in index.txt but not in list.json"));
  EXPECT_THAT(r.out, HasSubstr("doctor: FAIL: 1 of 10 checks failed (list-json JP)"));

  // list.json written for another public URL (the server's --public-url left at its default).
  ASSERT_EQ(server_.run("export --once").exit_code,
            0);  // rewrites list.json with http://127.0.0.1:8080/exports
  r = doctor();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("url 'http://127.0.0.1:8080/exports/" + files_[0] +
                               "' is not under " + base_url()));
}

TEST_F(DoctorIntegrationTest, ServerDownFailsIndex) {
  const std::string url = base_url();
  server_.stop();
  auto r = doctor();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("FAIL index JP: index.txt unavailable: GET " + url +
                               "/JP/index.txt: no answer: cannot connect"));
  EXPECT_THAT(r.out, HasSubstr("SKIP signature JP: not checked: no index.txt"));
  EXPECT_THAT(r.out, HasSubstr("doctor: FAIL: 1 of 10 checks failed (index JP), 9 not checked"));
}

TEST_F(DoctorIntegrationTest, ExposureDoctorForwardsToTheSiblingBinary) {
  const std::string exposure_doctor = std::string(exposure_cli_binary()) + " doctor";
  auto healthy = doctor("", "", exposure_doctor);
  EXPECT_EQ(healthy.exit_code, 0) << healthy.out << healthy.err;
  EXPECT_THAT(healthy.out, HasSubstr("doctor: OK: all 10 checks passed"));
  auto broken = doctor("--json", std::string("440-v1=") + kUnrelatedKey, exposure_doctor);
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(broken.out)["ok"], false);
  auto help = exposure::testing::run_command(exposure_doctor + " --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--public-key"));

  // Without exposure-doctor next to it, one clear line and exit 2.
  exposure::testing::TempDir dir;
  std::filesystem::copy_file(exposure_cli_binary(), dir.file("exposure"));
  auto missing =
      exposure::testing::run_command(dir.file("exposure") + " doctor --url " + base_url());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err,
            "exposure: doctor: " + dir.file("exposure-doctor") +
                " is missing (build the exposure_doctor target; it must sit next to exposure)\n");
}

TEST(DoctorUsage, ErrorsNameTheArgumentOnOneLine) {
  const std::string doctor = std::string(exposure_doctor_binary()) + " ";
  const std::string key = std::string(" --public-key 440-v1=") + kUnrelatedKey;
  const std::string url = " --url http://127.0.0.1:9/exports --region JP";
  const std::pair<std::string, std::string> cases[] = {
      {"--region JP" + key, "--url"},
      {"--url ftp://x --region JP" + key, "--url"},
      {url, "--public-key"},
      {url + " --public-key 440-v1=not-a-key", "--public-key"},
      {url + key + " --region 'J/P'", "--region"},
      {url + key + " --export-period 7m", "--export-period"},
      {url + key + " --max-age 1x", "--max-age"},
  };
  for (const auto& [args, option] : cases) {
    auto r = exposure::testing::run_command(doctor + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_THAT(r.err, HasSubstr(option)) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.out, "") << args;
  }
}

}  // namespace
}  // namespace exposure::doctor
