// Second stage of matching, for the few keys whose RPIs passed the filter: the exact
// lookup, the time tolerance, the replay guard, AEM decryption, the TX-power range and the
// per-scan aggregation of the v1 path (docs/matching.md).
#pragma once

#include <optional>
#include <span>

#include "exposure/matching.h"
#include "matching/sighting_index.h"

namespace exposure::matching {

// An RPI of the key (of interval `interval`) that the filter let through.
struct RpiCandidate {
  Rpi rpi;
  EnIntervalNumber interval;
};

// The key's surviving sightings, or std::nullopt when none survives (then the platforms
// store no result for the key). `candidates` may include filter false positives.
std::optional<KeyMatch> collect_key_sightings(const SightingIndex& index, const DiagnosisKey& key,
                                              uint64_t stream_position,
                                              std::span<const RpiCandidate> candidates,
                                              MatchStats* stats);

}  // namespace exposure::matching
