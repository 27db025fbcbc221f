// The advertiser's key schedule: which TEK is in force, what to broadcast now, when it
// changes, the 14-day own-key history, and which keys may be uploaded.
#pragma once

#include <cstdint>
#include <vector>

#include "exposure/ble.h"
#include "exposure/interval.h"
#include "exposure/keys.h"
#include "exposure/metadata.h"
#include "exposure/status.h"

namespace exposure {

struct KeyScheduleOptions {
  // Metadata encrypted into every AEM (TX power is device-specific).
  BluetoothMetadata metadata{.major_version = 1, .minor_version = 1};
  // Own keys are kept this many days before today (today's key is kept too).
  uint32_t history_days = 14;
  // Keys that may share one rolling_start_interval_number (original + early releases).
  uint32_t max_keys_per_start = 3;
};

struct Advertisement {
  EnIntervalNumber interval = 0;
  Rpi rpi{};
  Aem aem{};
  std::array<uint8_t, kLegacyAdvertisingDataMax> advertising_data{};
};

class KeySchedule {
 public:
  // `history` is the persisted own-key history (any order); the schedule keeps it sorted by
  // start interval. The clock is read on every call.
  KeySchedule(const Clock& clock, std::vector<TemporaryExposureKey> history,
              KeyScheduleOptions options = {});

  // The TEK in force now. Rolls to a fresh key (start = today's UTC midnight, period 144)
  // when there is none or the newest one has expired, and drops keys older than the
  // retention. The reference stays valid until the next non-const call.
  const TemporaryExposureKey& current_key();

  // RPI, AEM and the ready-to-send advertising payload for the current interval.
  Advertisement current_advertisement();

  // Unix time at which the broadcast RPI next changes (the next interval boundary).
  int64_t next_rotation_unix_seconds() const;

  // The retained own keys, oldest first (persist this after every call that may change it).
  const std::vector<TemporaryExposureKey>& history() const { return history_; }

  // Keys releasable for upload: every retained key except the one in force now (keys whose
  // validity ended, and keys released early). Today's key is only included after
  // release_current_key().
  std::vector<TemporaryExposureKey> keys_for_upload() const;

  // Same-day release: shortens the key in force to the intervals already used (through the
  // current one) so it can be uploaded now, and starts a new key with the same
  // rolling_start_interval_number for the rest of the day. Fails when that start already
  // has max_keys_per_start keys.
  Status release_current_key();

 private:
  EnIntervalNumber now_interval() const;
  void prune(EnIntervalNumber now);

  const Clock& clock_;
  std::vector<TemporaryExposureKey> history_;
  KeyScheduleOptions options_;
};

}  // namespace exposure
