#include <gtest/gtest.h>

#include "exposure/ble.h"

namespace exposure {
namespace {

Rpi sample_rpi() {
  Rpi r;
  for (size_t i = 0; i < r.size(); ++i) r[i] = static_cast<uint8_t>(i + 1);
  return r;
}
const Aem kAem = {0xA1, 0xA2, 0xA3, 0xA4};

TEST(Ble, BuildsTheSpecifiedLayout) {
  auto ad = build_advertising_data(sample_rpi(), kAem);
  EXPECT_EQ(to_hex(ad),
            "02011a" "03036ffd" "17166ffd" "0102030405060708090a0b0c0d0e0f10" "a1a2a3a4");
  auto sd = build_service_data(sample_rpi(), kAem);
  EXPECT_EQ(to_hex(sd), "0102030405060708090a0b0c0d0e0f10a1a2a3a4");
}

TEST(Ble, RoundTrips) {
  auto ad = build_advertising_data(sample_rpi(), kAem, 0x06);
  auto parsed = parse_advertising_data(ad);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->rpi, sample_rpi());
  EXPECT_EQ(parsed->aem, kAem);
}

TEST(Ble, ToleratesOtherStructuresOrderAndPadding) {
  auto ad = build_advertising_data(sample_rpi(), kAem);
  // Service data first, then another vendor's service data and zero padding.
  Bytes data(ad.begin() + 7, ad.end());
  for (uint8_t b : {0x04, 0x16, 0x0A, 0x18, 0x55, 0x00, 0x00}) data.push_back(b);
  auto parsed = parse_advertising_data(data);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->aem, kAem);
}

std::string parse_error(const Bytes& data) {
  auto r = parse_advertising_data(data);
  return r.ok() ? "ok" : r.status().message();
}

TEST(Ble, RejectsMalformedPayloadsWithAReason) {
  auto ad = build_advertising_data(sample_rpi(), kAem);
  Bytes truncated(ad.begin(), ad.end() - 1);
  EXPECT_EQ(parse_error(truncated), "AD structure at offset 7 claims 23 bytes but only 22 remain");

  Bytes short_sd = {0x05, 0x16, 0x6F, 0xFD, 0x01, 0x02};
  EXPECT_EQ(parse_error(short_sd), "0xFD6F service data at offset 0 is 2 bytes, expected 20 (RPI + AEM)");

  Bytes no_uuid = {0x02, 0x16, 0x6F};
  EXPECT_EQ(parse_error(no_uuid), "service data structure at offset 0 is too short to hold a 16-bit UUID");

  Bytes twice(ad.begin() + 7, ad.end());
  twice.insert(twice.end(), ad.begin() + 7, ad.end());
  EXPECT_EQ(parse_error(twice), "more than one 0xFD6F service data structure (second at offset 24)");

  Bytes other = {0x02, 0x01, 0x06};
  EXPECT_EQ(parse_error(other), "no 0xFD6F exposure notification service data");
  EXPECT_EQ(parse_error({}), "no 0xFD6F exposure notification service data");
  EXPECT_EQ(parse_error({0xFF}), "AD structure at offset 0 claims 255 bytes but only 0 remain");
}

TEST(Ble, NeverReadsPastTheBufferOnAnyTruncation) {
  auto ad = build_advertising_data(sample_rpi(), kAem);
  for (size_t n = 0; n < ad.size(); ++n) {
    Bytes prefix(ad.begin(), ad.begin() + n);  // a fresh allocation: ASan catches overreads
    EXPECT_FALSE(parse_advertising_data(prefix).ok()) << n;
  }
}

}  // namespace
}  // namespace exposure
