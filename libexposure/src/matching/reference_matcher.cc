#include "matching/reference_matcher.h"

#include <algorithm>
#include <map>
#include <set>

#include "exposure/keys.h"

namespace exposure::testing {
namespace {

bool in_tx_range(const MatchedSighting& m) { return m.tx_power_dbm >= -50 && m.tx_power_dbm <= 20; }

bool before(const MatchedSighting& a, const MatchedSighting& b) {
  return std::tie(a.time, a.interval, a.sighting_index) < std::tie(b.time, b.interval, b.sighting_index);
}

}  // namespace

MatchResult reference_match(std::span<const DiagnosisKey> keys, std::span<const Sighting> sightings) {
  std::multimap<Rpi, uint32_t> by_rpi;
  for (uint32_t i = 0; i < sightings.size(); ++i) by_rpi.emplace(sightings[i].rpi, i);

  MatchResult result;
  std::set<KeyData> matched_keys;
  for (size_t position = 0; position < keys.size(); ++position) {
    const DiagnosisKey& key = keys[position];
    ++result.stats.keys_read;
    if (key.report_type == ReportType::kRecursive) {
      ++result.stats.keys_skipped;
      continue;
    }
    auto rpik = derive_rpi_key(key.key_data);
    auto aemk = derive_aem_key(key.key_data);
    KeyMatch match;
    uint32_t period = std::min<uint32_t>(key.rolling_period, 144);
    for (uint32_t j = 0; j < period; ++j) {
      uint64_t wide_interval = uint64_t{key.rolling_start_interval_number} + j;
      if (wide_interval > UINT32_MAX) break;
      auto interval = static_cast<EnIntervalNumber>(wide_interval);
      Rpi rpi = rolling_proximity_id(rpik, interval);

      // Sightings of this RPI received within 12 intervals of it, in time order.
      std::vector<uint32_t> found;
      auto [from, to] = by_rpi.equal_range(rpi);
      for (auto it = from; it != to; ++it) {
        int64_t received = sightings[it->second].time / 600;
        if (received >= int64_t{interval} - 12 && received <= int64_t{interval} + 12) found.push_back(it->second);
      }
      std::sort(found.begin(), found.end(), [&](uint32_t a, uint32_t b) {
        return std::tie(sightings[a].time, a) < std::tie(sightings[b].time, b);
      });
      // Replay guard.
      std::vector<MatchedSighting> guarded;
      for (uint32_t p : found) {
        const Sighting& s = sightings[p];
        if (int64_t{s.time} > int64_t{sightings[found.front()].time} + 1200) continue;
        MetadataBytes plain = decrypt_metadata(aemk, rpi, s.aem);
        MatchedSighting m;
        m.time = s.time;
        m.previous_scan_time = s.previous_scan_time;
        m.interval = interval;
        m.sighting_index = p;
        m.rssi = s.rssi;
        m.tx_power_dbm = static_cast<int8_t>(plain[1]);
        int attenuation = int{m.tx_power_dbm} - int{s.rssi};
        m.attenuation_db = static_cast<uint8_t>(attenuation < 0 ? 0 : attenuation);
        m.calibration_confidence = static_cast<CalibrationConfidence>((plain[0] >> 2) & 3);
        guarded.push_back(m);
      }
      for (const auto& m : guarded)
        if (in_tx_range(m)) match.sightings.push_back(m);
      // Scans: split where the gap exceeds 25.5 s; keep the loudest (first on ties).
      std::vector<std::vector<MatchedSighting>> scans;
      for (size_t i = 0; i < guarded.size(); ++i) {
        if (i == 0 || (guarded[i].time - guarded[i - 1].time) * 10 > 255) scans.emplace_back();
        scans.back().push_back(guarded[i]);
      }
      for (const auto& scan : scans) {
        MatchedSighting loudest = scan[0];
        for (const auto& m : scan)
          if (m.rssi > loudest.rssi) loudest = m;
        if (in_tx_range(loudest)) match.per_scan.push_back(loudest);
      }
    }
    if (match.per_scan.empty()) continue;
    if (matched_keys.count(key.key_data)) {
      ++result.stats.keys_skipped;
      continue;
    }
    matched_keys.insert(key.key_data);
    std::sort(match.sightings.begin(), match.sightings.end(), before);
    std::sort(match.per_scan.begin(), match.per_scan.end(), before);
    match.key = key;
    match.stream_position = position;
    result.matches.push_back(std::move(match));
  }
  return result;
}

}  // namespace exposure::testing
