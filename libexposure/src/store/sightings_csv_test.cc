#include "exposure/sightings_csv.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/temp_dir.h"

namespace exposure {
namespace {

const std::string kRpi = "3c9a1de5dd6b02afa7fded7b570b3e56";

Status read(const std::string& text, std::vector<Sighting>* out) {
  std::istringstream in(text);
  return read_sightings_csv(in, out);
}

TEST(SightingsCsv, ReadsTheBasicForm) {
  std::vector<Sighting> out;
  ASSERT_TRUE(read("rpi,aem,time,rssi\n" + kRpi + ",c29211b1,1585785600,-67\n", &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(to_hex(out[0].rpi), kRpi);
  EXPECT_EQ(to_hex(out[0].aem), "c29211b1");
  EXPECT_EQ(out[0].time, 1585785600u);
  EXPECT_EQ(out[0].rssi, -67);
  EXPECT_EQ(out[0].previous_scan_time, 0u);
}

TEST(SightingsCsv, FindsColumnsByNameIgnoresOthersAndReadsPreviousScanTime) {
  const std::string text =
      "\xEF\xBB\xBF"
      "Note, RSSI ,time,previous_scan_time,AEM,rpi\r\n"
      "\"a, quoted \"\"note\"\"\",-40,1585785601,1585785300,C29211B1," +
      kRpi +
      "\r\n"
      "\r\n"
      "plain,+12,1585785602,,c29211b1," +
      kRpi + "\r\n";
  std::vector<Sighting> out;
  Status s = read(text, &out);
  ASSERT_TRUE(s.ok()) << s.to_string();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].rssi, -40);
  EXPECT_EQ(out[0].previous_scan_time, 1585785300u);
  EXPECT_EQ(out[1].rssi, 12);
  EXPECT_EQ(out[1].previous_scan_time, 0u);
  EXPECT_EQ(out[1].time, 1585785602u);
}

TEST(SightingsCsv, WriterRoundTrips) {
  std::vector<Sighting> in(3);
  for (size_t i = 0; i < in.size(); ++i) {
    in[i].rpi.fill(static_cast<uint8_t>(i));
    in[i].aem.fill(static_cast<uint8_t>(0xF0 + i));
    in[i].time = 4294967295u - static_cast<uint32_t>(i);
    in[i].previous_scan_time = static_cast<uint32_t>(i * 1000);
    in[i].rssi = static_cast<int8_t>(i == 0 ? -127 : i == 1 ? 126 : 0);
  }
  std::ostringstream csv;
  write_sightings_csv(csv, in);
  EXPECT_TRUE(csv.str().starts_with(std::string(kSightingsCsvHeader) + "\n"));
  std::vector<Sighting> out;
  ASSERT_TRUE(read(csv.str(), &out).ok());
  EXPECT_EQ(out, in);
}

struct BadCase {
  std::string text;
  std::string expected;
};

TEST(SightingsCsv, MalformedLinesAreReportedWithTheirNumber) {
  const std::string h = "rpi,aem,time,rssi\n";
  const std::string ok = kRpi + ",c29211b1,1585785600,-67\n";
  const BadCase cases[] = {
      {"", "line 1: no header"},
      {"rpi,aem,time\n" + ok, "line 1: header lacks the column 'rssi'"},
      {"rpi,aem,time,rssi,RPI\n", "line 1: column 'rpi' appears twice"},
      {h + ok + "3c9a,c29211b1,1,-67\n", "line 3: rpi: expected 32 hex digits, got 4"},
      {h + ok + ok + kRpi.substr(0, 31) + "x,c29211b1,1,-67\n", "line 4: rpi:"},
      {h + kRpi + ",c292,1,-67\n", "line 2: aem: expected 8 hex digits"},
      {h + kRpi + ",c29211b1,-5,-67\n", "line 2: time: '-5' is not a unix time"},
      {h + kRpi + ",c29211b1,4294967296,-67\n", "line 2: time: '4294967296'"},
      {h + kRpi + ",c29211b1,12x,-67\n", "line 2: time: '12x'"},
      {h + kRpi + ",c29211b1,1,-128\n", "line 2: rssi: '-128' is not an integer in -127..126"},
      {h + kRpi + ",c29211b1,1,127\n", "line 2: rssi: '127'"},
      {h + kRpi + ",c29211b1,1,\n", "line 2: rssi: ''"},
      {h + kRpi + ",c29211b1,1\n", "line 2: 3 fields, the header has 4"},
      {h + ok + kRpi + ",c29211b1,1,-6,extra\n", "line 3: 5 fields, the header has 4"},
      {h + "\"" + kRpi + ",c29211b1,1,-6\n", "line 2: unterminated quote in field 1"},
      {h + "\"a\"b,c29211b1,1,-6\n", "line 2: text after the closing quote of field 1"},
      {"rpi,aem,time,rssi,previous_scan_time\n" + kRpi + ",c29211b1,1,-6,x\n",
       "line 2: previous_scan_time: 'x'"},
  };
  for (const auto& c : cases) {
    std::vector<Sighting> out(2);  // existing content must survive a failed read
    Status s = read(c.text, &out);
    EXPECT_EQ(s.code(), ErrorCode::kMalformed) << c.text;
    EXPECT_NE(s.message().find(c.expected), std::string::npos) << c.text << " -> " << s.message();
    EXPECT_EQ(s.message().find('\n'), std::string::npos);
    EXPECT_EQ(out.size(), 2u);
  }
}

TEST(SightingsCsv, FileErrorsNameThePath) {
  testing::TempDir dir;
  std::vector<Sighting> out;
  Status missing = read_sightings_csv_file(dir.file("none.csv"), &out);
  EXPECT_EQ(missing.code(), ErrorCode::kIoError);
  EXPECT_NE(missing.message().find("none.csv"), std::string::npos);
}

}  // namespace
}  // namespace exposure
