#include "exposure/bytes.h"

#include <gtest/gtest.h>

#include "exposure/secure.h"

namespace exposure {
namespace {

TEST(Hex, RoundTripsAndRejectsBadInput) {
  Bytes data = {0x00, 0x7f, 0xab, 0xff};
  EXPECT_EQ(to_hex(data), "007fabff");
  auto back = from_hex("007FabFF");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, data);
  EXPECT_FALSE(from_hex("abc").ok());
  auto bad = from_hex("zz00");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("character 1"), std::string::npos);
}

TEST(Hex, FixedLengthNamesTheValue) {
  auto r = fixed_from_hex<4>("0102", "metadata");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "metadata: expected 8 hex digits, got 4");
  auto ok = fixed_from_hex<2>("0102", "x");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[1], 2);
}

TEST(Base64, AcceptsEveryDeployedVariant) {
  Bytes expected = {0xfb, 0xff, 0xfe, 0x01};
  for (const char* text : {"+//+AQ==", "+//+AQ", "-__-AQ==", "-__-AQ"}) {
    auto r = from_base64(text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(*r, expected) << text;
  }
  EXPECT_EQ(to_base64(expected), "+//+AQ==");
  EXPECT_FALSE(from_base64("a*bc").ok());
  EXPECT_FALSE(from_base64("abcde").ok());
}

TEST(ByteReader, NeverReadsPastTheEnd) {
  Bytes data = {1, 2, 3};
  ByteReader r(data);
  uint16_t v16 = 0;
  ASSERT_TRUE(r.read_u16_le(&v16));
  EXPECT_EQ(v16, 0x0201);
  uint32_t v32 = 0;
  EXPECT_FALSE(r.read_u32_le(&v32));
  EXPECT_EQ(r.remaining(), 1u);  // a failed read consumes nothing
  ByteView view;
  EXPECT_FALSE(r.read_bytes(2, &view));
  uint8_t v8 = 0;
  ASSERT_TRUE(r.read_u8(&v8));
  EXPECT_EQ(v8, 3);
  EXPECT_TRUE(r.empty());
}

TEST(Secure, ConstantTimeEqualComparesLengthAndContent) {
  Bytes a = {1, 2, 3}, b = {1, 2, 3}, c = {1, 2, 4}, d = {1, 2};
  EXPECT_TRUE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(a, c));
  EXPECT_FALSE(constant_time_equal(a, d));
}

TEST(Secure, SecretArrayWipesOnDestruction) {
  alignas(SecretArray<16>) unsigned char storage[sizeof(SecretArray<16>)];
  auto* s = new (storage) SecretArray<16>(std::array<uint8_t, 16>{0xAA, 0xBB});
  EXPECT_EQ(s->data()[0], 0xAA);
  s->~SecretArray<16>();
  for (unsigned char c : storage) EXPECT_EQ(c, 0);
}

}  // namespace
}  // namespace exposure
