// The devices' side of Bluetooth: every device runs the library's KeySchedule (one TEK per
// UTC day) and advertises RPI + AEM with its own TX power in the metadata; a device's scans
// (every scan interval at its own phase) turn the advertisements of the devices it is in
// contact with into sightings through the radio model.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "exposure/keys.h"
#include "exposure/sighting.h"
#include "population.h"

namespace exposure::sim {

class DeviceKeys {
 public:
  // Runs a KeySchedule per device over the city's days (keys come from the CSPRNG).
  explicit DeviceKeys(const City& city);
  // The TEK of `device` on day `day` (0-based), start = that day's first interval.
  const KeyData& key(uint32_t device, uint32_t day) const { return keys_[size_t{device} * days_ + day]; }
  // Keys a device that tests positive uploads at `test_time`: the days before its test day
  // (KeySchedule::keys_for_upload: today's key stays on the phone), at most 14.
  struct Upload {
    KeyData key;
    uint32_t start;
  };
  std::vector<Upload> keys_for_upload(uint32_t device, int64_t test_time) const;
  // The metadata a device advertises (its TX power, calibration confidence medium).
  static BluetoothMetadata metadata_of(const Device& device);

 private:
  const City& city_;
  uint32_t days_;
  std::vector<KeyData> keys_;
};

// A device's sightings and, for each, the true distance and the advertiser.
struct DeviceSightings {
  std::vector<Sighting> sightings;
  std::vector<float> distance_m;
  std::vector<uint32_t> advertiser;
};

// Generates the sightings `device` records from contacts whose other device passes
// `include`, with scan start before `before` (unix seconds). Deterministic for the seed.
DeviceSightings generate_sightings(const City& city, const DeviceKeys& keys, uint32_t device,
                                   const std::function<bool(uint32_t)>& include, int64_t before);

}  // namespace exposure::sim
