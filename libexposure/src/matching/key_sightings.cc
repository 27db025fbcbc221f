#include "matching/key_sightings.h"

#include <algorithm>
#include <vector>

#include "exposure/keys.h"

namespace exposure::matching {
namespace {

bool within_tolerance(const Sighting& s, EnIntervalNumber rpi_interval) {
  int64_t received = s.time / kIntervalSeconds;
  return received >= int64_t{rpi_interval} - kMatchingToleranceIntervals &&
         received <= int64_t{rpi_interval} + kMatchingToleranceIntervals;
}

MatchedSighting decode(const Sighting& s, uint32_t position, EnIntervalNumber interval,
                       const BluetoothMetadata& metadata) {
  MatchedSighting m;
  m.time = s.time;
  m.previous_scan_time = s.previous_scan_time;
  m.interval = interval;
  m.sighting_index = position;
  m.rssi = s.rssi;
  m.tx_power_dbm = metadata.tx_power_dbm;
  m.attenuation_db = static_cast<uint8_t>(std::max(int{metadata.tx_power_dbm} - int{s.rssi}, 0));
  m.calibration_confidence = metadata.calibration_confidence;
  return m;
}

bool tx_power_in_range(const MatchedSighting& m) {
  return m.tx_power_dbm >= kMinTxPowerDbm && m.tx_power_dbm <= kMaxTxPowerDbm;
}

bool earlier(const MatchedSighting& a, const MatchedSighting& b) {
  if (a.time != b.time) return a.time < b.time;
  if (a.interval != b.interval) return a.interval < b.interval;
  return a.sighting_index < b.sighting_index;
}

}  // namespace

std::optional<KeyMatch> collect_key_sightings(const SightingIndex& index, const DiagnosisKey& key,
                                              uint64_t stream_position,
                                              std::span<const RpiCandidate> candidates,
                                              MatchStats* stats) {
  std::span<const Sighting> sightings = index.sightings();
  KeyMatch match;
  std::optional<AssociatedEncryptedMetadataKey> aemk;
  std::vector<uint32_t> positions;
  std::vector<MatchedSighting> kept;
  for (const RpiCandidate& candidate : candidates) {
    positions.clear();
    index.find(candidate.rpi, &positions);
    if (!positions.empty()) ++stats->rpi_hits;
    // Time tolerance, then time order (ties in the order the sightings were given).
    std::erase_if(positions, [&](uint32_t p) { return !within_tolerance(sightings[p], candidate.interval); });
    if (positions.empty()) continue;
    std::stable_sort(positions.begin(), positions.end(),
                     [&](uint32_t a, uint32_t b) { return sightings[a].time < sightings[b].time; });
    // Replay guard: nothing more than 1200 s after the first remaining sighting.
    uint32_t first_time = sightings[positions.front()].time;
    std::erase_if(positions, [&](uint32_t p) { return sightings[p].time - first_time > kReplayWindowSeconds; });

    if (!aemk) aemk = derive_aem_key(key.key_data);
    kept.clear();
    for (uint32_t p : positions) {
      const Sighting& s = sightings[p];
      auto metadata = BluetoothMetadata::decode(decrypt_metadata(*aemk, candidate.rpi, s.aem));
      kept.push_back(decode(s, p, candidate.interval, metadata));
    }
    // v1 path: one sighting per scan (a gap above 25.5 s starts a new scan), the strongest;
    // the TX-power range is checked after that choice, as on the platforms.
    size_t strongest = 0;
    for (size_t i = 0; i < kept.size(); ++i) {
      bool new_scan = i > 0 && kept[i].time - kept[i - 1].time > kSameScanMaxGapSeconds;
      if (new_scan) {
        if (tx_power_in_range(kept[strongest])) match.per_scan.push_back(kept[strongest]);
        strongest = i;
      } else if (kept[i].rssi > kept[strongest].rssi) {
        strongest = i;
      }
    }
    if (tx_power_in_range(kept[strongest])) match.per_scan.push_back(kept[strongest]);
    for (const MatchedSighting& m : kept)
      if (tx_power_in_range(m)) match.sightings.push_back(m);
  }
  if (match.per_scan.empty()) return std::nullopt;
  std::sort(match.sightings.begin(), match.sightings.end(), earlier);
  std::sort(match.per_scan.begin(), match.per_scan.end(), earlier);
  match.key = key;
  match.stream_position = stream_position;
  return match;
}

}  // namespace exposure::matching
