// Unit tests of the simulator's models: path loss and receptions, the city's determinism,
// isolation and ground truth, and the sightings (key schedule, scan schedule, radio).
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "exposure/key_schedule.h"
#include "population.h"
#include "radio.h"
#include "sightings.h"
#include "simulation.h"

namespace exposure::sim {
namespace {

SimulationConfig small_city(uint64_t seed) {
  SimulationConfig c;
  c.seed = seed;
  c.population.devices = 60;
  c.population.days = 4;
  c.epidemic.positive_share = 0.15;
  return c;
}

TEST(RadioModel, PathLossGrowsWithDistanceAndMatchesTheLinterAt1And2Metres) {
  RadioParams radio;
  EXPECT_DOUBLE_EQ(path_loss_db(radio, 1), 55);
  EXPECT_NEAR(path_loss_db(radio, 2), 61.02, 0.01);
  double previous = -1;
  for (double d = 0.1; d < 20; d += 0.1) {
    double loss = path_loss_db(radio, d);
    EXPECT_GT(loss, previous) << d;
    previous = loss;
  }
}

TEST(RadioModel, ReceptionsScatterAroundThePathLossAndFarOnesAreLost) {
  RadioParams radio;
  Rng rng(7, {1});
  double sum = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    auto rssi = receive(radio, -10, 0, 0, 2.0, 0, rng);
    ASSERT_TRUE(rssi.has_value());
    sum += -10 - *rssi;
  }
  EXPECT_NEAR(sum / n, path_loss_db(radio, 2.0), 0.2);
  // 100 m: 95 dB of path loss from -10 dBm is below the -95 dBm sensitivity almost always.
  int heard = 0;
  for (int i = 0; i < 1000; ++i) heard += receive(radio, -10, 0, 0, 100.0, 0, rng).has_value();
  EXPECT_LT(heard, 200);
}

TEST(City, SameSeedSameCityOtherSeedOtherCity) {
  City a(small_city(3), simulation_first_day()), b(small_city(3), simulation_first_day()),
      c(small_city(4), simulation_first_day());
  ASSERT_EQ(a.contacts().size(), b.contacts().size());
  for (size_t i = 0; i < a.contacts().size(); ++i) {
    EXPECT_EQ(a.contacts()[i].start, b.contacts()[i].start);
    EXPECT_EQ(a.contacts()[i].distance_m, b.contacts()[i].distance_m);
  }
  EXPECT_EQ(a.positives(), b.positives());
  bool differs = a.contacts().size() != c.contacts().size();
  for (size_t i = 0; !differs && i < a.contacts().size(); ++i) differs = a.contacts()[i].start != c.contacts()[i].start;
  EXPECT_TRUE(differs);
}

TEST(City, PositivesIsolateAndTheGroundTruthFollowsTheContacts) {
  City city(small_city(5), simulation_first_day());
  ASSERT_FALSE(city.positives().empty());
  const auto devices = city.devices();
  // Nobody meets a positive after its test.
  for (const Contact& c : city.contacts()) {
    for (uint32_t x : {c.a, c.b}) {
      if (devices[x].positive()) {
        EXPECT_LE(int64_t{c.end()}, devices[x].test_time);
      }
    }
  }
  // Brute force: close minutes per (device, positive, day) on days before the test day.
  std::map<std::tuple<uint32_t, uint32_t, int64_t>, double> minutes;
  for (const Contact& c : city.contacts()) {
    for (auto [dev, pos] : {std::pair{c.a, c.b}, std::pair{c.b, c.a}}) {
      if (!devices[pos].positive() || city.day_of(c.start) >= city.day_of(devices[pos].test_time)) continue;
      if (c.distance_m <= 2.0) minutes[{dev, pos, city.day_of(c.start)}] += c.duration / 60.0;
    }
  }
  std::vector<bool> expected(devices.size(), false);
  for (const auto& [k, m] : minutes) {
    if (m >= 15) expected[std::get<0>(k)] = true;
  }
  size_t close = 0;
  for (size_t d = 0; d < devices.size(); ++d) {
    EXPECT_EQ(city.truth()[d].close, expected[d]) << d;
    close += expected[d];
  }
  EXPECT_GT(close, 0u);
}

TEST(Sightings, FollowTheKeyScheduleTheScanScheduleAndTheRadioModel) {
  SimulationConfig config = small_city(6);
  City city(config, simulation_first_day());
  DeviceKeys keys(city);
  const uint32_t device = 0;
  auto generated = generate_sightings(
      city, keys, device, [](uint32_t) { return true; }, INT64_MAX);
  ASSERT_TRUE(generated.ok()) << generated.status().to_string();
  const DeviceSightings& seen = *generated;
  ASSERT_GT(seen.sightings.size(), 20u);
  const Device& rx = city.devices()[device];
  for (size_t i = 0; i < seen.sightings.size(); ++i) {
    const Sighting& s = seen.sightings[i];
    // Scans start at the device's phase every 300 s and last 4 s.
    EXPECT_LT((s.time + 300 - rx.scan_phase_s) % 300, 4u) << i;
    EXPECT_EQ(s.previous_scan_time + 300, s.time - (s.time + 300 - rx.scan_phase_s) % 300);
    // The advertiser's KeySchedule broadcast exactly this RPI and AEM at that time.
    const uint32_t tx = seen.advertiser[i];
    const uint32_t day = static_cast<uint32_t>(city.day_of(s.time));
    TemporaryExposureKey tek;
    tek.key_data = SecretArray<16>(keys.key(tx, day));
    tek.rolling_start_interval_number = interval_number(city.first_day() + int64_t{day} * 86400);
    ManualClock clock(s.time);
    KeySchedule schedule(clock, {tek}, KeyScheduleOptions{.metadata = DeviceKeys::metadata_of(city.devices()[tx])});
    Advertisement ad = schedule.current_advertisement();
    EXPECT_EQ(ad.rpi, s.rpi) << i;
    EXPECT_EQ(ad.aem, s.aem) << i;
  }
  // Attenuation grows with distance on average (near vs far halves).
  double near = 0, far = 0;
  int n_near = 0, n_far = 0;
  for (size_t i = 0; i < seen.sightings.size(); ++i) {
    int att = city.devices()[seen.advertiser[i]].tx_power_dbm - seen.sightings[i].rssi;
    (seen.distance_m[i] < 2 ? near : far) += att;
    (seen.distance_m[i] < 2 ? n_near : n_far) += 1;
  }
  ASSERT_GT(n_near, 0);
  ASSERT_GT(n_far, 0);
  EXPECT_LT(near / n_near, far / n_far);
}

}  // namespace
}  // namespace exposure::sim
