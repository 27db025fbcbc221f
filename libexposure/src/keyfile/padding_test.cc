#include <gtest/gtest.h>

#include <set>

#include "keyfile_test_support.h"

namespace exposure::keyfile {
namespace {

using namespace testing;

TEST(PaddingKeys, FillsASmallBatchCopyingMetadataRoundRobin) {
  std::vector<DiagnosisKey> real = {sample_key(1), sample_key(2, 90), sample_key(3, 10)};
  real[2].days_since_onset_of_symptoms.reset();
  auto fake = make_padding_keys(real);
  size_t total = real.size() + fake.size();
  EXPECT_GE(total, 1000u);
  EXPECT_LE(total, 1100u);
  std::set<KeyData> distinct;
  for (const auto& k : real) distinct.insert(k.key_data);
  for (size_t i = 0; i < fake.size(); ++i) {
    DiagnosisKey expected = real[i % real.size()];
    expected.key_data = fake[i].key_data;
    EXPECT_EQ(fake[i], expected) << i;
    distinct.insert(fake[i].key_data);
  }
  EXPECT_EQ(distinct.size(), total);  // random keys, none repeated
}

TEST(PaddingKeys, TargetVariesWithinTheRange) {
  std::vector<DiagnosisKey> real = {sample_key(1)};
  std::set<size_t> sizes;
  for (int i = 0; i < 20; ++i) sizes.insert(make_padding_keys(real, 10, 100).size());
  EXPECT_GT(sizes.size(), 1u);
  for (size_t s : sizes) EXPECT_LE(s, 109u);
  EXPECT_EQ(make_padding_keys(real, 10, 0).size(), 9u);
}

TEST(PaddingKeys, NoPaddingWhenEmptyOrLargeEnoughAndCappedAtMax) {
  EXPECT_TRUE(make_padding_keys({}).empty());
  std::vector<DiagnosisKey> real(10, sample_key(4));
  EXPECT_TRUE(make_padding_keys(real, 10).empty());
  EXPECT_EQ(make_padding_keys(real, 1000, 100, 50).size(), 40u);
  EXPECT_TRUE(make_padding_keys(real, 1000, 100, 5).empty());
}

TEST(PaddingKeys, PaddedBatchBuildsAValidArchive) {
  std::vector<DiagnosisKey> real = {sample_key(1), sample_key(2)};
  auto fake = make_padding_keys(real);
  std::vector<DiagnosisKey> all = real;
  all.insert(all.end(), fake.begin(), fake.end());
  SigningKey signer = server_example_signer();
  auto archives = build_export_archives({"US", 1, 2}, all, {}, std::span(&signer, 1));
  ASSERT_TRUE(archives.ok());
  auto contents = read_export_bytes(archives->front());
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(contents->keys.size(), all.size());
}

}  // namespace
}  // namespace exposure::keyfile
