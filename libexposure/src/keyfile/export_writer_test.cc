// The writer reproduces the reference server's bytes and its split rule; archives it signs
// verify and read back.
#include <gtest/gtest.h>

#include <algorithm>

#include "keyfile_test_support.h"

namespace exposure::keyfile {
namespace {

using namespace testing;

ExportMetadata server_example_metadata() {
  ExportMetadata m;
  m.start_timestamp = 1590159600;
  m.end_timestamp = 1590246000;
  m.region = "US";
  m.batch_num = 1;
  m.batch_size = 1;
  m.signature_infos.push_back({"some_id", "1", std::string(kEcdsaSha256Oid)});
  return m;
}

std::vector<DiagnosisKey> server_example_keys() {
  auto contents = read_export_path(data_file_path(kServerArchive));
  EXPECT_TRUE(contents.ok());
  return contents.ok() ? contents->keys : std::vector<DiagnosisKey>{};
}

TEST(ExportWriter, ExportBinIsByteIdenticalToTheReferenceServer) {
  std::vector<DiagnosisKey> keys = server_example_keys();
  ASSERT_EQ(keys.size(), 2u);
  std::reverse(keys.begin(), keys.end());
  sort_by_key_bytes(keys);
  Bytes bin = serialize_export_bin(server_example_metadata(), keys, {});
  Bytes reference = zip_entry(read_data_file(kServerArchive), "export.bin");
  ASSERT_EQ(reference.size(), 135u);
  EXPECT_EQ(to_hex(bin), to_hex(reference));
  EXPECT_EQ(to_hex(bin), kServerExportBinHex);
}

TEST(ExportWriter, ResignedServerExampleVerifiesAndReadsBackIdentically) {
  std::vector<DiagnosisKey> keys = server_example_keys();
  SigningKey signer = server_example_signer();
  ExportBatch batch{"US", 1590159600, 1590246000};
  std::vector<DiagnosisKey> reversed(keys.rbegin(), keys.rend());
  auto archives = build_export_archives(batch, reversed, {}, std::span(&signer, 1));
  ASSERT_TRUE(archives.ok()) << archives.status().to_string();
  ASSERT_EQ(archives->size(), 1u);
  const Bytes& archive = archives->front();

  // Same export.bin as the reference server's; a fresh signature by the same key.
  EXPECT_EQ(to_hex(zip_entry(archive, "export.bin")), kServerExportBinHex);
  CosignSet set = single_key_set(kServerKeyName, kServerPublicPem);
  Status verified = verify_export_bytes(archive, std::span(&set, 1));
  EXPECT_TRUE(verified.ok()) << verified.to_string();

  auto contents = read_export_bytes(archive);
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(contents->keys, keys);
  EXPECT_EQ(contents->metadata, server_example_metadata());
  ASSERT_EQ(contents->signatures.size(), 1u);
  EXPECT_EQ(contents->signatures[0].info, server_example_metadata().signature_infos[0]);
  EXPECT_EQ(contents->signatures[0].batch_num, 1);
  EXPECT_EQ(contents->signatures[0].batch_size, 1);
}

TEST(ExportWriter, ArchiveIsDeterministicDeflateWithZeroTimestamps) {
  SigningKey signer = server_example_signer();
  std::vector<DiagnosisKey> keys = {sample_key(3), sample_key(1), sample_key(2, 12)};
  auto a = build_export_archives({"DE", 10, 20}, keys, {}, std::span(&signer, 1));
  auto b = build_export_archives({"DE", 10, 20}, keys, {}, std::span(&signer, 1));
  ASSERT_TRUE(a.ok() && b.ok());
  auto listing = zip_listing(a->front());
  ASSERT_EQ(listing.size(), 2u);
  EXPECT_EQ(listing[0].name, "export.bin");
  EXPECT_EQ(listing[1].name, "export.sig");
  for (const auto& e : listing) {
    EXPECT_EQ(e.compression_method, 8) << e.name;
    EXPECT_EQ(e.dos_date, 0u) << e.name;
  }
  EXPECT_EQ(zip_entry(a->front(), "export.bin"), zip_entry(b->front(), "export.bin"));
  // Rebuilding the zip from the same entries gives the same bytes.
  Bytes bin = zip_entry(a->front(), "export.bin"), sig = zip_entry(a->front(), "export.sig");
  EXPECT_EQ(*write_export_archive(bin, sig), a->front());
}

TEST(ExportWriter, KeysAreSortedAndEncodedAsTheServerDoes) {
  SigningKey signer = server_example_signer();
  DiagnosisKey full = sample_key(0x80, 144);
  full.days_since_onset_of_symptoms = -1;  // ZigZag: 1
  full.report_type = ReportType::kRevoked;
  DiagnosisKey zero_start = sample_key(0x05, 30);
  zero_start.rolling_start_interval_number = 0;
  zero_start.days_since_onset_of_symptoms.reset();
  zero_start.report_type = ReportType::kUnknown;
  Bytes bin = serialize_export_bin({}, std::vector{zero_start, full}, {});
  // Key 1: key_data, TRL, no start (0), period 30, no report type, no onset.
  std::string hex = to_hex(bin);
  EXPECT_NE(hex.find("3a160a10" + to_hex(zero_start.key_data) +
                     "1005"
                     "201e"),
            std::string::npos)
      << hex;
  // Key 2: period 144 omitted, report type 5, onset -1 as ZigZag 1.
  std::string start =
      "18"
      "90e0a101";  // 2650000 + 0x80 = 2650128 as a varint
  EXPECT_NE(hex.find("0a10" + to_hex(full.key_data) + "1002" + start +
                     "2805"
                     "3001"),
            std::string::npos)
      << hex;

  auto archives =
      build_export_archives({"DE", 1, 2}, {full, zero_start}, {}, std::span(&signer, 1));
  ASSERT_TRUE(archives.ok());
  auto contents = read_export_bytes(archives->front());
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(contents->keys, (std::vector{zero_start, full}));
}

TEST(ExportWriter, SplitsIntoFilesWithDistinctEndTimestamps) {
  SigningKey signer = server_example_signer();
  std::vector<DiagnosisKey> keys, revised;
  for (uint8_t b : {9, 1, 7, 3, 5}) keys.push_back(sample_key(b));
  for (uint8_t b : {8, 2}) revised.push_back(sample_key(b));
  ExportBatch batch{"DE", 1000, 2000, 3};
  auto archives = build_export_archives(batch, keys, revised, std::span(&signer, 1));
  ASSERT_TRUE(archives.ok()) << archives.status().to_string();
  ASSERT_EQ(archives->size(), 3u);
  CosignSet set = single_key_set(kServerKeyName, kServerPublicPem);
  std::vector<std::vector<uint8_t>> firsts_keys, firsts_revised;
  for (size_t f = 0; f < 3; ++f) {
    EXPECT_TRUE(verify_export_bytes((*archives)[f], std::span(&set, 1)).ok());
    auto c = read_export_bytes((*archives)[f]);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->metadata.start_timestamp, 1000u);
    EXPECT_EQ(c->metadata.end_timestamp, 2000u + f + 1);
    EXPECT_EQ(c->metadata.batch_num, 1);
    EXPECT_EQ(c->metadata.batch_size, 1);
    std::vector<uint8_t> k, r;
    for (const auto& key : c->keys) k.push_back(key.key_data[0]);
    for (const auto& key : c->revised_keys) r.push_back(key.key_data[0]);
    firsts_keys.push_back(k);
    firsts_revised.push_back(r);
  }
  EXPECT_EQ(firsts_keys, (std::vector<std::vector<uint8_t>>{{1, 3, 5}, {7, 9}, {}}));
  EXPECT_EQ(firsts_revised, (std::vector<std::vector<uint8_t>>{{}, {2}, {8}}));

  // Exactly max records: one file, end timestamp unchanged.
  auto single = build_export_archives({"DE", 1000, 2000, 7}, keys, revised, std::span(&signer, 1));
  ASSERT_TRUE(single.ok());
  ASSERT_EQ(single->size(), 1u);
  EXPECT_EQ(read_export_bytes(single->front())->metadata.end_timestamp, 2000u);
}

TEST(ExportWriter, EverySignerSignsAndCosignSetsVerify) {
  std::vector<SigningKey> signers;
  signers.push_back(server_example_signer());
  signers.push_back({"310", "v2", crypto::EcPrivateKey::generate()});
  auto archives = build_export_archives({"US", 1, 2}, {sample_key(1)}, {}, signers);
  ASSERT_TRUE(archives.ok());
  auto contents = read_export_bytes(archives->front());
  ASSERT_TRUE(contents.ok());
  ASSERT_EQ(contents->metadata.signature_infos.size(), 2u);
  EXPECT_EQ(contents->metadata.signature_infos[1].key_id, "310");
  ASSERT_EQ(contents->signatures.size(), 2u);
  EXPECT_EQ(contents->signatures[1].info.key_version, "v2");

  CosignSet both = single_key_set(kServerKeyName, kServerPublicPem);
  both.push_back(
      *make_verification_key("310-v2", as_bytes(signers[1].private_key.public_key().pem())));
  EXPECT_TRUE(verify_export_bytes(archives->front(), std::span(&both, 1)).ok());
}

TEST(ExportWriter, RejectsBadInput) {
  SigningKey signer = server_example_signer();
  auto bad_period = build_export_archives({"US", 1, 2}, {sample_key(1), sample_key(2, 0)}, {},
                                          std::span(&signer, 1));
  EXPECT_EQ(bad_period.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_period.status().message(), "keys[1]: rolling_period 0 out of range 1..144");
  DiagnosisKey bad_trl = sample_key(1);
  bad_trl.transmission_risk_level = 9;
  auto revised = build_export_archives({"US", 1, 2}, {}, {bad_trl}, std::span(&signer, 1));
  EXPECT_EQ(revised.status().message(),
            "revised_keys[0]: transmission_risk_level 9 out of range 0..8");
  EXPECT_EQ(build_export_archives({"US", 1, 2}, {sample_key(1)}, {}, {}).status().message(),
            "no signing key");
  SigningKey bad_name{"a-b", "1", crypto::EcPrivateKey::generate()};
  EXPECT_EQ(build_export_archives({"US", 1, 2}, {sample_key(1)}, {}, std::span(&bad_name, 1))
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(build_export_archives({"US", 1, 2, 0}, {sample_key(1)}, {}, std::span(&signer, 1))
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  auto empty = build_export_archives({"US", 1, 2}, {}, {}, std::span(&signer, 1));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace exposure::keyfile
