// Runs the real `exposure` binary: keygen, export inspect / verify / sign.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "support/test_vectors.h"
#include "support/test_paths.h"

namespace exposure {
namespace {

using nlohmann::json;
using testing::data_path;
using testing::run_command;
const std::string kCli = exposure_cli_binary();

const std::string kServerZip = data_path("server-example-2-keys.zip");
const std::string kServerPub = data_path("server-example-2-keys.public.pem");
const std::string kServerPriv = data_path("server-example-2-keys.private.pem");
const std::string kServerKeys = data_path("server-example-2-keys.publish.json");
const std::string kInternalsZip = data_path("internals-sample-140-keys.zip");
const std::string kInternalsPub = data_path("internals-sample-140-keys.public-310-v1.pem");

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(CliExport, InspectArchive) {
  auto r = run_command(kCli + " export inspect " + kServerZip);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["format"], "zip");
  EXPECT_EQ(j["region"], "US");
  EXPECT_EQ(j["start_timestamp"], 1590159600);
  EXPECT_EQ(j["end_timestamp"], 1590246000);
  EXPECT_EQ(j["batch_num"], 1);
  EXPECT_EQ(j["batch_size"], 1);
  EXPECT_EQ(j["key_count"], 2);
  EXPECT_EQ(j["revised_key_count"], 0);
  ASSERT_EQ(j["signature_infos"].size(), 1u);
  EXPECT_EQ(j["signature_infos"][0]["key_id"], "some_id");
  EXPECT_EQ(j["signature_infos"][0]["key_version"], "1");
  EXPECT_EQ(j["signature_infos"][0]["algorithm"], "1.2.840.10045.4.3.2");
  EXPECT_EQ(j["signatures"].size(), 1u);
  EXPECT_FALSE(j.contains("keys"));
}

TEST(CliExport, InspectBareFileWithKeys) {
  auto r = run_command(kCli + " export inspect " + data_path("internals-110-keys.export.bin") +
                       " --keys");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["format"], "export.bin");
  EXPECT_EQ(j["key_count"], 110);
  ASSERT_EQ(j["keys"].size(), 110u);
  bool found = false;
  for (const auto& k : j["keys"]) {
    if (k["key"] == "2b714d3ec93c14e5d345003e59027aea") {
      found = true;
      EXPECT_EQ(k["rolling_start_interval_number"], 2646801);
      EXPECT_EQ(k["rolling_period"], 89);
      EXPECT_EQ(k["transmission_risk_level"], 2);
      EXPECT_EQ(k["report_type"], "UNKNOWN");
      EXPECT_TRUE(k["days_since_onset_of_symptoms"].is_null());
    }
  }
  EXPECT_TRUE(found);
}

TEST(CliExport, VerifyConformanceArchives) {
  auto ok =
      run_command(kCli + " export verify " + kServerZip + " --public-key some_id-1=" + kServerPub);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "valid\n");
  // Base64 text instead of a file, and two keys of which one matches.
  auto two = run_command(
      kCli + " export verify " + kInternalsZip + " --public-key some_id-1=" + kServerPub +
      " --public-key "
      "310-v1=MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE49JY6kekDgxj3Crm4y6kEHdfoKQFSNDM4mV9cgDb+"
      "e5nOAw0GeRoRThCu9/wX5wDT2QloFoOjl2pGZHI0f3C3w==");
  EXPECT_EQ(two.exit_code, 0) << two.err;

  auto wrong = run_command(kCli + " export verify " + kServerZip +
                           " --public-key some_id-1=" + kInternalsPub);
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_EQ(wrong.err, "exposure: " + kServerZip + ": signature by some_id-1 does not verify\n");
  auto unknown = run_command(kCli + " export verify " + kInternalsZip +
                             " --public-key some_id-1=" + kServerPub);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "exposure: " + kInternalsZip + ": no signature by some_id-1\n");
}

TEST(CliExport, VerifyMalformedAndUsageErrors) {
  testing::TempDir dir;
  write_text(dir.file("junk.zip"), "PK\x03\x04 not really");
  auto junk = run_command(kCli + " export verify " + dir.file("junk.zip") +
                          " --public-key a-1=" + kServerPub);
  EXPECT_EQ(junk.exit_code, 1);
  EXPECT_NE(junk.err.find("not a valid zip archive"), std::string::npos) << junk.err;

  struct Case {
    std::string args, error;
  } cases[] = {
      {"export verify " + kServerZip, "--public-key is required"},
      {"export verify " + kServerZip + " --public-key some_id-1",
       "--public-key: expected ID-VERSION=PEM"},
      {"export verify " + kServerZip + " --public-key nodash=" + kServerPub,
       "--public-key: key name 'nodash'"},
      {"export verify " + kServerZip + " --public-key a-1=garbage", "--public-key: public key a-1"},
      {"export verify /nonexistent.zip --public-key a-1=" + kServerPub, "/nonexistent.zip"},
      {"export inspect", "FILE is required"},
      {"export", "A subcommand is required"},
  };
  for (const auto& c : cases) {
    auto r = run_command(kCli + " " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.error), std::string::npos) << c.args << " -> " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(CliExport, KeygenThenSignThenVerify) {
  testing::TempDir dir;
  std::string priv = dir.file("signing.pem"), pub = dir.file("signing.pub.pem");
  auto keygen = run_command(kCli + " keygen --private " + priv + " --public " + pub);
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  struct stat st {};
  ASSERT_EQ(stat(priv.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again =
      run_command(kCli + " keygen --private " + priv + " --public " + dir.file("other.pem"));
  EXPECT_EQ(again.exit_code, 1);  // never overwrites a key

  std::string out = dir.file("batch.zip");
  auto sign =
      run_command(kCli + " export sign --keys " + kServerKeys + " --private-key " + priv +
                  " --key-id 999 --key-version v2 --region DE --start 1000 --end 2000 -o " + out);
  ASSERT_EQ(sign.exit_code, 0) << sign.err;
  EXPECT_EQ(sign.out, out + "\n");
  auto verify = run_command(kCli + " export verify " + out + " --public-key 999-v2=" + pub);
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  auto other_key =
      run_command(kCli + " export verify " + out + " --public-key 999-v2=" + kServerPub);
  EXPECT_EQ(other_key.exit_code, 1);

  auto inspect = run_command(kCli + " export inspect " + out + " --keys");
  ASSERT_EQ(inspect.exit_code, 0);
  json j = json::parse(inspect.out);
  EXPECT_EQ(j["region"], "DE");
  EXPECT_EQ(j["start_timestamp"], 1000);
  EXPECT_EQ(j["end_timestamp"], 2000);
  ASSERT_EQ(j["keys"].size(), 2u);
  EXPECT_EQ(j["keys"][0]["key"], "172fc480e598490c34177604339b1543");
  EXPECT_EQ(j["keys"][0]["rolling_period"], 1);
  EXPECT_EQ(j["keys"][0]["transmission_risk_level"], 8);
  EXPECT_EQ(j["keys"][1]["rolling_start_interval_number"], 2649866);
}

TEST(CliExport, SignReproducesTheReferenceExportBin) {
  testing::TempDir dir;
  std::string out = dir.file("us.zip");
  auto sign = run_command(
      kCli + " export sign --keys " + kServerKeys + " --private-key " + kServerPriv +
      " --key-id some_id --key-version 1 --region US --start 1590159600 --end 1590246000 -o " +
      out);
  ASSERT_EQ(sign.exit_code, 0) << sign.err;
  auto ours = json::parse(run_command(kCli + " export inspect " + out + " --keys").out);
  auto reference = json::parse(run_command(kCli + " export inspect " + kServerZip + " --keys").out);
  EXPECT_EQ(ours["export_bin_sha256"], reference["export_bin_sha256"]);
  EXPECT_EQ(ours["keys"], reference["keys"]);
  EXPECT_EQ(run_command(kCli + " export verify " + out + " --public-key some_id-1=" + kServerPub)
                .exit_code,
            0);
}

TEST(CliExport, SignSplitsIntoNumberedFiles) {
  testing::TempDir dir;
  json keys = {{"temporaryExposureKeys", json::array()}};
  for (int i = 0; i < 5; ++i) {
    std::string b64 = std::string(1, static_cast<char>('A' + i)) + "AAAAAAAAAAAAAAAAAAAAA==";
    keys["temporaryExposureKeys"].push_back({{"key", b64},
                                             {"rollingStartNumber", 2650032},
                                             {"rollingPeriod", 144},
                                             {"transmissionRisk", 3},
                                             {"reportType", "confirmed"},
                                             {"daysSinceOnsetOfSymptoms", -2}});
  }
  write_text(dir.file("keys.json"), keys.dump());
  auto sign = run_command(
      kCli + " export sign --keys " + dir.file("keys.json") + " --private-key " + kServerPriv +
      " --key-id some_id --key-version 1 --region US --start 10 --end 20 --max-records 2 -o " +
      dir.file("out.zip"));
  ASSERT_EQ(sign.exit_code, 0) << sign.err;
  EXPECT_EQ(sign.out, dir.file("out-00001.zip") + "\n" + dir.file("out-00002.zip") + "\n" +
                          dir.file("out-00003.zip") + "\n");
  for (int f = 1; f <= 3; ++f) {
    std::string file = dir.file("out-0000" + std::to_string(f) + ".zip");
    auto j = json::parse(run_command(kCli + " export inspect " + file + " --keys").out);
    EXPECT_EQ(j["end_timestamp"], 20 + f);
    EXPECT_EQ(j["key_count"], f < 3 ? 2 : 1);
    EXPECT_EQ(j["keys"][0]["report_type"], "CONFIRMED_TEST");
    EXPECT_EQ(j["keys"][0]["days_since_onset_of_symptoms"], -2);
  }
}

TEST(CliExport, SignRejectsBadKeysAndArguments) {
  testing::TempDir dir;
  write_text(
      dir.file("bad.json"),
      R"({"temporaryExposureKeys":[{"key":"Fy/EgOWYSQw0F3YEM5sVQw==","rollingStartNumber":1,"rollingPeriod":1},)"
      R"({"key":"K2MFOsSDI43hdhaehh89zQ==","rollingStartNumber":2,"rollingPeriod":200}]})");
  std::string base = kCli + " export sign --private-key " + kServerPriv +
                     " --key-id a --key-version b --region US -o " + dir.file("o.zip");
  auto bad = run_command(base + " --keys " + dir.file("bad.json"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "exposure: " + dir.file("bad.json") +
                         ": temporaryExposureKeys[1]: rollingPeriod: 200 out of range 1..144\n");
  write_text(dir.file("notjson.json"), "{");
  EXPECT_EQ(run_command(base + " --keys " + dir.file("notjson.json")).exit_code, 1);
  write_text(dir.file("huge.json"), R"({"temporaryExposureKeys":[8E949]})");
  auto huge = run_command(base + " --keys " + dir.file("huge.json"));
  EXPECT_EQ(huge.exit_code, 1);
  EXPECT_EQ(huge.err, "exposure: " + dir.file("huge.json") + ": invalid JSON: a number is out of range\n");

  auto bad_id =
      run_command(kCli + " export sign --keys " + kServerKeys + " --private-key " + kServerPriv +
                  " --key-id a-b --key-version 1 --region US -o " + dir.file("o.zip"));
  EXPECT_EQ(bad_id.exit_code, 2);
  EXPECT_NE(bad_id.err.find("--key-id"), std::string::npos);
  auto half_window = run_command(base + " --keys " + kServerKeys + " --start 5");
  EXPECT_EQ(half_window.exit_code, 2);
  EXPECT_NE(half_window.err.find("--start"), std::string::npos);
  auto not_a_key =
      run_command(kCli + " export sign --keys " + kServerKeys + " --private-key " + kServerKeys +
                  " --key-id a --key-version 1 --region US -o " + dir.file("o.zip"));
  EXPECT_EQ(not_a_key.exit_code, 2);
  EXPECT_NE(not_a_key.err.find("--private-key"), std::string::npos);
}

}  // namespace
}  // namespace exposure
