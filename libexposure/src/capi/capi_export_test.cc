// Export files read and verified through the C ABI, with the server example's conformance
// archive (signed by key id "some_id", version "1").
#include "capi_test_support.h"

namespace exposure::capi_test {
namespace {

std::vector<uint8_t> archive_bytes() {
  std::string bytes = read_file(server_example_archive());
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

TEST(CapiExport, VerifiesTheConformanceArchive) {
  exposure_public_key key = server_example_public_key();
  EXPECT_C_OK(exposure_verify_export_file(server_example_archive().c_str(), &key, 1));
  std::vector<uint8_t> bytes = archive_bytes();
  EXPECT_C_OK(exposure_verify_export_bytes(bytes.data(), bytes.size(), &key, 1));
}

TEST(CapiExport, AnotherKeyOrNameDoesNotVerify) {
  const std::string other = read_file(data_path("internals-sample-140-keys.public-310-v1.pem"));
  exposure_public_key wrong_key{kServerExampleKeyName, reinterpret_cast<const uint8_t*>(other.data()), other.size()};
  EXPECT_EQ(exposure_verify_export_file(server_example_archive().c_str(), &wrong_key, 1), EXPOSURE_VERIFICATION_FAILED);
  EXPECT_NE(std::string(exposure_last_error()).find("some_id-1"), std::string::npos) << exposure_last_error();
  EXPECT_NE(std::string(exposure_last_error()).find("server-example-2-keys.zip"), std::string::npos);

  exposure_public_key wrong_name = server_example_public_key();
  wrong_name.name = "other-1";
  EXPECT_EQ(exposure_verify_export_file(server_example_archive().c_str(), &wrong_name, 1), EXPOSURE_VERIFICATION_FAILED);

  // Either key of two cosign sets is enough.
  exposure_public_key both[] = {wrong_key, server_example_public_key()};
  both[0].name = "310-v1";
  EXPECT_C_OK(exposure_verify_export_file(server_example_archive().c_str(), both, 2));
}

TEST(CapiExport, BadInputsAreReported) {
  exposure_public_key key = server_example_public_key();
  std::vector<uint8_t> bytes = archive_bytes();
  EXPECT_EQ(exposure_verify_export_bytes(bytes.data(), bytes.size() / 2, &key, 1), EXPOSURE_MALFORMED);
  EXPECT_NE(std::string(exposure_last_error()), "");
  EXPECT_EQ(exposure_verify_export_file(server_example_archive().c_str(), &key, 0), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "no public key given to verify with");
  exposure_public_key bad = key;
  bad.key_length = 20;
  EXPECT_EQ(exposure_verify_export_file(server_example_archive().c_str(), &bad, 1), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_EQ(std::string(exposure_last_error()).rfind("public_keys[0]: ", 0), 0u) << exposure_last_error();
  EXPECT_EQ(exposure_verify_export_file("/nonexistent/export.zip", &key, 1), EXPOSURE_IO_ERROR);
  EXPECT_NE(std::string(exposure_last_error()).find("/nonexistent/export.zip"), std::string::npos);
}

TEST(CapiExport, ReadsTheKeys) {
  exposure_diagnosis_key* keys = nullptr;
  size_t count = 0;
  ASSERT_C_OK(exposure_read_export_file(server_example_archive().c_str(), &keys, &count));
  std::vector<exposure_diagnosis_key> read = take_diagnosis_keys(keys, count);
  ASSERT_EQ(read.size(), 2u);
  // The publish request the archive was made from: Fy/EgOWYSQw0F3YEM5sVQw== (2649980, 1, TRL 8)
  // and K2MFOsSDI43hdhaehh89zQ== (2649866, 114, TRL 1).
  const exposure_diagnosis_key* first = &read[0];
  const exposure_diagnosis_key* second = &read[1];
  if (to_hex(first->key_data, 16) != "172fc480e598490c34177604339b1543") std::swap(first, second);
  EXPECT_EQ(to_hex(first->key_data, 16), "172fc480e598490c34177604339b1543");
  EXPECT_EQ(first->rolling_start_interval_number, 2649980u);
  EXPECT_EQ(first->rolling_period, 1u);
  EXPECT_EQ(first->transmission_risk_level, 8);
  EXPECT_EQ(to_hex(second->key_data, 16), kServerExampleKeyHex);
  EXPECT_EQ(second->rolling_start_interval_number, kServerExampleKeyStart);
  EXPECT_EQ(second->rolling_period, 114u);
  EXPECT_EQ(second->transmission_risk_level, 1);
  EXPECT_EQ(second->has_days_since_onset, 0);

  std::vector<uint8_t> bytes = archive_bytes();
  ASSERT_C_OK(exposure_read_export_bytes(bytes.data(), bytes.size(), &keys, &count));
  EXPECT_EQ(take_diagnosis_keys(keys, count).size(), 2u);
}

}  // namespace
}  // namespace exposure::capi_test
