#include "common/text.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace exposure::server {
namespace {

TEST(Text, Durations) {
  EXPECT_EQ(*parse_duration_ms("15m", "x"), 15 * 60000);
  EXPECT_EQ(*parse_duration_ms("1h30m", "x"), 90 * 60000);
  EXPECT_EQ(*parse_duration_ms("14d", "x"), 14 * 86400000LL);
  EXPECT_EQ(*parse_duration_ms("250ms", "x"), 250);
  EXPECT_EQ(*parse_duration_ms("0", "x"), 0);
  EXPECT_EQ(parse_duration_ms("15", "--code-ttl").status().message(),
            "--code-ttl: unknown unit \"\" in duration \"15\" (use e.g. 90s, 15m, 1h, 14d)");
  EXPECT_FALSE(parse_duration_ms("h", "x").ok());
  EXPECT_FALSE(parse_duration_ms("1y", "x").ok());
  EXPECT_FALSE(parse_duration_ms("99999999999999d", "x").ok());
  EXPECT_EQ(format_duration_ms(3600000), "1h");
  EXPECT_EQ(format_duration_ms(90000), "90s");
}

TEST(Text, CalendarDates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2020, 6, 17), 18430);
  EXPECT_EQ(*parse_iso_date("2020-06-17"), 18430);
  EXPECT_EQ(format_iso_date(18430), "2020-06-17");
  EXPECT_TRUE(parse_iso_date("2024-02-29").ok());
  for (const char* bad : {"2023-02-29", "2020-13-01", "2020-6-17", "20200617", "2020-06-17T00", "", "1969-12-31"}) {
    EXPECT_FALSE(parse_iso_date(bad).ok()) << bad;
  }
}

TEST(Text, Timestamps) {
  EXPECT_EQ(*parse_rfc3339("2021-09-20T23:52:57.436+00:00"), days_from_civil(2021, 9, 20) * 86400 + 23 * 3600 + 52 * 60 + 57);
  EXPECT_EQ(*parse_rfc3339("2021-09-21T08:52:57+09:00"), *parse_rfc3339("2021-09-20T23:52:57Z"));
  EXPECT_FALSE(parse_rfc3339("2021-09-20 23:52:57Z").ok());
  EXPECT_FALSE(parse_rfc3339("2021-09-20T23:52:57").ok());
  EXPECT_FALSE(parse_rfc3339("2021-09-20T23:52:57+0900").ok());
  EXPECT_EQ(format_rfc1123(0), "Thu, 01 Jan 1970 00:00:00 UTC");
  EXPECT_EQ(format_rfc1123(1592407200), "Wed, 17 Jun 2020 15:20:00 UTC");
}

TEST(Text, RandomValues) {
  std::string code = random_digits(8);
  EXPECT_EQ(code.size(), 8u);
  EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_NE(random_digits(16), random_digits(16));
  EXPECT_EQ(random_uuid().size(), 36u);
  for (int i = 0; i < 20; ++i) {
    size_t bytes = from_base64(random_padding(10, 5))->size();
    EXPECT_GE(bytes, 10u);
    EXPECT_LT(bytes, 15u);
  }
  EXPECT_EQ(to_base64url(Bytes{0xfb, 0xff}), "-_8");
}

TEST(Text, RandomDigitsUseEveryDigitAtEveryPosition) {
  // 20 digits span two draws (18 + 2); leading zeros of each draw must be kept.
  std::vector<std::set<char>> seen(20);
  for (int i = 0; i < 2000; ++i) {
    std::string code = random_digits(20);
    ASSERT_EQ(code.size(), 20u);
    for (size_t p = 0; p < code.size(); ++p) seen[p].insert(code[p]);
  }
  for (size_t p = 0; p < seen.size(); ++p) EXPECT_EQ(seen[p].size(), 10u) << "position " << p;
}

TEST(RegionName, OneTo32OfLettersDigitsUnderscoreAndHyphen) {
  EXPECT_TRUE(is_region_name("JP"));
  EXPECT_TRUE(is_region_name("de-BY_2"));
  EXPECT_TRUE(is_region_name(std::string(32, 'A')));
  EXPECT_FALSE(is_region_name(""));
  EXPECT_FALSE(is_region_name(std::string(33, 'A')));
  EXPECT_FALSE(is_region_name("JP "));
  EXPECT_FALSE(is_region_name("J/P"));
  EXPECT_FALSE(is_region_name("JP\n"));
}

}  // namespace
}  // namespace exposure::server
