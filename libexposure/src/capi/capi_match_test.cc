// Matching, scoring and the config linter through the C ABI, and the same JSON as the
// `exposure` command for the same inputs.
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "capi_test_support.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "support/test_paths.h"

namespace exposure::capi_test {
namespace {

using nlohmann::json;

class CapiMatch : public ::testing::Test {
 protected:
  void SetUp() override {
    sightings_ = server_example_contact();
    paths_ = {archive_.c_str()};
    public_key_ = server_example_public_key();
  }
  exposure_match_request request() const {
    exposure_match_request r;
    exposure_match_request_init(&r);
    r.sightings = sightings_.data();
    r.sighting_count = sightings_.size();
    r.export_paths = paths_.data();
    r.export_path_count = paths_.size();
    r.public_keys = &public_key_;
    r.public_key_count = 1;
    r.now_unix_seconds = server_example_now();
    return r;
  }
  UniqueMatchResult match(const exposure_match_request& r) {
    exposure_match_result* result = nullptr;
    EXPECT_C_OK(exposure_match(&r, &result));
    return UniqueMatchResult(result);
  }
  static json match_json(const exposure_match_result* result) {
    char* text = nullptr;
    EXPECT_C_OK(exposure_match_result_json(result, &text));
    UniqueString owner(text);
    return json::parse(text);
  }
  static json score_json(const exposure_match_result* result, const std::string& config, const char* platform) {
    char* text = nullptr;
    EXPECT_C_OK(exposure_match_result_score(result, config.data(), config.size(), platform, &text));
    UniqueString owner(text);
    return text == nullptr ? json() : json::parse(text);
  }
  std::string csv_file(const testing::TempDir& dir) const {
    char* csv = nullptr;
    EXPECT_C_OK(exposure_sightings_to_csv(sightings_.data(), sightings_.size(), &csv));
    UniqueString owner(csv);
    std::ofstream(dir.file("sightings.csv")) << csv;
    return dir.file("sightings.csv");
  }
  std::string cli_key_args() const {
    return " --keys " + archive_ + " --public-key " + std::string(kServerExampleKeyName) + "=" +
           data_path("server-example-2-keys.public.pem");
  }

  std::string archive_ = server_example_archive();
  std::vector<exposure_sighting> sightings_;
  std::vector<const char*> paths_;
  exposure_public_key public_key_;
};

TEST_F(CapiMatch, FindsTheContactInTheVerifiedArchive) {
  UniqueMatchResult result = match(request());
  uint64_t matched = 0;
  ASSERT_C_OK(exposure_match_result_matched_key_count(result.get(), &matched));
  EXPECT_EQ(matched, 1u);
  json out = match_json(result.get());
  EXPECT_EQ(out["keys_processed"], 2);
  EXPECT_EQ(out["files"], 1);
  EXPECT_EQ(out["sightings"], 4);
  ASSERT_EQ(out["matched_keys"].size(), 1u);
  EXPECT_EQ(out["matched_keys"][0]["key"], kServerExampleKeyHex);
  EXPECT_EQ(out["matched_keys"][0]["sightings"], 4);
  ASSERT_EQ(out["exposure_windows"].size(), 1u);
  const json& window = out["exposure_windows"][0];
  ASSERT_EQ(window["scan_instances"].size(), 4u);
  EXPECT_EQ(window["scan_instances"][0]["typical_attenuation_db"], 55);
  EXPECT_EQ(window["scan_instances"][0]["seconds_since_last_scan"], 300);
  EXPECT_FALSE(out.contains("platforms"));
}

TEST_F(CapiMatch, ScoresWithV2AndV1ConfigurationsOnEachPlatform) {
  UniqueMatchResult result = match(request());
  json v2 = score_json(result.get(), read_file(data_path("sane-v2-config.json")), nullptr);
  for (const char* platform : {"android", "ios"}) {
    const json& p = v2["platforms"][platform];
    ASSERT_EQ(p["daily_summaries"].size(), 1u) << platform;
    // 4 scans x 300 s at 55 dB (IMMEDIATE, weight 1.5): 1800, above the daily threshold 900.
    EXPECT_DOUBLE_EQ(p["daily_summaries"][0]["total"]["score_sum"].get<double>(), 1800.0);
    EXPECT_EQ(p["verdict"], "notify");
  }
  json v1 = score_json(result.get(), read_file(data_path("sane-v1-config.json")), "ios");
  EXPECT_FALSE(v1["platforms"].contains("android"));
  EXPECT_EQ(v1["platforms"]["ios"]["v1"]["summary"]["matched_key_count"], 1);
  EXPECT_EQ(v1["platforms"]["ios"]["verdict"], "notify");
}

TEST_F(CapiMatch, SameJsonAsTheCommandLine) {
  testing::TempDir dir;
  const std::string base = std::string(exposure_cli_binary()) + " match --sightings " + csv_file(dir) + cli_key_args() +
                           " --now " + std::to_string(server_example_now());
  UniqueMatchResult result = match(request());

  auto plain = testing::run_command(base);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(json::parse(plain.out), match_json(result.get()));

  for (const char* config : {"sane-v1-config.json", "sane-v2-config.json", "cocoa-v1.1.4-config.json"}) {
    auto scored = testing::run_command(base + " --config " + data_path(config));
    ASSERT_EQ(scored.exit_code, 0) << scored.err;
    EXPECT_EQ(json::parse(scored.out), score_json(result.get(), read_file(data_path(config)), "all")) << config;
  }
}

TEST_F(CapiMatch, LinterGivesTheCommandLinesReport) {
  const std::string config = read_file(data_path("cocoa-v1.1.4-config.json"));
  const char* paths[] = {archive_.c_str()};
  exposure_lint_request r;
  exposure_lint_request_init(&r);
  r.config_json = config.data();
  r.config_length = config.size();
  r.export_paths = paths;
  r.export_path_count = 1;
  r.public_keys = &public_key_;
  r.public_key_count = 1;
  char* text = nullptr;
  ASSERT_C_OK(exposure_lint_config(&r, &text));
  UniqueString owner(text);
  json report = json::parse(text);
  EXPECT_EQ(report["keys"], 2);
  EXPECT_FALSE(report["verdicts"].empty());

  auto cli = testing::run_command(std::string(exposure_cli_binary()) + " lint-config --config " +
                                  data_path("cocoa-v1.1.4-config.json") + cli_key_args());
  EXPECT_EQ(json::parse(cli.out), report);
  EXPECT_EQ(cli.exit_code == 0, report["all_platforms_notify"].get<bool>());

  // Metadata given directly instead of files.
  exposure_key_metadata metadata[] = {{2, 1, 1, 3}};
  exposure_lint_request direct;
  exposure_lint_request_init(&direct);
  direct.config_json = config.data();
  direct.config_length = config.size();
  direct.key_metadata = metadata;
  direct.key_metadata_count = 1;
  direct.platform = "android";
  ASSERT_C_OK(exposure_lint_config(&direct, &text));
  UniqueString direct_owner(text);
  json direct_report = json::parse(text);
  auto direct_cli = testing::run_command(std::string(exposure_cli_binary()) + " lint-config --config " +
                                         data_path("cocoa-v1.1.4-config.json") +
                                         " --key-metadata 2,CONFIRMED_TEST,3 --platform android");
  EXPECT_EQ(json::parse(direct_cli.out), direct_report);
}

TEST_F(CapiMatch, KeysInMemoryAndThreadsGiveTheSameMatches) {
  exposure_diagnosis_key* keys = nullptr;
  size_t count = 0;
  ASSERT_C_OK(exposure_read_export_file(archive_.c_str(), &keys, &count));
  std::vector<exposure_diagnosis_key> read = take_diagnosis_keys(keys, count);
  exposure_match_request r = request();
  r.keys = read.data();
  r.key_count = read.size();
  r.export_path_count = 0;
  r.threads = 3;
  json in_memory = match_json(match(r).get());
  json from_file = match_json(match(request()).get());
  EXPECT_EQ(in_memory["matched_keys"], from_file["matched_keys"]);
  EXPECT_EQ(in_memory["exposure_windows"], from_file["exposure_windows"]);
  EXPECT_EQ(in_memory["files"], 0);
}

TEST_F(CapiMatch, FailuresNameTheirCause) {
  exposure_match_result* result = nullptr;
  const std::string other = read_file(data_path("internals-sample-140-keys.public-310-v1.pem"));
  exposure_public_key wrong{kServerExampleKeyName, reinterpret_cast<const uint8_t*>(other.data()), other.size()};
  exposure_match_request r = request();
  r.public_keys = &wrong;
  EXPECT_EQ(exposure_match(&r, &result), EXPOSURE_VERIFICATION_FAILED);
  EXPECT_EQ(std::string(exposure_last_error()).rfind(archive_ + ": ", 0), 0u) << exposure_last_error();
  EXPECT_EQ(result, nullptr);

  r = request();
  r.public_key_count = 0;
  EXPECT_EQ(exposure_match(&r, &result), EXPOSURE_INVALID_ARGUMENT);
  r = request();
  r.threads = 0;
  EXPECT_EQ(exposure_match(&r, &result), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "threads 0 out of range 1..256");
  r = request();
  r.skip_verification = 1;
  r.public_key_count = 0;
  EXPECT_C_OK(exposure_match(&r, &result));
  UniqueMatchResult owner(result);

  const std::string bad = R"({"attenuationScores": [1, 2, 3, 9, 5, 6, 7, 8]})";
  char* text = nullptr;
  EXPECT_NE(exposure_match_result_score(result, bad.data(), bad.size(), nullptr, &text), EXPOSURE_OK);
  EXPECT_NE(std::string(exposure_last_error()).find("attenuationScores[3]"), std::string::npos) << exposure_last_error();
  EXPECT_NE(exposure_check_risk_config(bad.data(), bad.size()), EXPOSURE_OK);
  const std::string good = read_file(data_path("sane-v2-config.json"));
  EXPECT_C_OK(exposure_check_risk_config(good.data(), good.size()));
  EXPECT_EQ(exposure_match_result_score(result, good.data(), good.size(), "windows", &text), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "platform 'windows': expected android, ios or all");
  EXPECT_EQ(text, nullptr);
}

}  // namespace
}  // namespace exposure::capi_test
