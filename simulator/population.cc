#include "population.h"

#include <algorithm>
#include <map>

#include "rng.h"

namespace exposure::sim {
namespace {

// Stream tags, so draws for different purposes never share a stream.
enum Tag : uint64_t { kTagHousehold = 1, kTagDevice, kTagWork, kTagWorkDesk, kTagTransit, kTagVehicle, kTagRide,
                      kTagEncounter, kTagPositive };

// Deterministic shuffle: sort by a seeded hash of each element.
void seeded_shuffle(std::vector<uint32_t>& items, uint64_t seed, std::initializer_list<uint64_t> ids) {
  Rng base(seed, ids);
  uint64_t salt = base.next();
  std::sort(items.begin(), items.end(), [salt](uint32_t x, uint32_t y) {
    uint64_t hx = splitmix64(salt ^ x), hy = splitmix64(salt ^ y);
    return hx != hy ? hx < hy : x < y;
  });
}

}  // namespace

const char* contact_kind_name(ContactKind kind) {
  switch (kind) {
    case ContactKind::kHousehold: return "household";
    case ContactKind::kWorkplace: return "workplace";
    case ContactKind::kTransit: return "transit";
    case ContactKind::kEncounter: return "encounter";
  }
  return "?";
}

City::City(const SimulationConfig& config, int64_t first_day_unix) : config_(config), first_day_(first_day_unix) {
  make_devices();
  make_contacts();
  index_contacts();
  compute_truth();
}

void City::make_devices() {
  const PopulationParams& p = config_.population;
  const RadioParams& r = config_.radio;
  const EpidemicParams& e = config_.epidemic;
  devices_.resize(p.devices);
  // Households, filled in device order.
  Rng sizes(config_.seed, {kTagHousehold});
  for (uint32_t i = 0; i < p.devices;) {
    uint32_t size = static_cast<uint32_t>(sizes.integer(1, std::max<uint32_t>(1, p.household_size_max)));
    for (uint32_t k = 0; k < size && i < p.devices; ++k, ++i) devices_[i].household = households_;
    ++households_;
  }
  std::vector<uint32_t> workers;
  for (uint32_t i = 0; i < p.devices; ++i) {
    Rng rng(config_.seed, {kTagDevice, i});
    Device& d = devices_[i];
    d.tx_power_dbm = static_cast<int8_t>(rng.integer(r.tx_power_min_dbm, r.tx_power_max_dbm));
    d.tx_power_error_db = static_cast<float>(rng.gaussian(r.tx_power_error_sigma_db));
    d.rx_offset_db = static_cast<float>(rng.gaussian(r.rx_calibration_sigma_db));
    d.scan_phase_s = static_cast<uint16_t>(rng.integer(0, r.scan_interval_seconds - 1));
    if (rng.chance(p.worker_share)) workers.push_back(i);
    Rng pos(config_.seed, {kTagPositive, i});
    if (p.days >= 2 && pos.chance(e.positive_share)) {
      int64_t day = pos.integer(1, p.days - 1);
      double hour = pos.uniform(e.test_hour_min, e.test_hour_max);
      d.test_time = first_day_ + day * 86400 + static_cast<int64_t>(hour * 3600);
      d.upload_path = pos.chance(e.cocoa_share) ? UploadPath::kCocoa : UploadPath::kGoogle;
      positives_.push_back(i);
    }
  }
  std::sort(positives_.begin(), positives_.end(), [this](uint32_t x, uint32_t y) {
    return devices_[x].test_time != devices_[y].test_time ? devices_[x].test_time < devices_[y].test_time : x < y;
  });
  seeded_shuffle(workers, config_.seed, {kTagWork});
  const uint32_t size = std::max<uint32_t>(1, p.workplace_size);
  for (size_t i = 0; i < workers.size(); ++i) devices_[workers[i]].workplace = static_cast<uint32_t>(i / size);
  workplaces_ = static_cast<uint32_t>((workers.size() + size - 1) / size);
}

void City::add_pair_contact(uint32_t a, uint32_t b, uint32_t start, uint32_t duration, float distance,
                            ContactKind kind) {
  if (a == b || duration == 0) return;
  // Positives isolate from their test on.
  for (uint32_t x : {a, b}) {
    const Device& d = devices_[x];
    if (d.positive() && static_cast<int64_t>(start) >= d.test_time) return;
    if (d.positive() && static_cast<int64_t>(start + duration) > d.test_time) {
      duration = static_cast<uint32_t>(d.test_time - start);
    }
  }
  contacts_.push_back(Contact{std::min(a, b), std::max(a, b), start, duration, distance, kind});
}

void City::make_contacts() {
  const PopulationParams& p = config_.population;
  // Group members, in device order.
  std::vector<std::vector<uint32_t>> homes(households_), works(workplaces_);
  for (uint32_t i = 0; i < p.devices; ++i) {
    homes[devices_[i].household].push_back(i);
    if (devices_[i].workplace != kNoGroup) works[devices_[i].workplace].push_back(i);
  }
  for (uint32_t day = 0; day < p.days; ++day) {
    const int64_t day_start = first_day_ + int64_t{day} * 86400;
    // Households: every pair, every evening from 19:00.
    for (uint32_t h = 0; h < households_; ++h) {
      const auto& m = homes[h];
      for (size_t i = 0; i < m.size(); ++i) {
        for (size_t j = i + 1; j < m.size(); ++j) {
          Rng rng(config_.seed, {kTagHousehold, day, m[i], m[j]});
          add_pair_contact(m[i], m[j], static_cast<uint32_t>(day_start + 19 * 3600),
                           static_cast<uint32_t>(p.household_hours * 3600),
                           static_cast<float>(rng.uniform(p.household_distance_min_m, p.household_distance_max_m)),
                           ContactKind::kHousehold);
        }
      }
    }
    // Transit at 08:00: riders in random vehicles.
    std::vector<uint32_t> riders;
    for (uint32_t i = 0; i < p.devices; ++i) {
      if (devices_[i].workplace == kNoGroup) continue;
      Rng rng(config_.seed, {kTagTransit, day, i});
      if (rng.chance(p.transit_share)) riders.push_back(i);
    }
    seeded_shuffle(riders, config_.seed, {kTagVehicle, day});
    const uint32_t vsize = std::max<uint32_t>(1, p.vehicle_size);
    for (size_t v = 0; v * vsize < riders.size(); ++v) {
      Rng ride(config_.seed, {kTagRide, day, v});
      uint32_t start = static_cast<uint32_t>(day_start + 8 * 3600 + ride.integer(0, 1200));
      uint32_t minutes = static_cast<uint32_t>(ride.uniform(p.ride_minutes_min, p.ride_minutes_max));
      size_t end = std::min(riders.size(), (v + 1) * vsize);
      for (size_t i = v * vsize; i < end; ++i) {
        for (size_t j = i + 1; j < end; ++j) {
          Rng rng(config_.seed, {kTagTransit, day, riders[i], riders[j]});
          add_pair_contact(riders[i], riders[j], start, minutes * 60,
                           static_cast<float>(rng.uniform(p.transit_distance_min_m, p.transit_distance_max_m)),
                           ContactKind::kTransit);
        }
      }
    }
    // Workplaces: every pair 09:00 for workplace_hours, at a fixed desk distance per pair.
    for (uint32_t w = 0; w < workplaces_; ++w) {
      const auto& m = works[w];
      for (size_t i = 0; i < m.size(); ++i) {
        for (size_t j = i + 1; j < m.size(); ++j) {
          Rng rng(config_.seed, {kTagWorkDesk, m[i], m[j]});
          add_pair_contact(m[i], m[j], static_cast<uint32_t>(day_start + 9 * 3600),
                           static_cast<uint32_t>(p.workplace_hours * 3600),
                           static_cast<float>(rng.uniform(p.workplace_distance_min_m, p.workplace_distance_max_m)),
                           ContactKind::kWorkplace);
        }
      }
    }
    // Random encounters.
    if (p.devices >= 2) {
      for (uint32_t a = 0; a < p.devices; ++a) {
        Rng rng(config_.seed, {kTagEncounter, day, a});
        uint32_t n = rng.poisson(p.encounters_per_day);
        for (uint32_t k = 0; k < n; ++k) {
          uint32_t b = static_cast<uint32_t>(rng.integer(0, p.devices - 2));
          if (b >= a) ++b;
          uint32_t start = static_cast<uint32_t>(day_start + 8 * 3600 + rng.integer(0, 14 * 3600));
          double minutes = std::clamp(rng.exponential(p.encounter_minutes_mean), 1.0, p.encounter_minutes_max);
          add_pair_contact(a, b, start, static_cast<uint32_t>(minutes * 60),
                           static_cast<float>(rng.uniform(p.encounter_distance_min_m, p.encounter_distance_max_m)),
                           ContactKind::kEncounter);
        }
      }
    }
  }
}

void City::index_contacts() {
  offsets_.assign(devices_.size() + 1, 0);
  for (const Contact& c : contacts_) {
    ++offsets_[c.a + 1];
    ++offsets_[c.b + 1];
  }
  for (size_t i = 1; i < offsets_.size(); ++i) offsets_[i] += offsets_[i - 1];
  by_device_.resize(offsets_.back());
  std::vector<uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
  for (uint32_t i = 0; i < contacts_.size(); ++i) {
    by_device_[fill[contacts_[i].a]++] = i;
    by_device_[fill[contacts_[i].b]++] = i;
  }
}

std::span<const uint32_t> City::contacts_of(uint32_t device) const {
  return std::span<const uint32_t>(by_device_).subspan(offsets_[device], offsets_[device + 1] - offsets_[device]);
}

uint32_t City::infectious_side(const Contact& c) const {
  for (uint32_t x : {c.a, c.b}) {
    const Device& d = devices_[x];
    if (d.positive() && day_of(c.start) < day_of(d.test_time)) return x;
  }
  return kNoGroup;
}

void City::compute_truth() {
  truth_.assign(devices_.size(), DeviceTruth{});
  // (device, positive, day) -> close minutes.
  std::map<std::tuple<uint32_t, uint32_t, int64_t>, double> close_minutes;
  for (const Contact& c : contacts_) {
    uint32_t positive = infectious_side(c);
    if (positive == kNoGroup) continue;
    uint32_t other = c.other(positive);
    // Both may be positive: each is then a contact of the other.
    for (auto [dev, pos] : {std::pair{other, positive}, std::pair{positive, other}}) {
      if (pos != positive && infectious_side(Contact{pos, pos, c.start, 0, 0, c.kind}) == kNoGroup) continue;
      DeviceTruth& t = truth_[dev];
      t.min_distance_m = t.exposed ? std::min<double>(t.min_distance_m, c.distance_m) : c.distance_m;
      t.exposed = true;
      if (c.distance_m <= config_.truth.close_distance_m) {
        double& m = close_minutes[{dev, pos, day_of(c.start)}];
        m += c.duration / 60.0;
        if (m > t.best_close_minutes) {
          t.best_close_minutes = m;
          t.best_positive = pos;
        }
        if (m >= config_.truth.close_minutes) t.close = true;
      }
    }
  }
}

std::vector<uint64_t> City::contacts_by_kind() const {
  std::vector<uint64_t> out(4, 0);
  for (const Contact& c : contacts_) ++out[static_cast<size_t>(c.kind)];
  return out;
}

}  // namespace exposure::sim
