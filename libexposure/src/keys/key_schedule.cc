#include "exposure/key_schedule.h"

#include <algorithm>

namespace exposure {

KeySchedule::KeySchedule(const Clock& clock, std::vector<TemporaryExposureKey> history,
                         KeyScheduleOptions options)
    : clock_(clock), history_(std::move(history)), options_(options) {
  std::stable_sort(history_.begin(), history_.end(), [](const auto& a, const auto& b) {
    return a.rolling_start_interval_number < b.rolling_start_interval_number;
  });
}

EnIntervalNumber KeySchedule::now_interval() const {
  return interval_number(clock_.now_unix_seconds());
}

void KeySchedule::prune(EnIntervalNumber now) {
  const EnIntervalNumber today = day_start_interval(now);
  const EnIntervalNumber oldest_day =
      today >= options_.history_days * kTekRollingPeriod ? today - options_.history_days * kTekRollingPeriod : 0;
  std::erase_if(history_, [&](const TemporaryExposureKey& k) {
    return k.end_interval() <= oldest_day;
  });
}

const TemporaryExposureKey& KeySchedule::current_key() {
  const EnIntervalNumber now = now_interval();
  prune(now);
  // The newest key is last; a key released early keeps its start but is no longer last.
  if (history_.empty() || !history_.back().valid_at(now)) {
    history_.push_back(generate_temporary_exposure_key(now));
  }
  return history_.back();
}

Advertisement KeySchedule::current_advertisement() {
  const TemporaryExposureKey& key = current_key();
  Advertisement ad;
  ad.interval = now_interval();
  KeyData tek = key.key_data.array();
  ad.rpi = rolling_proximity_id(derive_rpi_key(tek), ad.interval);
  ad.aem = encrypt_metadata(derive_aem_key(tek), ad.rpi, options_.metadata.encode());
  secure_wipe(tek.data(), tek.size());
  ad.advertising_data = build_advertising_data(ad.rpi, ad.aem);
  return ad;
}

int64_t KeySchedule::next_rotation_unix_seconds() const {
  return interval_start_seconds(now_interval() + 1);
}

std::vector<TemporaryExposureKey> KeySchedule::keys_for_upload() const {
  // Every retained key except the one in force: ended keys, and keys released early.
  const EnIntervalNumber now = now_interval();
  std::vector<TemporaryExposureKey> out(history_.begin(), history_.end());
  if (!out.empty() && out.back().valid_at(now)) out.pop_back();
  return out;
}

Status KeySchedule::release_current_key() {
  const EnIntervalNumber now = now_interval();
  const TemporaryExposureKey& current = current_key();
  const EnIntervalNumber start = current.rolling_start_interval_number;
  const auto same_start = std::count_if(history_.begin(), history_.end(), [&](const auto& k) {
    return k.rolling_start_interval_number == start;
  });
  if (static_cast<uint32_t>(same_start) >= options_.max_keys_per_start) {
    return Status(ErrorCode::kFailedPrecondition,
                  "today's key was already released " + std::to_string(same_start - 1) +
                      " times; at most " + std::to_string(options_.max_keys_per_start) +
                      " keys may share a start interval");
  }
  // The released key covers every interval it was broadcast in, through the current one.
  // The new key (same start) is last in the history, so it is the one advertised from now
  // on and the released key becomes uploadable at once.
  history_.back().rolling_period = now - start + 1;
  TemporaryExposureKey next = generate_temporary_exposure_key(now);
  next.rolling_start_interval_number = start;
  next.rolling_period = kTekRollingPeriod;
  history_.push_back(std::move(next));
  return Status::Ok();
}

}  // namespace exposure
