// Groups streamed diagnosis keys by the UTC day of their rolling start, so that the keys
// handed to the probe loop together all use one day's filter partition (which then stays
// in cache for the whole group). Memory is bounded: at most kBufferedKeysLimit keys wait.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "exposure/diagnosis_key.h"

namespace exposure::matching {

// A key waiting to be matched, with its position in the key stream (results are reported
// in stream order).
struct PendingKey {
  DiagnosisKey key;
  uint64_t stream_position;
};

class DayBatches {
 public:
  // A day's group is handed out when it holds this many keys.
  static constexpr size_t kKeysPerGroup = 8192;
  // When this many keys wait in all groups together, the largest group is handed out.
  static constexpr size_t kBufferedKeysLimit = 16 * kKeysPerGroup;
  // Days with a group at once; a key of one more day first makes the largest group go.
  static constexpr size_t kMaxGroups = 24;

  // Adds `key`. Returns a group to match now (keys of one day, in stream order) or an empty
  // vector; the group stays valid until the next call.
  const std::vector<PendingKey>& add(const PendingKey& key);

  // Hands out the waiting groups one by one (largest first) after the stream ends; an
  // empty vector when none is left.
  const std::vector<PendingKey>& drain();

 private:
  struct Group {
    uint32_t day = 0;
    std::vector<PendingKey> keys;
  };

  // The group for `day`: its own, an empty one, a new one, or (with kMaxGroups open) the
  // largest, whose keys then go to ready_.
  Group& group_for(uint32_t day);
  // Moves group `g`'s keys to ready_; the group stays, empty, for reuse.
  void hand_out(size_t g);
  size_t largest_group() const;

  std::vector<Group> groups_;  // at most kMaxGroups; empty ones are reused
  std::vector<PendingKey> ready_;
  size_t buffered_ = 0;
};

}  // namespace exposure::matching
