#include "store/chunk_codec.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace exposure::store_internal {
namespace {

constexpr uint32_t kDay = 18354;  // 2020-04-02
constexpr uint32_t kNoon = kDay * 86400 + 43200;

Sighting make(uint8_t rpi_byte, uint32_t time, int8_t rssi, uint8_t aem_byte = 1,
              uint32_t previous = 0) {
  Sighting s;
  s.rpi.fill(rpi_byte);
  s.aem.fill(aem_byte);
  s.time = time;
  s.rssi = rssi;
  s.previous_scan_time = previous;
  return s;
}

std::vector<Sighting> round_trip(std::vector<Sighting> in, size_t* encoded_size = nullptr) {
  std::sort(in.begin(), in.end(), encoding_order);
  Bytes chunk;
  encode_chunk(in, &chunk);
  if (encoded_size) *encoded_size = chunk.size();
  std::vector<Sighting> out;
  EXPECT_TRUE(decode_chunk(chunk, kDay, &out).ok());
  return out;
}

TEST(ChunkCodec, OneScanOfOneRpiSharesOneHeader) {
  std::vector<Sighting> scan;
  for (uint32_t k = 0; k < 16; ++k)
    scan.push_back(make(7, kNoon + k / 4, static_cast<int8_t>(-60 - k), 1, kNoon - 300));
  size_t size = 0;
  auto out = round_trip(scan, &size);
  EXPECT_EQ(size, 1 + kGroupHeaderBytes + 15 * kFollowingSightingBytes);
  std::sort(scan.begin(), scan.end(), encoding_order);
  EXPECT_EQ(out, scan);  // every sighting kept, RSSI and time each
}

TEST(ChunkCodec, ScanGapOf25SecondsJoinsAnd26Splits) {
  size_t joined = 0, split = 0;
  round_trip({make(1, kNoon, -50), make(1, kNoon + 25, -51)}, &joined);
  round_trip({make(1, kNoon, -50), make(1, kNoon + 26, -51)}, &split);
  EXPECT_EQ(joined, 1 + kGroupHeaderBytes + kFollowingSightingBytes);
  EXPECT_EQ(split, 1 + 2 * kGroupHeaderBytes);
}

TEST(ChunkCodec, DifferentAemOrPreviousScanStartsAGroupAndAllValuesSurvive) {
  std::vector<Sighting> in = {make(1, kNoon, -50, 1, 10), make(1, kNoon + 1, -52, 2, 10),
                              make(1, kNoon + 2, -53, 2, 20), make(2, kNoon + 2, -54, 2, 20)};
  size_t size = 0;
  auto out = round_trip(in, &size);
  EXPECT_EQ(size, 1 + 4 * kGroupHeaderBytes);
  std::sort(in.begin(), in.end(), encoding_order);
  EXPECT_EQ(out, in);
}

TEST(ChunkCodec, IdenticalSightingsAreAllKept) {
  std::vector<Sighting> in(3, make(9, kNoon, -70));
  EXPECT_EQ(round_trip(in), in);
}

TEST(ChunkCodec, GroupsSplitAfter255Sightings) {
  std::vector<Sighting> in;
  for (int k = 0; k < 300; ++k)
    in.push_back(make(3, kNoon + k / 20, static_cast<int8_t>(-40 - k % 60)));
  size_t size = 0;
  auto out = round_trip(in, &size);
  EXPECT_EQ(size, 1 + 2 * kGroupHeaderBytes + (300 - 2) * kFollowingSightingBytes);
  std::sort(in.begin(), in.end(), encoding_order);
  EXPECT_EQ(out, in);
}

TEST(ChunkCodec, ExtremeValuesRoundTrip) {
  std::vector<Sighting> in = {make(0, kDay * 86400, -127, 0, 0),
                              make(255, kDay * 86400 + 86399, 126, 255, 0xFFFFFFFF)};
  std::sort(in.begin(), in.end(), encoding_order);
  EXPECT_EQ(round_trip(in), in);
}

TEST(ChunkCodec, MalformedChunksAreCorruptWithOffset) {
  Bytes chunk;
  std::vector<Sighting> one = {make(1, kNoon, -50), make(1, kNoon + 1, -50)};
  encode_chunk(one, &chunk);
  std::vector<Sighting> out;

  Bytes truncated(chunk.begin(), chunk.end() - 1);
  Status s = decode_chunk(truncated, kDay, &out);
  EXPECT_EQ(s.code(), ErrorCode::kCorrupt);
  EXPECT_NE(s.message().find("offset 1: truncated group of 2"), std::string::npos) << s.message();

  Bytes zero_count = chunk;
  zero_count[1 + 28] = 0;
  EXPECT_NE(decode_chunk(zero_count, kDay, &out).message().find("group of 0"), std::string::npos);

  EXPECT_NE(decode_chunk(chunk, kDay + 1, &out).message().find("outside the chunk's day"),
            std::string::npos);

  Bytes version = chunk;
  version[0] = 2;
  EXPECT_NE(decode_chunk(version, kDay, &out).message().find("unknown chunk version 2"),
            std::string::npos);
  EXPECT_EQ(decode_chunk({}, kDay, &out).code(), ErrorCode::kCorrupt);

  Bytes header_cut(chunk.begin(), chunk.begin() + 10);
  EXPECT_NE(decode_chunk(header_cut, kDay, &out).message().find("truncated group header"),
            std::string::npos);
}

}  // namespace
}  // namespace exposure::store_internal
