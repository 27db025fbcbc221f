#include "matching/day_batches.h"

#include "exposure/interval.h"

namespace exposure::matching {

const std::vector<PendingKey>& DayBatches::add(const PendingKey& key) {
  ready_.clear();
  Group& group = group_for(key.key.rolling_start_interval_number / kTekRollingPeriod);
  group.keys.push_back(key);
  ++buffered_;
  if (ready_.empty()) {
    if (group.keys.size() >= kKeysPerGroup) {
      hand_out(static_cast<size_t>(&group - groups_.data()));
    } else if (buffered_ >= kBufferedKeysLimit) {
      hand_out(largest_group());
    }
  }
  return ready_;
}

const std::vector<PendingKey>& DayBatches::drain() {
  ready_.clear();
  if (buffered_ > 0) hand_out(largest_group());
  return ready_;
}

DayBatches::Group& DayBatches::group_for(uint32_t day) {
  Group* empty = nullptr;
  for (Group& g : groups_) {
    if (g.day == day) return g;
    if (empty == nullptr && g.keys.empty()) empty = &g;
  }
  if (empty == nullptr && groups_.size() < kMaxGroups) empty = &groups_.emplace_back();
  if (empty == nullptr) {
    size_t largest = largest_group();
    hand_out(largest);
    empty = &groups_[largest];
  }
  empty->day = day;
  return *empty;
}

void DayBatches::hand_out(size_t g) {
  // The swap keeps both buffers' storage: the group refills ready_'s old one.
  ready_.clear();
  ready_.swap(groups_[g].keys);
  buffered_ -= ready_.size();
}

size_t DayBatches::largest_group() const {
  size_t largest = 0;
  for (size_t g = 1; g < groups_.size(); ++g)
    if (groups_[g].keys.size() > groups_[largest].keys.size()) largest = g;
  return largest;
}

}  // namespace exposure::matching
