// Every branch of the partner signature rule (partner_signatures.h), on archives built and
// signed by the library's writer.
#include "federation/partner_signatures.h"

#include <gtest/gtest.h>

#include "tests/fake_partner.h"

namespace exposure::server {
namespace {

using testing::signed_archive;
using testing::TestSigner;

PartnerKey partner_key(const TestSigner& s) {
  return PartnerKey{s.key.key_id + "-" + s.key.key_version, s.key.private_key.public_key().pem()};
}

Status check(const Bytes& archive, const std::vector<PartnerKey>& keys) {
  auto reader = keyfile::ExportReader::open_bytes(archive);
  if (!reader.ok()) return reader.status();
  while (true) {
    auto record = (*reader)->next();
    if (!record.ok()) return record.status();
    if (!record->has_value()) break;
  }
  return verify_partner_file(**reader, keys);
}

class PartnerSignatures : public ::testing::Test {
 protected:
  const TestSigner v1{"310", "v1"}, v2{"310", "v2"}, impostor_v2{"310", "v2"},
      stranger{"999", "v1"};
  const std::vector<DiagnosisKey> keys = testing::test_keys(4, 1773150000);
};

TEST_F(PartnerSignatures, SignedByTheConfiguredKeyPasses) {
  EXPECT_TRUE(check(signed_archive("JP", keys, {&v1}), {partner_key(v1)}).ok());
}

TEST_F(PartnerSignatures, DuringARotationEitherConfiguredKeyAloneOrBothPass) {
  const std::vector<PartnerKey> both = {partner_key(v1), partner_key(v2)};
  EXPECT_TRUE(check(signed_archive("JP", keys, {&v1}), both).ok());
  EXPECT_TRUE(check(signed_archive("JP", keys, {&v2}), both).ok());
  EXPECT_TRUE(check(signed_archive("JP", keys, {&v1, &v2}), both).ok());
}

TEST_F(PartnerSignatures, OneBadSignatureByAConfiguredKeyFailsAlthoughAnotherVerifies) {
  Status st =
      check(signed_archive("JP", keys, {&v1, &impostor_v2}), {partner_key(v1), partner_key(v2)});
  EXPECT_EQ(st.code(), ErrorCode::kVerificationFailed) << st.to_string();
  EXPECT_NE(st.message().find("310-v2"), std::string::npos) << st.message();
}

TEST_F(PartnerSignatures, SignaturesOfUnconfiguredKeysAreIgnored) {
  EXPECT_TRUE(check(signed_archive("JP", keys, {&stranger, &v1}), {partner_key(v1)}).ok());
}

TEST_F(PartnerSignatures, NoSignatureByAConfiguredKeyFailsNamingTheSigners) {
  Status st = check(signed_archive("JP", keys, {&stranger}), {partner_key(v1)});
  EXPECT_EQ(st.code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(st.message(), "no signature by a configured key of the partner (signed by 999-v1)");
}

TEST_F(PartnerSignatures, ADifferentKeyUnderTheConfiguredNameFails) {
  const TestSigner impostor_v1("310", "v1");
  Status st = check(signed_archive("JP", keys, {&impostor_v1}), {partner_key(v1)});
  EXPECT_EQ(st.code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(st.message(), "signature by 310-v1 does not verify");
}

TEST_F(PartnerSignatures, AnUnsignedArchiveFails) {
  Status st = check(signed_archive("JP", keys, {}), {partner_key(v1)});
  EXPECT_EQ(st.code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(st.message(), "unsigned: export.sig holds no signature");
}

TEST_F(PartnerSignatures, ASignatureWithoutKeyIdNamesNoKey) {
  const TestSigner anonymous("", "");
  Status st = check(signed_archive("JP", keys, {&anonymous}), {partner_key(v1)});
  EXPECT_EQ(st.code(), ErrorCode::kVerificationFailed);
  EXPECT_NE(st.message().find("(no key id)"), std::string::npos) << st.message();
}

TEST_F(PartnerSignatures, ATamperedArchiveFails) {
  Status st = check(testing::tampered_archive("JP", keys, v1), {partner_key(v1)});
  EXPECT_EQ(st.code(), ErrorCode::kVerificationFailed) << st.to_string();
}

TEST_F(PartnerSignatures, ABareExportBinIsRefused) {
  std::vector<DiagnosisKey> sorted = keys;
  keyfile::sort_by_key_bytes(sorted);
  keyfile::ExportMetadata m;
  m.region = "JP";
  Status st = check(keyfile::serialize_export_bin(m, sorted, {}), {partner_key(v1)});
  EXPECT_EQ(st.code(), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace exposure::server
