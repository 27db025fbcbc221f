// Plaintext encoding of a sighting chunk (the sightings of one UTC day from one batch), before
// sealing. Sightings of one RPI within one scan (same AEM and previous_scan_time, each at
// most kScanGapSeconds after the one before, as the scan rule of docs/matching.md
// says) form a group that stores the 28-byte header once:
//
//   chunk  := version:u8 (=1) group*
//   group  := rpi[16] aem[4] previous_scan_time:u32le time:u32le count:u8 (1..255) rssi:i8
//             (delta_seconds:u8 rssi:i8){count-1}
//
// Every sighting is kept (the encoding is lossless); only the shared fields are merged.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/sighting.h"
#include "exposure/status.h"

namespace exposure::store_internal {

inline constexpr uint8_t kChunkFormatVersion = 1;
// The spec's "same scan" gap is 25.5 s; on whole seconds that is at most 25 s.
inline constexpr uint32_t kScanGapSeconds = 25;
inline constexpr size_t kMaxSightingsPerGroup = 255;
inline constexpr size_t kGroupHeaderBytes = 16 + 4 + 4 + 4 + 1 + 1;
inline constexpr size_t kFollowingSightingBytes = 2;

// UTC day number of a sighting.
inline uint32_t sighting_day(const Sighting& s) { return s.time / 86400; }

// The order the encoder groups by: day, RPI, AEM, previous_scan_time, time, RSSI.
bool encoding_order(const Sighting& a, const Sighting& b);

// Encodes `sorted` (sorted by encoding_order, all of one day) as one chunk into `out`
// (replacing its contents).
void encode_chunk(std::span<const Sighting> sorted, Bytes* out);

// Decodes a chunk of UTC day `day`, appending its sightings to `out`. kCorrupt naming the
// offset when the bytes do not follow the format or a time falls outside `day`; `out` may
// then hold part of the chunk (the caller truncates).
Status decode_chunk(ByteView chunk, uint32_t day, std::vector<Sighting>* out);

}  // namespace exposure::store_internal
