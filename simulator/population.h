// The simulated city: devices with their households, workplaces and radio traits, who tests
// positive when, and every contact (pair, start, duration, true distance) day by day, with
// the ground truth of close contacts derived from them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim_config.h"

namespace exposure::sim {

inline constexpr uint32_t kNoGroup = UINT32_MAX;

enum class ContactKind : uint8_t { kHousehold = 0, kWorkplace = 1, kTransit = 2, kEncounter = 3 };
const char* contact_kind_name(ContactKind kind);

enum class UploadPath : uint8_t { kGoogle = 0, kCocoa = 1 };

struct Device {
  uint32_t household = 0;
  uint32_t workplace = kNoGroup;
  int8_t tx_power_dbm = 0;        // advertised in the AEM metadata
  float tx_power_error_db = 0;    // true TX power = advertised + this
  float rx_offset_db = 0;         // residual RSSI calibration error of its scanner
  uint16_t scan_phase_s = 0;      // its scans start at phase + k * scan interval
  int64_t test_time = 0;          // unix seconds of its positive test; 0 = never
  UploadPath upload_path = UploadPath::kGoogle;
  bool positive() const { return test_time != 0; }
};

struct Contact {
  uint32_t a = 0, b = 0;
  uint32_t start = 0;      // unix seconds
  uint32_t duration = 0;   // seconds
  float distance_m = 0;
  ContactKind kind = ContactKind::kEncounter;
  uint32_t end() const { return start + duration; }
  uint32_t other(uint32_t device) const { return device == a ? b : a; }
};

// Ground truth for a device against the positives: exposure on days whose keys the positive
// uploaded (days before its test day; it isolates from its test on).
struct DeviceTruth {
  bool close = false;                 // some day >= close_minutes at <= close_distance
  bool exposed = false;               // any contact with a positive on such a day
  double best_close_minutes = 0;      // most close minutes with one positive on one day
  uint32_t best_positive = kNoGroup;  // that positive
  double min_distance_m = 0;          // closest contact with a positive on such a day
};

class City {
 public:
  // Builds devices, households, workplaces, positives and every contact of every day.
  City(const SimulationConfig& config, int64_t first_day_unix);

  const SimulationConfig& config() const { return config_; }
  int64_t first_day() const { return first_day_; }
  std::span<const Device> devices() const { return devices_; }
  std::span<const Contact> contacts() const { return contacts_; }
  // Indices into contacts() of the contacts of `device`, in generation order.
  std::span<const uint32_t> contacts_of(uint32_t device) const;
  const std::vector<DeviceTruth>& truth() const { return truth_; }
  // Positives in test-time order (ties by device id).
  const std::vector<uint32_t>& positives() const { return positives_; }
  uint32_t households() const { return households_; }
  uint32_t workplaces() const { return workplaces_; }
  // Day index (0-based) of a unix time.
  int64_t day_of(int64_t unix_seconds) const { return (unix_seconds - first_day_) / 86400; }
  // True when a contact counts for the ground truth: one side positive, on a day whose key
  // that positive uploaded. Returns the positive, or kNoGroup.
  uint32_t infectious_side(const Contact& c) const;
  // Contacts by kind.
  std::vector<uint64_t> contacts_by_kind() const;

 private:
  void make_devices();
  void make_contacts();
  void add_pair_contact(uint32_t a, uint32_t b, uint32_t start, uint32_t duration, float distance, ContactKind kind);
  void index_contacts();
  void compute_truth();

  SimulationConfig config_;
  int64_t first_day_;
  std::vector<Device> devices_;
  std::vector<Contact> contacts_;
  std::vector<uint32_t> offsets_, by_device_;
  std::vector<DeviceTruth> truth_;
  std::vector<uint32_t> positives_;
  uint32_t households_ = 0, workplaces_ = 0;
};

}  // namespace exposure::sim
