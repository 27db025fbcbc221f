#include "keyfile_test_support.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_vectors.h"

namespace exposure::keyfile::testing {

const char kServerExportBinHex[] =
    "454b204578706f72742076312020202009f0e8c75e0000000011703ac95e000000001a0255532001280132211a0131"
    "2207736f6d655f69642a13312e322e3834302e31303034352e342e332e323a1b0a10172fc480e598490c3417760433"
    "9b1543100818fcdea10120013a1b0a102b63053ac483238de176169e861f3dcd1001188adea1012072";

std::string data_file_path(const std::string& name) { return exposure::testing::data_path(name); }

Bytes read_data_file(const std::string& name) {
  std::string text = exposure::testing::read_text_file(data_file_path(name));
  EXPECT_FALSE(text.empty()) << name;
  return Bytes(text.begin(), text.end());
}

Bytes zip_entry(ByteView archive, const std::string& name) {
  auto zip = ZipReader::open_bytes(archive);
  if (!zip.ok()) {
    ADD_FAILURE() << zip.status().to_string();
    return {};
  }
  Status opened = (*zip)->open_entry(name);
  if (!opened.ok()) {
    ADD_FAILURE() << opened.to_string();
    return {};
  }
  Bytes out;
  uint8_t chunk[4096];
  int n;
  while ((n = (*zip)->read(chunk, sizeof chunk)) > 0) out.insert(out.end(), chunk, chunk + n);
  EXPECT_EQ(n, 0);
  EXPECT_TRUE((*zip)->close_entry().ok());
  return out;
}

std::vector<ZipEntryInfo> zip_listing(ByteView archive) {
  auto zip = ZipReader::open_bytes(archive);
  if (!zip.ok()) {
    ADD_FAILURE() << zip.status().to_string();
    return {};
  }
  auto entries = (*zip)->list_entries();
  EXPECT_TRUE(entries.ok());
  return entries.ok() ? *entries : std::vector<ZipEntryInfo>{};
}

Bytes make_zip(const std::vector<std::pair<std::string, Bytes>>& entries) {
  std::vector<ZipEntryData> data;
  for (const auto& [name, bytes] : entries) data.push_back({name, bytes});
  auto zip = write_zip(data, 6);
  EXPECT_TRUE(zip.ok());
  return zip.ok() ? *zip : Bytes{};
}

CosignSet single_key_set(const std::string& name, const std::string& pem_file) {
  CosignSet set;
  auto key = make_verification_key(name, read_data_file(pem_file));
  EXPECT_TRUE(key.ok()) << key.status().to_string();
  if (key.ok()) set.push_back(std::move(*key));
  return set;
}

SigningKey server_example_signer() {
  std::string pem = exposure::testing::read_text_file(data_file_path(kServerPrivatePem));
  auto key = crypto::EcPrivateKey::parse_pem(pem);
  EXPECT_TRUE(key.ok()) << key.status().to_string();
  return SigningKey{"some_id", "1", key.ok() ? std::move(*key) : crypto::EcPrivateKey::generate()};
}

DiagnosisKey sample_key(uint8_t first_byte, uint32_t rolling_period) {
  DiagnosisKey key;
  key.key_data.fill(0x11);
  key.key_data[0] = first_byte;
  key.rolling_start_interval_number = 2650000 + first_byte;
  key.rolling_period = rolling_period;
  key.transmission_risk_level = first_byte % 9;
  key.report_type = ReportType::kConfirmedTest;
  key.days_since_onset_of_symptoms = static_cast<int32_t>(first_byte % 29) - 14;
  return key;
}

void write_file(const std::string& path, ByteView data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  ASSERT_TRUE(out.good()) << path;
}

}  // namespace exposure::keyfile::testing
