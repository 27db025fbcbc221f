#include "sightings.h"

#include <algorithm>
#include <optional>
#include <string>

#include "exposure/ble.h"
#include "exposure/key_schedule.h"
#include "radio.h"
#include "rng.h"

namespace exposure::sim {
namespace {
enum Tag : uint64_t { kTagScan = 101, kTagObstruction = 102 };
}  // namespace

BluetoothMetadata DeviceKeys::metadata_of(const Device& device) {
  return BluetoothMetadata{.major_version = 1,
                           .minor_version = 0,
                           .calibration_confidence = CalibrationConfidence::kMedium,
                           .tx_power_dbm = device.tx_power_dbm};
}

DeviceKeys::DeviceKeys(const City& city) : city_(city), days_(city.config().population.days) {
  const auto devices = city.devices();
  keys_.resize(devices.size() * size_t{days_});
  for (uint32_t d = 0; d < devices.size(); ++d) {
    ManualClock clock(city.first_day());
    KeySchedule schedule(clock, {}, KeyScheduleOptions{.metadata = metadata_of(devices[d])});
    for (uint32_t day = 0; day < days_; ++day) {
      clock.set(city.first_day() + int64_t{day} * 86400);
      const TemporaryExposureKey& tek = schedule.current_key();
      std::copy(tek.key_data.data(), tek.key_data.data() + 16, keys_[size_t{d} * days_ + day].begin());
    }
  }
}

std::vector<TemporaryExposureKey> DeviceKeys::history(uint32_t device, int64_t time) const {
  std::vector<TemporaryExposureKey> out;
  const int64_t last = std::min<int64_t>(city_.day_of(time), int64_t{days_} - 1);
  for (int64_t day = 0; day <= last; ++day) {
    TemporaryExposureKey tek;
    tek.key_data = SecretArray<16>(key(device, static_cast<uint32_t>(day)));
    tek.rolling_start_interval_number = interval_number(city_.first_day() + day * 86400);
    out.push_back(std::move(tek));
  }
  return out;
}

Result<DeviceSightings> generate_sightings(const City& city, const DeviceKeys& keys,
                                           uint32_t device,
                                           const std::function<bool(uint32_t)>& include,
                                           int64_t before, int64_t from) {
  const SimulationConfig& config = city.config();
  const RadioParams& radio = config.radio;
  const auto devices = city.devices();
  const Device& rx = devices[device];
  const uint32_t interval = radio.scan_interval_seconds;
  DeviceSightings out;
  for (uint32_t index : city.contacts_of(device)) {
    const Contact& c = city.contacts()[index];
    const uint32_t partner = c.other(device);
    if (!include(partner)) continue;
    const Device& tx = devices[partner];
    const KeyScheduleOptions advertiser_options{.metadata = DeviceKeys::metadata_of(tx)};
    const double obstruction = Rng(config.seed, {kTagObstruction, index, device}).uniform(0, radio.obstruction_max_db);
    // The partner's phone: its KeySchedule, with the keys it holds on the reception's day.
    int64_t key_day = -1;
    ManualClock advertiser_clock(0);
    std::optional<KeySchedule> advertiser;
    uint32_t scan = c.start + (rx.scan_phase_s + interval - c.start % interval) % interval;
    EnIntervalNumber ad_interval = 0;
    Advertisement ad;
    for (; scan < c.end() && scan < before; scan += interval) {
      if (scan < from) continue;
      Rng rng(config.seed, {kTagScan, index, device, scan});
      if (!rng.chance(radio.scan_detection_probability)) continue;
      const uint32_t heard = static_cast<uint32_t>(rng.integer(1, std::max<uint32_t>(1, radio.receptions_per_scan_max)));
      for (uint32_t k = 0; k < heard; ++k) {
        const uint32_t time = scan + k * radio.scan_duration_seconds / heard;
        auto rssi = receive(radio, tx.tx_power_dbm, tx.tx_power_error_db, rx.rx_offset_db, c.distance_m, obstruction, rng);
        if (!rssi) continue;
        const int64_t day = city.day_of(time);
        if (day < 0 || day >= config.population.days) continue;
        advertiser_clock.set(time);
        if (day != key_day) {
          key_day = day;
          advertiser.emplace(advertiser_clock, keys.history(partner, time), advertiser_options);
        }
        // What went over the air: the 31-byte payload (the same for a whole interval), parsed
        // as a scanner does.
        if (interval_number(time) != ad_interval) {
          ad = advertiser->current_advertisement();
          ad_interval = ad.interval;
        }
        auto beacon = parse_advertising_data(
            ByteView(ad.advertising_data.data(), ad.advertising_data.size()));
        if (!beacon.ok())
          return Status(beacon.status().code(), "advertisement of device " +
                                                    std::to_string(partner) + ": " +
                                                    beacon.status().message());
        Sighting s;
        s.time = time;
        s.previous_scan_time = scan - interval;
        s.rssi = *rssi;
        s.rpi = beacon->rpi;
        s.aem = beacon->aem;
        out.sightings.push_back(s);
        out.distance_m.push_back(c.distance_m);
        out.advertiser.push_back(partner);
      }
    }
  }
  return out;
}

}  // namespace exposure::sim
