// Synthetic scanner output for tests and benchmarks: devices whose RPI changes every
// 10 minutes, seen in scans every few minutes, several advertisements per device per scan.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "exposure/sighting.h"

namespace exposure::testing {

struct ScanPattern {
  int64_t first_scan_time = 1585785600;  // 2020-04-02T00:00Z
  uint32_t scans = 100;
  uint32_t seconds_between_scans = 300;
  uint32_t devices_per_scan = 10;
  // Advertisements received per device in one scan (1 s apart, all within one 4 s scan
  // window when <= 4).
  uint32_t sightings_per_device = 4;
  uint64_t seed = 1;
};

// Sightings of `pattern`, in reception order. Each device's RPI and AEM are random per
// (device, 10-minute interval); RSSI is random in -100..-40.
inline std::vector<Sighting> simulate_scans(const ScanPattern& pattern) {
  std::mt19937_64 random(pattern.seed);
  std::vector<Sighting> out;
  out.reserve(size_t{pattern.scans} * pattern.devices_per_scan * pattern.sightings_per_device);
  auto identity = [&](uint32_t device, int64_t interval, Sighting* s) {
    std::mt19937_64 per_rpi(pattern.seed ^ (uint64_t{device} << 40) ^
                            static_cast<uint64_t>(interval));
    for (auto& b : s->rpi) b = static_cast<uint8_t>(per_rpi());
    for (auto& b : s->aem) b = static_cast<uint8_t>(per_rpi());
  };
  std::uniform_int_distribution<int> rssi(-100, -40);
  for (uint32_t scan = 0; scan < pattern.scans; ++scan) {
    const int64_t scan_time =
        pattern.first_scan_time + int64_t{scan} * pattern.seconds_between_scans;
    const uint32_t previous =
        scan == 0 ? 0 : static_cast<uint32_t>(scan_time - pattern.seconds_between_scans);
    for (uint32_t device = 0; device < pattern.devices_per_scan; ++device) {
      Sighting s;
      identity(device, scan_time / 600, &s);
      s.previous_scan_time = previous;
      for (uint32_t k = 0; k < pattern.sightings_per_device; ++k) {
        s.time = static_cast<uint32_t>(scan_time + k);
        s.rssi = static_cast<int8_t>(rssi(random));
        out.push_back(s);
      }
    }
  }
  return out;
}

}  // namespace exposure::testing
