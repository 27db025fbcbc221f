#include "store/chunk_codec.h"

#include <cstring>
#include <string>
#include <tuple>

namespace exposure::store_internal {
namespace {

void put_u32_le(Bytes* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

bool same_group_header(const Sighting& a, const Sighting& b) {
  return a.rpi == b.rpi && a.aem == b.aem && a.previous_scan_time == b.previous_scan_time;
}

Status corrupt_at(size_t offset, const std::string& what) {
  return {ErrorCode::kCorrupt, "chunk offset " + std::to_string(offset) + ": " + what};
}

}  // namespace

bool encoding_order(const Sighting& a, const Sighting& b) {
  return std::forward_as_tuple(a.time / 86400, a.rpi, a.aem, a.previous_scan_time, a.time, a.rssi) <
         std::forward_as_tuple(b.time / 86400, b.rpi, b.aem, b.previous_scan_time, b.time, b.rssi);
}

void encode_chunk(std::span<const Sighting> sorted, Bytes* out) {
  out->clear();
  out->reserve(1 + sorted.size() * kGroupHeaderBytes);
  out->push_back(kChunkFormatVersion);
  size_t i = 0;
  while (i < sorted.size()) {
    const Sighting& first = sorted[i];
    size_t end = i + 1;
    while (end < sorted.size() && end - i < kMaxSightingsPerGroup &&
           same_group_header(first, sorted[end]) &&
           sorted[end].time - sorted[end - 1].time <= kScanGapSeconds) {
      ++end;
    }
    out->insert(out->end(), first.rpi.begin(), first.rpi.end());
    out->insert(out->end(), first.aem.begin(), first.aem.end());
    put_u32_le(out, first.previous_scan_time);
    put_u32_le(out, first.time);
    out->push_back(static_cast<uint8_t>(end - i));
    out->push_back(static_cast<uint8_t>(first.rssi));
    for (size_t k = i + 1; k < end; ++k) {
      out->push_back(static_cast<uint8_t>(sorted[k].time - sorted[k - 1].time));
      out->push_back(static_cast<uint8_t>(sorted[k].rssi));
    }
    i = end;
  }
}

Status decode_chunk(ByteView chunk, uint32_t day, std::vector<Sighting>* out) {
  ByteReader reader(chunk);
  uint8_t version = 0;
  if (!reader.read_u8(&version)) return corrupt_at(0, "empty chunk");
  if (version != kChunkFormatVersion) {
    return corrupt_at(0, "unknown chunk version " + std::to_string(version));
  }
  const uint64_t day_start = uint64_t{day} * 86400;
  const uint64_t day_end = day_start + 86400;
  while (!reader.empty()) {
    const size_t offset = chunk.size() - reader.remaining();
    ByteView rpi, aem;
    uint32_t previous_scan_time = 0, time = 0;
    uint8_t count = 0, rssi = 0;
    if (!reader.read_bytes(16, &rpi) || !reader.read_bytes(4, &aem) ||
        !reader.read_u32_le(&previous_scan_time) || !reader.read_u32_le(&time) ||
        !reader.read_u8(&count) || !reader.read_u8(&rssi)) {
      return corrupt_at(offset, "truncated group header");
    }
    if (count == 0) return corrupt_at(offset, "group of 0 sightings");
    Sighting s;
    std::memcpy(s.rpi.data(), rpi.data(), 16);
    std::memcpy(s.aem.data(), aem.data(), 4);
    s.previous_scan_time = previous_scan_time;
    s.time = time;
    s.rssi = static_cast<int8_t>(rssi);
    for (unsigned k = 0;; ++k) {
      if (s.time < day_start || s.time >= day_end) {
        return corrupt_at(offset, "time " + std::to_string(s.time) + " outside the chunk's day");
      }
      out->push_back(s);
      if (k + 1 == count) break;
      uint8_t delta = 0;
      if (!reader.read_u8(&delta) || !reader.read_u8(&rssi)) {
        return corrupt_at(offset, "truncated group of " + std::to_string(count) + " sightings");
      }
      s.time += delta;
      s.rssi = static_cast<int8_t>(rssi);
    }
  }
  return Status::Ok();
}

}  // namespace exposure::store_internal
