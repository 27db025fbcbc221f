// Signature verification on the real conformance archives and the device rules. Built once
// per crypto backend.
#include <gtest/gtest.h>
#include <sodium.h>

#include "keyfile_test_support.h"

namespace exposure::keyfile {
namespace {

using namespace testing;

Status verify(ByteView archive, const CosignSet& set) {
  return verify_export_bytes(archive, std::span(&set, 1));
}

TEST(ExportVerify, BackendIsTheExpectedOne) {
  EXPECT_STREQ(crypto::backend_name(), EXPOSURE_EXPECTED_BACKEND);
}

TEST(ExportVerify, ConformanceArchivesVerifyWithTheirKeysOnly) {
  CosignSet server = single_key_set(kServerKeyName, kServerPublicPem);
  CosignSet internals = single_key_set(kInternalsKeyName, kInternalsPublicPem);
  EXPECT_TRUE(verify_export_path(data_file_path(kServerArchive), std::span(&server, 1)).ok());
  EXPECT_TRUE(verify_export_path(data_file_path(kInternalsArchive), std::span(&internals, 1)).ok());

  Status wrong_name = verify(read_data_file(kServerArchive), internals);
  EXPECT_EQ(wrong_name.code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(wrong_name.message(), "no signature by 310-v1");

  // The other file's key under the name the signature carries: the ECDSA check fails.
  CosignSet impostor;
  impostor.push_back(*make_verification_key(kServerKeyName, read_data_file(kInternalsPublicPem)));
  Status bad = verify(read_data_file(kServerArchive), impostor);
  EXPECT_EQ(bad.code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(bad.message(), "signature by some_id-1 does not verify");
  CosignSet impostor2;
  impostor2.push_back(*make_verification_key(kInternalsKeyName, read_data_file(kServerPublicPem)));
  EXPECT_EQ(verify(read_data_file(kInternalsArchive), impostor2).message(),
            "signature by 310-v1 does not verify");

  // Any of several cosign sets may verify.
  std::vector<CosignSet> sets;
  sets.push_back(single_key_set(kServerKeyName, kServerPublicPem));
  sets.push_back(single_key_set(kInternalsKeyName, kInternalsPublicPem));
  EXPECT_TRUE(verify_export_bytes(read_data_file(kInternalsArchive), sets).ok());
  EXPECT_TRUE(verify_export_bytes(read_data_file(kServerArchive), sets).ok());
}

// Re-zips `bin` with the archive's original export.sig.
Bytes with_export_bin(const std::string& archive_file, const Bytes& bin) {
  Bytes sig = zip_entry(read_data_file(archive_file), "export.sig");
  return *write_export_archive(bin, sig);
}

// Flips the lowest bit of every `stride`-th byte of export.bin (all of the first 64).
void expect_flipped_bytes_fail(const std::string& archive_file, const CosignSet& set,
                               size_t stride) {
  Bytes bin = zip_entry(read_data_file(archive_file), "export.bin");
  ASSERT_FALSE(bin.empty());
  ASSERT_TRUE(verify(with_export_bin(archive_file, bin), set).ok());
  for (size_t i = 0; i < bin.size(); i += i < 64 ? 1 : stride) {
    Bytes flipped = bin;
    flipped[i] ^= 0x01;
    Status s = verify(with_export_bin(archive_file, flipped), set);
    EXPECT_FALSE(s.ok()) << "byte " << i;
  }
  // Inside a key's bytes the file still parses: the signature check is what rejects it.
  Bytes in_key = bin;
  in_key[bin.size() - 10] ^= 0x80;
  EXPECT_EQ(verify(with_export_bin(archive_file, in_key), set).code(),
            ErrorCode::kVerificationFailed);
}

TEST(ExportVerify, OneFlippedByteAnywhereInExportBinFails) {
  expect_flipped_bytes_fail(kServerArchive, single_key_set(kServerKeyName, kServerPublicPem), 1);
  expect_flipped_bytes_fail(kInternalsArchive,
                            single_key_set(kInternalsKeyName, kInternalsPublicPem), 7);
}

TEST(ExportVerify, SignatureCoversTheHeaderToo) {
  // The same protobuf with a different (rejected) header cannot verify: checked by the
  // flipped-byte test; here the digest the reader computed is over header + protobuf.
  auto contents = read_export_path(data_file_path(kServerArchive));
  ASSERT_TRUE(contents.ok());
  Bytes bin = *from_hex(kServerExportBinHex);
  EXPECT_EQ(contents->digests.sha256, crypto::sha256(bin));
  CosignSet set = single_key_set(kServerKeyName, kServerPublicPem);
  EXPECT_TRUE(set[0].key.verify_sha256(bin, contents->signatures[0].signature));
  EXPECT_FALSE(
      set[0].key.verify_sha256(ByteView(bin).subspan(16), contents->signatures[0].signature));
}

TEST(ExportVerify, ReadAndVerifyInOnePass) {
  auto reader = ExportReader::open_path(data_file_path(kInternalsArchive));
  ASSERT_TRUE(reader.ok());
  CosignSet set = single_key_set(kInternalsKeyName, kInternalsPublicPem);
  EXPECT_EQ(verify_signatures(**reader, std::span(&set, 1)).code(), ErrorCode::kFailedPrecondition);
  size_t keys = 0;
  while (true) {
    auto r = (*reader)->next();
    ASSERT_TRUE(r.ok());
    if (!r->has_value()) break;
    ++keys;
  }
  EXPECT_EQ(keys, 140u);
  EXPECT_TRUE(verify_signatures(**reader, std::span(&set, 1)).ok());

  auto bare = ExportReader::open_path(data_file_path(kBare110));
  ASSERT_TRUE(bare.ok());
  while ((*bare)->next().value().has_value()) {
  }
  EXPECT_EQ(verify_signatures(**bare, std::span(&set, 1)).message(),
            "a bare export.bin carries no signature");
}

// A signed file built by hand, so the signature list can break the rules.
struct Fixture {
  SigningKey signer = server_example_signer();
  ExportMetadata metadata;
  Bytes bin;
  ExportDigests digests;
  CosignSet set = single_key_set(kServerKeyName, kServerPublicPem);

  Fixture() {
    metadata.region = "US";
    metadata.batch_num = 1;
    metadata.batch_size = 1;
    metadata.signature_infos.push_back(signature_info_for(signer));
    rebuild();
  }
  void rebuild() {
    bin = serialize_export_bin(metadata, std::vector{sample_key(1)}, {});
    digests.sha256 = crypto::sha256(bin);
  }
  std::vector<TekSignature> signatures() { return sign_export_bin(bin, std::span(&signer, 1)); }
  Status check(const std::vector<TekSignature>& signatures) {
    return verify_signatures(metadata, signatures, digests, std::span(&set, 1));
  }
};

TEST(ExportVerify, SignatureCountMustMatchSignatureInfos) {
  Fixture f;
  EXPECT_TRUE(f.check(f.signatures()).ok());
  auto two = f.signatures();
  two.push_back(two[0]);
  EXPECT_EQ(f.check(two).message(),
            "export.sig has 2 signatures but export.bin has 1 signature_infos");
  EXPECT_EQ(f.check(two).code(), ErrorCode::kMalformed);
  Status none = f.check({});
  EXPECT_EQ(none.code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(none.message(), "export.sig holds no signature (file is unsigned)");
}

TEST(ExportVerify, UnknownAlgorithmIsAnError) {
  Fixture f;
  auto s = f.signatures();
  s[0].info.algorithm = "1.2.840.113549.1.1.11";
  Status status = f.check(s);
  EXPECT_EQ(status.code(), ErrorCode::kUnsupported);
  EXPECT_EQ(status.message(), "signature 0: unknown algorithm OID '1.2.840.113549.1.1.11'");
}

TEST(ExportVerify, SignatureWithoutKeyIdOnlyWhenAlone) {
  Fixture f;
  auto s = f.signatures();
  s[0].info.key_id.clear();
  EXPECT_TRUE(f.check(s).ok());  // alone, and the set has exactly one key
  CosignSet two_keys = single_key_set(kServerKeyName, kServerPublicPem);
  two_keys.push_back(*make_verification_key("310-v1", read_data_file(kInternalsPublicPem)));
  EXPECT_EQ(verify_signatures(f.metadata, s, f.digests, std::span(&two_keys, 1)).message(),
            "a signature without key id needs a cosign set of exactly one key");
  f.metadata.signature_infos.push_back(f.metadata.signature_infos[0]);
  auto pair = s;
  pair.push_back(f.signatures()[0]);
  Status status = f.check(pair);
  EXPECT_EQ(status.code(), ErrorCode::kMalformed);
  EXPECT_EQ(status.message(),
            "signature 0 has no verification_key_id, allowed only when it is the only signature");
}

TEST(ExportVerify, CosignSetNeedsEveryKeyAndUnmatchedSignaturesAreIgnored) {
  Fixture f;
  CosignSet both = single_key_set(kServerKeyName, kServerPublicPem);
  both.push_back(*make_verification_key("310-v1", read_data_file(kInternalsPublicPem)));
  EXPECT_EQ(verify_signatures(f.metadata, f.signatures(), f.digests, std::span(&both, 1)).message(),
            "no signature by 310-v1");
  // An extra signature by an unknown key does not matter.
  SigningKey other{"999", "v9", crypto::EcPrivateKey::generate()};
  f.metadata.signature_infos.push_back(signature_info_for(other));
  f.rebuild();
  auto s = f.signatures();
  auto extra = sign_export_bin(f.bin, std::span(&other, 1));
  s.push_back(extra[0]);
  EXPECT_TRUE(f.check(s).ok());
}

TEST(ExportVerify, BatchRules) {
  Fixture f;
  struct Case {
    std::optional<int32_t> num, size;
    const char* error;
  } cases[] = {
      {1, 1, nullptr},
      {std::nullopt, std::nullopt, nullptr},
      {2, 3, nullptr},
      {std::nullopt, 1, "batch_size is set but batch_num is missing"},
      {0, 1, "batch_num 0 out of range 1..1"},
      {3, 2, "batch_num 3 out of range 1..2"},
      {1, 1000001, "batch_size 1000001 out of range 1..1000000"},
  };
  for (const auto& c : cases) {
    f.metadata.batch_num = c.num;
    f.metadata.batch_size = c.size;
    f.rebuild();
    Status s = f.check(f.signatures());
    if (c.error) {
      EXPECT_EQ(s.code(), ErrorCode::kMalformed);
      EXPECT_EQ(s.message(), c.error);
    } else {
      EXPECT_TRUE(s.ok()) << s.to_string();
    }
  }
}

TEST(ExportVerify, EcdsaWithSha512IsAccepted) {
  Fixture f;
  f.metadata.signature_infos[0].algorithm = std::string(kEcdsaSha512Oid);
  f.rebuild();
  std::array<uint8_t, 64> sha512{};
  crypto_hash_sha512(sha512.data(), f.bin.data(), f.bin.size());
  crypto::Digest256 truncated;
  std::copy_n(sha512.begin(), 32, truncated.begin());
  TekSignature sig{f.metadata.signature_infos[0], 1, 1,
                   f.signer.private_key.sign_digest(truncated)};
  Bytes archive = *write_export_archive(f.bin, serialize_export_sig(std::span(&sig, 1)));
  EXPECT_TRUE(verify(archive, f.set).ok());
  // The same signature labelled SHA-256 does not verify.
  sig.info.algorithm = std::string(kEcdsaSha256Oid);
  f.metadata.signature_infos[0].algorithm = sig.info.algorithm;
  f.rebuild();
  Bytes relabelled = *write_export_archive(f.bin, serialize_export_sig(std::span(&sig, 1)));
  EXPECT_EQ(verify(relabelled, f.set).code(), ErrorCode::kVerificationFailed);
}

TEST(ExportVerify, KeyConfiguration) {
  std::string b64 =
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE49JY6kekDgxj3Crm4y6kEHdfoKQFSNDM4mV9cgDb+"
      "e5nOAw0GeRoRThCu9/wX5wDT2QloFoOjl2pGZHI0f3C3w==";
  auto key = parse_verification_key("310-v1=" + b64);
  ASSERT_TRUE(key.ok()) << key.status().to_string();
  EXPECT_EQ(key->name, "310-v1");
  CosignSet set;
  set.push_back(std::move(*key));
  EXPECT_TRUE(verify(read_data_file(kInternalsArchive), set).ok());
  EXPECT_EQ(parse_verification_key("310v1=" + b64).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_verification_key("310-v1").status().message(), "expected ID-VERSION=KEY");
  EXPECT_EQ(parse_verification_key("-v1=" + b64).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_verification_key("310-v1=notakey").status().code(), ErrorCode::kInvalidArgument);
  std::vector<CosignSet> none;
  EXPECT_EQ(verify_export_bytes(read_data_file(kInternalsArchive), none).message(),
            "no public key configured");
}

}  // namespace
}  // namespace exposure::keyfile
