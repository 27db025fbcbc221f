// Synthetic matching workloads: diagnosis keys plus a device's sightings, some of them
// planted from the keys' own RPIs and AEMs. Deterministic for a seed (std::mt19937_64: test
// data, not secrets). Used by the matcher's differential tests and by the benchmarks.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "exposure/diagnosis_key.h"
#include "exposure/keys.h"
#include "exposure/sighting.h"

namespace exposure::testing {

struct WorkloadOptions {
  uint64_t seed = 1;
  size_t keys = 1000;
  size_t noise_sightings = 10000;  // random RPIs, uniform over the days
  size_t planted_keys = 10;        // keys whose RPIs were "heard" (taken from the first keys)
  EnIntervalNumber first_interval = 2646000;  // a UTC midnight (multiple of 144)
  uint32_t days = 14;
  // Short rolling periods, unaligned starts, RECURSIVE keys, repeated keys, sightings at and
  // beyond the +-12-interval boundary and outside the rolling period, bursts, replays,
  // duplicate sightings and TX powers at and beyond -50/+20 dBm.
  bool edge_cases = false;
  bool shuffle_sightings = false;  // otherwise sorted by time, as a store returns them
};

struct Workload {
  std::vector<DiagnosisKey> keys;
  std::vector<Sighting> sightings;
};

namespace workload_detail {

inline uint32_t pick(std::mt19937_64& rng, uint32_t lo, uint32_t hi) {  // inclusive
  return std::uniform_int_distribution<uint32_t>(lo, hi)(rng);
}
inline int pick_int(std::mt19937_64& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

inline DiagnosisKey random_key(std::mt19937_64& rng, const WorkloadOptions& o) {
  DiagnosisKey k;
  for (auto& b : k.key_data) b = static_cast<uint8_t>(rng());
  uint32_t day = pick(rng, 0, o.days - 1);
  k.rolling_start_interval_number = o.first_interval + day * kTekRollingPeriod;
  k.rolling_period = kTekRollingPeriod;
  k.transmission_risk_level = pick_int(rng, 0, 8);
  k.report_type = static_cast<ReportType>(pick_int(rng, 0, 3));
  if (rng() % 4 != 0) k.days_since_onset_of_symptoms = pick_int(rng, -14, 14);
  if (o.edge_cases) {
    if (rng() % 4 == 0) k.rolling_period = pick(rng, 1, 143);
    if (rng() % 5 == 0) k.rolling_start_interval_number += pick(rng, 1, 143);
    if (rng() % 20 == 0) k.report_type = ReportType::kRecursive;
    if (rng() % 20 == 0) k.report_type = ReportType::kRevoked;
  }
  return k;
}

// Sightings of `key`'s RPI of interval start + j, as a scanner would record them.
inline void plant(std::mt19937_64& rng, const WorkloadOptions& o, const DiagnosisKey& key,
                  std::vector<Sighting>& out) {
  auto rpik = derive_rpi_key(key.key_data);
  auto aemk = derive_aem_key(key.key_data);
  int rpis = pick_int(rng, 1, o.edge_cases ? 5 : 3);
  for (int r = 0; r < rpis; ++r) {
    int last = static_cast<int>(o.edge_cases ? key.rolling_period + 1 : key.rolling_period - 1);
    int j = pick_int(rng, o.edge_cases ? -1 : 0, last);
    if (int64_t{key.rolling_start_interval_number} + j < 13) continue;
    EnIntervalNumber interval = key.rolling_start_interval_number + j;
    Rpi rpi = rolling_proximity_id(rpik, interval);
    BluetoothMetadata metadata;
    metadata.minor_version = 1;
    metadata.calibration_confidence = static_cast<CalibrationConfidence>(pick(rng, 0, 3));
    metadata.tx_power_dbm = static_cast<int8_t>(pick_int(rng, -30, 10));
    if (o.edge_cases && rng() % 4 == 0) {
      static constexpr int kEdgePowers[] = {-51, -50, 20, 21, -128, 127};
      metadata.tx_power_dbm = static_cast<int8_t>(kEdgePowers[pick(rng, 0, 5)]);
    }
    Aem aem = encrypt_metadata(aemk, rpi, metadata.encode());
    // Where in time: inside the RPI's own interval, or (edge cases) up to 13 intervals away,
    // at the first or last second of an interval.
    int64_t offset = o.edge_cases ? pick_int(rng, -13, 13) : 0;
    int64_t base = (int64_t{interval} + offset) * 600;
    int64_t t = base + (o.edge_cases && rng() % 2 ? (rng() % 2 ? 0 : 599) : pick(rng, 0, 599));
    int sightings = pick_int(rng, 1, o.edge_cases ? 8 : 4);
    for (int s = 0; s < sightings && t >= 0 && t <= UINT32_MAX; ++s) {
      Sighting x;
      x.rpi = rpi;
      x.aem = aem;
      x.time = static_cast<uint32_t>(t);
      x.rssi = static_cast<int8_t>(pick_int(rng, -100, -40));
      x.previous_scan_time = rng() % 5 == 0 ? 0 : static_cast<uint32_t>(std::max<int64_t>(1, t - pick(rng, 60, 400)));
      out.push_back(x);
      if (o.edge_cases && rng() % 6 == 0) out.push_back(x);  // a duplicate record
      if (o.edge_cases && rng() % 6 == 0) {                  // a replay at the guard's edge
        Sighting replay = x;
        replay.time = static_cast<uint32_t>(std::min<int64_t>(UINT32_MAX, t + 1200 + pick(rng, 0, 1)));
        out.push_back(replay);
      }
      // Next sighting: same scan (a few seconds), just past the 25.5 s merge gap, or a
      // later scan.
      switch (rng() % 3) {
        case 0: t += pick(rng, 0, 5); break;
        case 1: t += pick(rng, 25, 26); break;
        default: t += pick(rng, 60, 300); break;
      }
    }
  }
}

}  // namespace workload_detail

inline Workload make_workload(const WorkloadOptions& o) {
  using namespace workload_detail;
  std::mt19937_64 rng(o.seed);
  Workload w;
  w.keys.reserve(o.keys);
  for (size_t i = 0; i < o.keys; ++i) w.keys.push_back(random_key(rng, o));
  if (o.edge_cases) {  // some keys appear twice in the stream
    for (size_t i = 0; i < o.keys / 50 && !w.keys.empty(); ++i) w.keys.push_back(w.keys[rng() % w.keys.size()]);
  }
  w.sightings.reserve(o.noise_sightings + o.planted_keys * 12);
  uint32_t first_second = o.first_interval * 600;
  uint32_t span = o.days * 86400;
  for (size_t i = 0; i < o.noise_sightings; ++i) {
    Sighting s;
    for (auto& b : s.rpi) b = static_cast<uint8_t>(rng());
    for (auto& b : s.aem) b = static_cast<uint8_t>(rng());
    s.time = first_second + static_cast<uint32_t>(rng() % span);
    s.rssi = static_cast<int8_t>(pick_int(rng, -100, -40));
    s.previous_scan_time = s.time - pick(rng, 200, 300);
    w.sightings.push_back(s);
  }
  size_t planted = std::min(o.planted_keys, w.keys.size());
  for (size_t i = 0; i < planted; ++i) {
    size_t which = o.edge_cases ? rng() % w.keys.size() : i * (w.keys.size() / planted);
    plant(rng, o, w.keys[which], w.sightings);
  }
  if (o.shuffle_sightings) {
    std::shuffle(w.sightings.begin(), w.sightings.end(), rng);
  } else {
    std::stable_sort(w.sightings.begin(), w.sightings.end(),
                     [](const Sighting& a, const Sighting& b) { return a.time < b.time; });
  }
  return w;
}

}  // namespace exposure::testing
