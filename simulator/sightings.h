// The devices' side of Bluetooth: every device runs the library's KeySchedule (one TEK per
// UTC day) and advertises with its own TX power in the metadata; a device's scans (every scan
// interval at its own phase) receive the advertising data the advertiser's KeySchedule built
// (current_advertisement()) through the radio model and parse it (parse_advertising_data) into
// the sighting's RPI and AEM.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "exposure/keys.h"
#include "exposure/sighting.h"
#include "exposure/status.h"
#include "population.h"

namespace exposure::sim {

class DeviceKeys {
 public:
  // Runs a KeySchedule per device over the city's days (keys come from the CSPRNG).
  explicit DeviceKeys(const City& city);
  // The TEK of `device` on day `day` (0-based), start = that day's first interval.
  const KeyData& key(uint32_t device, uint32_t day) const { return keys_[size_t{device} * days_ + day]; }
  // The own-key history `device` holds at `time`: its keys from day 0 through the day of
  // `time` (clamped to the city's days), oldest first, as its KeySchedule persisted them.
  std::vector<TemporaryExposureKey> history(uint32_t device, int64_t time) const;
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
// `include`, with scan start in [from, before) (unix seconds). Each sighting's RPI and AEM are
// parsed from the advertising data the partner's KeySchedule broadcast at the reception time;
// an error only when that payload does not parse. Deterministic for the seed.
Result<DeviceSightings> generate_sightings(const City& city, const DeviceKeys& keys,
                                           uint32_t device,
                                           const std::function<bool(uint32_t)>& include,
                                           int64_t before, int64_t from = INT64_MIN);

}  // namespace exposure::sim
