// The official GAEN v1.2 test vectors and the extra check values of the spec, run against
// whichever crypto backend this binary links (it is built once per backend).
#include "exposure/keys.h"

#include <gtest/gtest.h>

#include "exposure/crypto.h"
#include "support/test_vectors.h"

namespace exposure {
namespace {

KeyData key_from_hex(const std::string& hex) { return *fixed_from_hex<16>(hex, "key"); }

TEST(Keys, RunsOnTheExpectedBackend) {
  EXPECT_STREQ(crypto::backend_name(), EXPOSURE_EXPECTED_BACKEND);
}

TEST(Keys, OfficialVectorsDeriveRpikAndAemk) {
  auto v = testing::load_official_vectors();
  ASSERT_EQ(v.lines.size(), 144u);
  KeyData tek = key_from_hex(v.tek);
  EXPECT_EQ(to_hex(derive_rpi_key(tek).view()), v.rpik);
  EXPECT_EQ(to_hex(derive_aem_key(tek).view()), v.aemk);
}

TEST(Keys, OfficialVectorsAll144RpisOneByOneAndBatched) {
  auto v = testing::load_official_vectors();
  auto rpik = derive_rpi_key(key_from_hex(v.tek));
  std::vector<Rpi> batch(144);
  rolling_proximity_ids(rpik, v.start_interval, batch.size(), batch.data());
  for (size_t i = 0; i < v.lines.size(); ++i) {
    EXPECT_EQ(to_hex(rolling_proximity_id(rpik, v.lines[i].interval)), v.lines[i].rpi_hex) << i;
    EXPECT_EQ(to_hex(batch[i]), v.lines[i].rpi_hex) << i;
  }
}

TEST(Keys, OfficialVectorsAll144AemsEncryptAndDecrypt) {
  auto v = testing::load_official_vectors();
  KeyData tek = key_from_hex(v.tek);
  auto rpik = derive_rpi_key(tek);
  auto aemk = derive_aem_key(tek);
  MetadataBytes metadata = *fixed_from_hex<4>(v.metadata, "metadata");
  for (const auto& line : v.lines) {
    Rpi rpi = rolling_proximity_id(rpik, line.interval);
    Aem aem = encrypt_metadata(aemk, rpi, metadata);
    EXPECT_EQ(to_hex(aem), line.aem_hex) << line.interval;
    EXPECT_EQ(decrypt_metadata(aemk, rpi, aem), metadata);
  }
}

TEST(Keys, PaddedDataMatchesSpecExample) {
  EXPECT_EQ(to_hex(rpi_padded_data(2642976)), "454e2d52504900000000000020542800");
}

TEST(Keys, RoundTripCheckValueFromSpec) {
  // docs/crypto.md: a TEK from the internals sample export.bin.
  KeyData tek = key_from_hex("2b714d3ec93c14e5d345003e59027aea");
  auto rpik = derive_rpi_key(tek);
  EXPECT_EQ(to_hex(rpik.view()), "ba180639bdb38bde29520aeb2f6c887c");
  EXPECT_EQ(to_hex(rolling_proximity_id(rpik, 2646801)), "3d37caf51d1bf4ba54e758e0ac74c892");
}

TEST(Keys, TimeBaseMatchesSpecExample) {
  EXPECT_EQ(interval_number(1585785600), 2642976u);
  EXPECT_EQ(day_number(2642976), 18354);
  EXPECT_EQ(day_start_interval(2642976 + 143), 2642976u);
  EXPECT_EQ(day_start_interval(2642976 + 144), 2642976u + 144);
  EXPECT_EQ(interval_number(1585785600 + 599), 2642976u);
  EXPECT_EQ(interval_start_seconds(2642977), 1585785600 + 600);
}

TEST(Keys, GeneratedKeysAreAlignedAndDistinct) {
  auto a = generate_temporary_exposure_key(2642976 + 77);
  auto b = generate_temporary_exposure_key(2642976 + 77);
  EXPECT_EQ(a.rolling_start_interval_number, 2642976u);
  EXPECT_EQ(a.rolling_period, 144u);
  EXPECT_FALSE(a.key_data == b.key_data);
  EXPECT_TRUE(a.valid_at(2642976 + 143));
  EXPECT_FALSE(a.valid_at(2642976 + 144));
}

TEST(Metadata, EncodesVersionTxPowerAndConfidence) {
  BluetoothMetadata m{.major_version = 1, .minor_version = 1,
                      .calibration_confidence = CalibrationConfidence::kHigh, .tx_power_dbm = -15};
  MetadataBytes bytes = m.encode();
  EXPECT_EQ(to_hex(bytes), "5cf10000");
  EXPECT_EQ(BluetoothMetadata::decode(bytes), m);
  auto official = BluetoothMetadata::decode({0x40, 0x08, 0x00, 0x00});
  EXPECT_EQ(official.major_version, 1);
  EXPECT_EQ(official.minor_version, 0);
  EXPECT_EQ(official.tx_power_dbm, 8);
  EXPECT_EQ(BluetoothMetadata::decode({0x40, 0x80, 0, 0}).tx_power_dbm, -128);
}

}  // namespace
}  // namespace exposure
