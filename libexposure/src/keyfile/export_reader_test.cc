// Reading the real conformance files, streaming, key validation and unknown fields.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "keyfile/export.pb.h"
#include "keyfile_test_support.h"

namespace exposure::keyfile {
namespace {

using namespace testing;

KeyData key_from_hex(const char* hex) { return *fixed_from_hex<16>(hex, "key"); }

bool sorted_by_bytes(const std::vector<DiagnosisKey>& keys) {
  return std::is_sorted(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    return std::memcmp(a.key_data.data(), b.key_data.data(), 16) < 0;
  });
}

TEST(ExportReader, Bare110KeyFileFromInternals) {
  auto contents = read_export_path(data_file_path(kBare110));
  ASSERT_TRUE(contents.ok()) << contents.status().to_string();
  EXPECT_EQ(contents->keys.size(), 110u);
  EXPECT_TRUE(contents->revised_keys.empty());
  EXPECT_EQ(contents->metadata.start_timestamp, 1588885200u);
  EXPECT_EQ(contents->metadata.end_timestamp, 1588890000u);
  EXPECT_EQ(contents->metadata.region, "US");
  EXPECT_EQ(contents->metadata.batch_num, 1);
  EXPECT_EQ(contents->metadata.batch_size, 1);
  // The legacy SignatureInfo holds only the obsolete field 2, which is skipped.
  ASSERT_EQ(contents->metadata.signature_infos.size(), 1u);
  EXPECT_EQ(contents->metadata.signature_infos[0], SignatureInfo{});
  EXPECT_TRUE(contents->signatures.empty());
  EXPECT_TRUE(sorted_by_bytes(contents->keys));

  auto tek = key_from_hex("2b714d3ec93c14e5d345003e59027aea");
  auto it = std::find_if(contents->keys.begin(), contents->keys.end(),
                         [&](const DiagnosisKey& k) { return k.key_data == tek; });
  ASSERT_NE(it, contents->keys.end());
  EXPECT_EQ(it->rolling_start_interval_number, 2646801u);
  EXPECT_EQ(it->rolling_period, 89u);
  EXPECT_EQ(it->transmission_risk_level, 2);
  EXPECT_EQ(it->report_type, ReportType::kUnknown);
  EXPECT_FALSE(it->days_since_onset_of_symptoms.has_value());
  // One key has no rolling_period on the wire and reads as 144.
  EXPECT_EQ(std::count_if(contents->keys.begin(), contents->keys.end(),
                          [](const DiagnosisKey& k) { return k.rolling_period == 144; }),
            1);
  EXPECT_EQ(to_hex(contents->digests.sha256).substr(0, 8), "9db8c7ad");
}

TEST(ExportReader, Bare200KeyFileFromInternals) {
  auto contents = read_export_path(data_file_path(kBare200));
  ASSERT_TRUE(contents.ok()) << contents.status().to_string();
  EXPECT_EQ(contents->keys.size(), 200u);
  EXPECT_EQ(contents->metadata.start_timestamp, 1588425586u);
  EXPECT_EQ(contents->metadata.end_timestamp, 1588857586u);
  EXPECT_EQ(contents->metadata.region, "US");
  EXPECT_TRUE(sorted_by_bytes(contents->keys));
  EXPECT_EQ(std::count_if(contents->keys.begin(), contents->keys.end(),
                          [](const DiagnosisKey& k) { return k.rolling_period == 144; }),
            2);
  std::map<int32_t, int> risk_levels;
  for (const auto& k : contents->keys) ++risk_levels[k.transmission_risk_level];
  EXPECT_EQ(risk_levels, (std::map<int32_t, int>{{0, 1}, {1, 29}, {2, 170}}));
  EXPECT_EQ(to_hex(contents->digests.sha256).substr(0, 8), "d29446b8");
}

TEST(ExportReader, ServerExampleArchiveKeysAndSignature) {
  auto contents = read_export_path(data_file_path(kServerArchive));
  ASSERT_TRUE(contents.ok()) << contents.status().to_string();
  EXPECT_EQ(contents->metadata.start_timestamp, 1590159600u);
  EXPECT_EQ(contents->metadata.end_timestamp, 1590246000u);
  EXPECT_EQ(contents->metadata.region, "US");
  ASSERT_EQ(contents->metadata.signature_infos.size(), 1u);
  SignatureInfo info{"some_id", "1", std::string(kEcdsaSha256Oid)};
  EXPECT_EQ(contents->metadata.signature_infos[0], info);
  ASSERT_EQ(contents->keys.size(), 2u);
  DiagnosisKey first{key_from_hex("172fc480e598490c34177604339b1543"), 2649980, 1, 8};
  DiagnosisKey second{key_from_hex("2b63053ac483238de176169e861f3dcd"), 2649866, 114, 1};
  EXPECT_EQ(contents->keys[0], first);
  EXPECT_EQ(contents->keys[1], second);
  ASSERT_EQ(contents->signatures.size(), 1u);
  EXPECT_EQ(contents->signatures[0].info, info);
  EXPECT_EQ(contents->signatures[0].batch_num, 1);
  EXPECT_EQ(contents->signatures[0].batch_size, 1);
  EXPECT_EQ(to_hex(contents->signatures[0].signature),
            "30460221009eb6e9d5ad6a688fa970b0e67c0886345eefdd1819592edd84604a1ccf4d0247022100906d7f"
            "cdf211c710f84a2a7917000573bef0ef27a4974129de2876ac6819f66a");
  EXPECT_EQ(contents->digests.sha256, crypto::sha256(*from_hex(kServerExportBinHex)));
}

TEST(ExportReader, InternalsSampleArchiveFromPathAndFromBytesAgree) {
  auto from_path = read_export_path(data_file_path(kInternalsArchive));
  ASSERT_TRUE(from_path.ok()) << from_path.status().to_string();
  Bytes archive = read_data_file(kInternalsArchive);
  auto from_bytes = read_export_bytes(archive);
  ASSERT_TRUE(from_bytes.ok()) << from_bytes.status().to_string();
  EXPECT_EQ(from_path->keys.size(), 140u);
  EXPECT_EQ(from_path->keys, from_bytes->keys);
  EXPECT_EQ(from_path->metadata, from_bytes->metadata);
  EXPECT_EQ(from_path->metadata.start_timestamp, 1593633600u);
  EXPECT_EQ(from_path->metadata.end_timestamp, 1593633900u);
  EXPECT_EQ(from_path->metadata.signature_infos[0].key_id, "310");
  EXPECT_EQ(from_path->metadata.signature_infos[0].key_version, "v1");
  std::map<int32_t, int> risk_levels;
  for (const auto& key : from_path->keys) {
    ++risk_levels[key.transmission_risk_level];
    EXPECT_EQ(key.rolling_period, 144u);
    EXPECT_EQ(key.rolling_start_interval_number % 144, 0u);
  }
  EXPECT_EQ(risk_levels,
            (std::map<int32_t, int>{{3, 28}, {4, 56}, {5, 14}, {6, 14}, {7, 14}, {8, 14}}));
  EXPECT_EQ(to_hex(from_path->digests.sha256).substr(0, 8), "1df2d78a");
  // The digest covers the whole export.bin, header included.
  EXPECT_EQ(from_path->digests.sha256, crypto::sha256(zip_entry(archive, "export.bin")));
}

TEST(ExportReader, BareFileFromBytesMatchesPath) {
  Bytes bytes = read_data_file(kBare200);
  auto a = read_export_bytes(bytes);
  auto b = read_export_path(data_file_path(kBare200));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->keys, b->keys);
}

TEST(ExportReader, StreamsWithoutReadingAheadOfTheKeys) {
  std::vector<DiagnosisKey> keys;
  for (uint32_t i = 0; i < 100000; ++i) {
    DiagnosisKey k = sample_key(static_cast<uint8_t>(i));
    std::memcpy(k.key_data.data() + 4, &i, sizeof i);
    keys.push_back(k);
  }
  SigningKey signer = server_example_signer();
  auto archives = build_export_archives({"US", 1, 2}, keys, {}, std::span(&signer, 1));
  ASSERT_TRUE(archives.ok());
  ASSERT_EQ(archives->size(), 1u);
  const Bytes& archive = archives->front();
  uint64_t total = zip_entry(archive, "export.bin").size();
  ASSERT_GT(total, 2'000'000u);

  auto reader = ExportReader::open_bytes(archive);
  ASSERT_TRUE(reader.ok());
  auto first = (*reader)->next();
  ASSERT_TRUE(first.ok() && first->has_value());
  // Only the first chunk has been inflated.
  EXPECT_LT((*reader)->export_bin_bytes_read(), 200'000u);
  size_t count = 1;
  std::vector<KeyData> read_back{(*first)->key.key_data};
  while (true) {
    auto r = (*reader)->next();
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    if (!r->has_value()) break;
    EXPECT_EQ((*r)->index, count);
    read_back.push_back((*r)->key.key_data);
    ++count;
  }
  EXPECT_EQ(count, keys.size());
  // Keys inside a buffered chunk and keys straddling two chunks read back the same (the
  // archive holds them in its own order).
  std::vector<KeyData> written;
  for (const DiagnosisKey& k : keys) written.push_back(k.key_data);
  std::sort(written.begin(), written.end());
  std::sort(read_back.begin(), read_back.end());
  EXPECT_TRUE(read_back == written);
  EXPECT_TRUE((*reader)->finished());
  EXPECT_EQ((*reader)->export_bin_bytes_read(), total);
}

// export.bin with hand-built keys, some invalid, through the generated classes.
Bytes export_bin_with(const std::vector<pb::TemporaryExposureKey>& keys, std::string extra = {}) {
  pb::TemporaryExposureKeyExport message;
  message.set_region("DE");
  for (const auto& k : keys) *message.add_keys() = k;
  std::string bin = std::string(kExportBinHeader) + message.SerializeAsString() + extra;
  return Bytes(bin.begin(), bin.end());
}

pb::TemporaryExposureKey good_proto_key(uint8_t b) {
  pb::TemporaryExposureKey k;
  k.set_key_data(std::string(16, static_cast<char>(b)));
  k.set_rolling_start_interval_number(2650000);
  k.set_transmission_risk_level(4);
  return k;
}

TEST(ExportReader, InvalidKeysAreReportedWithTheirIndexAndReadingContinues) {
  std::vector<pb::TemporaryExposureKey> keys;
  keys.push_back(good_proto_key(1));
  auto bad = [&](auto change) {
    auto k = good_proto_key(2);
    change(k);
    keys.push_back(k);
  };
  bad([](auto& k) { k.set_rolling_period(0); });
  bad([](auto& k) { k.set_rolling_period(145); });
  bad([](auto& k) { k.set_transmission_risk_level(9); });
  bad([](auto& k) { k.set_key_data(std::string(15, 'x')); });
  bad([](auto& k) { k.clear_key_data(); });
  bad([](auto& k) { k.set_days_since_onset_of_symptoms(15); });
  bad([](auto& k) { k.set_days_since_onset_of_symptoms(-15); });
  bad([](auto& k) { k.set_report_type(6); });
  bad([](auto& k) { k.set_rolling_start_interval_number(-1); });
  keys.push_back(good_proto_key(3));
  const char* expected[] = {
      "keys[1]: rolling_period 0 out of range 1..144",
      "keys[2]: rolling_period 145 out of range 1..144",
      "keys[3]: transmission_risk_level 9 out of range 0..8",
      "keys[4]: key_data has 15 bytes, expected 16",
      "keys[5]: key_data missing",
      "keys[6]: days_since_onset_of_symptoms 15 out of range -14..14",
      "keys[7]: days_since_onset_of_symptoms -15 out of range -14..14",
      "keys[8]: report_type 6 is not a known report type",
      "keys[9]: rolling_start_interval_number -1 is negative",
  };
  Bytes bin = export_bin_with(keys);
  auto reader = ExportReader::open_bytes(bin);
  ASSERT_TRUE(reader.ok());
  auto first = (*reader)->next();
  ASSERT_TRUE(first.ok() && first->has_value());
  for (const char* message : expected) {
    auto r = (*reader)->next();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kMalformed);
    EXPECT_EQ(r.status().message(), message);
    EXPECT_FALSE((*reader)->stream_failed());
  }
  auto last = (*reader)->next();
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->index, 10u);
  EXPECT_EQ((*last)->key.key_data[0], 3);
  auto end = (*reader)->next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());

  auto whole = read_export_bytes(bin);
  EXPECT_EQ(whole.status().message(), expected[0]);
}

TEST(ExportReader, DefaultsAndOptionalFields) {
  auto k = good_proto_key(7);
  k.set_report_type(3);
  k.set_days_since_onset_of_symptoms(-14);
  k.set_variant_of_concern(2);
  auto contents = read_export_bytes(export_bin_with({k}));
  ASSERT_TRUE(contents.ok()) << contents.status().to_string();
  ASSERT_EQ(contents->keys.size(), 1u);
  EXPECT_EQ(contents->keys[0].rolling_period, 144u);
  EXPECT_EQ(contents->keys[0].report_type, ReportType::kSelfReport);
  EXPECT_EQ(contents->keys[0].days_since_onset_of_symptoms, -14);
  EXPECT_FALSE(contents->metadata.batch_num.has_value());
}

TEST(ExportReader, SkipsUnknownFieldsAndReadsMetadataAfterTheKeys) {
  auto k = good_proto_key(9);
  // An unknown field inside the key (field 12, varint 5).
  std::string key_bytes = k.SerializeAsString() + std::string("\x60\x05", 2);
  std::string extra;
  extra += std::string("\x42", 1) + static_cast<char>(key_bytes.size()) + key_bytes;  // revised key
  extra += std::string("\x98\x06\x01", 3);  // field 99, varint 1
  extra += std::string(
      "\x4a\x03"
      "abc",
      5);  // field 9, 3 bytes
  extra += std::string(
      "\x1a\x02"
      "FR",
      4);                                           // region again, after the keys
  extra += std::string("\x0d\x01\x02\x03\x04", 5);  // field 1 as fixed32: wrong type
  auto reader = ExportReader::open_bytes(export_bin_with({k}, extra.substr(0, extra.size() - 5)));
  ASSERT_TRUE(reader.ok());
  std::vector<ExportKeyRecord> records;
  for (;;) {
    auto r = (*reader)->next();
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    if (!r->has_value()) break;
    records.push_back(**r);
  }
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].list, KeyList::kKeys);
  EXPECT_EQ(records[1].list, KeyList::kRevisedKeys);
  EXPECT_EQ(records[1].index, 0u);
  EXPECT_EQ(records[1].key, records[0].key);
  EXPECT_EQ((*reader)->metadata().region, "FR");

  // A known field with the wrong wire type is malformed, and the error is final.
  auto wrong = ExportReader::open_bytes(export_bin_with({k}, extra));
  ASSERT_TRUE(wrong.ok());
  Status error;
  for (int i = 0; i < 3 && error.ok(); ++i) error = (*wrong)->next().status();
  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_NE(error.message().find("field 1 has wire type 5, expected 1 at offset"),
            std::string::npos)
      << error.message();
  EXPECT_TRUE((*wrong)->stream_failed());
  EXPECT_EQ((*wrong)->next().status().message(), error.message());
}

// Found by fuzz_export_bin: a tag varint of 9 bytes (its low 32 bits a valid unknown
// field) was skipped, though protobuf's parser rejects the file.
TEST(ExportReader, TagLongerThanFiveBytesIsMalformed) {
  auto k = good_proto_key(3);
  auto protobuf_accepts = [](const Bytes& bin) {
    pb::TemporaryExposureKeyExport message;
    return message.ParseFromArray(bin.data() + kExportBinHeader.size(),
                                  static_cast<int>(bin.size() - kExportBinHeader.size()));
  };
  // Tag of 9 bytes, then varint 1.
  Bytes bin = export_bin_with({k}, std::string("\x98\x9f\x9f\x9f\x9f\x9f\xdf\xfe\x28\x01", 10));
  EXPECT_FALSE(protobuf_accepts(bin));
  auto reader = ExportReader::open_bytes(bin);
  ASSERT_TRUE(reader.ok());
  Status error;
  for (int i = 0; i < 3 && error.ok(); ++i) error = (*reader)->next().status();
  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_NE(error.message().find("malformed field tag at offset"), std::string::npos) << error.message();
  EXPECT_TRUE((*reader)->stream_failed());

  // Five bytes are still a tag, for protobuf too: field 12 as varint, padded with zeros.
  Bytes padded = export_bin_with({k}, std::string("\xe0\x80\x80\x80\x00\x01", 6));
  EXPECT_TRUE(protobuf_accepts(padded));
  auto five = ExportReader::open_bytes(padded);
  ASSERT_TRUE(five.ok());
  auto first = (*five)->next();
  ASSERT_TRUE(first.ok() && first->has_value());
  auto end = (*five)->next();
  ASSERT_TRUE(end.ok()) << end.status().to_string();
  EXPECT_FALSE(end->has_value());
}

TEST(ExportReader, MissingFileIsAnIoError) {
  auto r = ExportReader::open_path("/nonexistent/export.zip");
  EXPECT_EQ(r.status().code(), ErrorCode::kIoError);
  EXPECT_NE(r.status().message().find("/nonexistent/export.zip"), std::string::npos);
}

}  // namespace
}  // namespace exposure::keyfile
