#include "publish/key_transform.h"

#include <algorithm>
#include <cstring>

#include "common/text.h"
#include "exposure/diagnosis_key.h"
#include "exposure/interval.h"
#include "verification/test_type.h"

namespace exposure::server {
namespace {

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

}  // namespace

int64_t embargoed_created_at(uint32_t rolling_start, uint32_t rolling_period, int64_t now, int64_t truncate_window,
                             bool release_same_day_keys) {
  const int64_t cur = floor_div(now, kIntervalSeconds);
  const int64_t end = int64_t{rolling_start} + rolling_period;
  if (!release_same_day_keys && end > cur) {
    return floor_to(end * kIntervalSeconds + truncate_window, truncate_window);
  }
  return floor_to(now, truncate_window);
}

std::string key_age_problem(int64_t rolling_start, int64_t rolling_period, int64_t now,
                            const PublishSettings& s) {
  const int64_t oldest = floor_div(now - s.max_interval_age_seconds, kIntervalSeconds);
  if (rolling_start < 0 || rolling_start + rolling_period < oldest) {
    return "key is too old (rollingStartNumber " + std::to_string(rolling_start) + ")";
  }
  if (rolling_start > floor_div(now, kIntervalSeconds)) {
    return "rollingStartNumber " + std::to_string(rolling_start) + " is in the future";
  }
  return {};
}

int64_t choose_onset_interval(const UploadContext& ctx, int64_t now, const PublishSettings& s, bool* missing) {
  const int64_t cur = floor_div(now, kIntervalSeconds);
  const int64_t min_symptom =
      floor_div(floor_to(now - int64_t{s.max_valid_symptom_onset_report_days} * kSecondsPerDay, kSecondsPerDay),
                kIntervalSeconds);
  auto plausible = [&](const std::optional<int64_t>& v) { return v && *v >= min_symptom && *v < cur; };
  std::optional<int64_t> onset;
  if (plausible(ctx.request_onset_interval)) onset = ctx.request_onset_interval;
  else if (plausible(ctx.certificate_onset_interval)) onset = ctx.certificate_onset_interval;
  if (onset) {
    int64_t onset_day = floor_div(*onset, kTekRollingPeriod);
    int64_t today = floor_div(cur, kTekRollingPeriod);
    if (today - onset_day > s.max_valid_symptom_onset_report_days) onset.reset();
  }
  *missing = !onset;
  if (!onset) onset = floor_div(now - int64_t{s.default_symptom_onset_days_ago} * kSecondsPerDay, kIntervalSeconds);
  return floor_to(*onset, kTekRollingPeriod);
}

ApiResult<TransformedUpload> transform_upload(std::span<const TekmacKey> keys, const UploadContext& ctx, int64_t now,
                                              const PublishSettings& s) {
  if (keys.empty()) return api_error(400, "bad_request", "no exposure keys in publish request");
  if (static_cast<int>(keys.size()) > s.max_keys_on_publish) {
    return api_error(400, "bad_request",
                     "too many exposure keys in publish: " + std::to_string(keys.size()) + ", max of " +
                         std::to_string(s.max_keys_on_publish) + " is allowed");
  }
  TransformedUpload out;
  const int64_t onset = choose_onset_interval(ctx, now, s, &out.missing_onset);
  const int64_t onset_day = floor_div(onset, kTekRollingPeriod);

  for (size_t i = 0; i < keys.size(); ++i) {
    const TekmacKey& k = keys[i];
    const std::string where = "key " + std::to_string(i) + ": ";
    auto data = from_base64(k.key);
    if (!data.ok() || data->size() != 16) {
      out.dropped.push_back(where + "key must be base64 of 16 bytes");
      continue;
    }
    if (k.rolling_period < 1 || k.rolling_period > kTekRollingPeriod) {
      out.dropped.push_back(where + "rollingPeriod " + std::to_string(k.rolling_period) + " out of range 1..144");
      continue;
    }
    if (std::string age = key_age_problem(k.rolling_start_number, k.rolling_period, now, s);
        !age.empty()) {
      out.dropped.push_back(where + age);
      continue;
    }
    if (k.transmission_risk < 0 || k.transmission_risk > kMaxTransmissionRiskLevel) {
      out.dropped.push_back(where + "transmissionRisk " + std::to_string(k.transmission_risk) + " out of range 0..8");
      continue;
    }
    Exposure e;
    std::memcpy(e.key_data.data(), data->data(), 16);
    e.rolling_start = static_cast<uint32_t>(k.rolling_start_number);
    e.rolling_period = static_cast<uint32_t>(k.rolling_period);
    e.created_at = embargoed_created_at(e.rolling_start, e.rolling_period, now, s.truncate_window_seconds,
                                        s.release_same_day_keys);
    e.report_type = ctx.report_type;
    e.transmission_risk = ctx.report_type.empty()
                              ? static_cast<int32_t>(k.transmission_risk)
                              : backfill_transmission_risk(static_cast<int32_t>(k.transmission_risk), ctx.report_type);
    e.health_authority_id = ctx.health_authority_id;
    int64_t dsos = floor_div(e.rolling_start, kTekRollingPeriod) - onset_day;
    if (dsos > s.max_symptom_onset_days || dsos < -s.max_symptom_onset_days) {
      out.warnings.push_back("key " + std::to_string(i) + " symptom onset is too large, " + std::to_string(dsos) +
                             " days from onset");
      continue;
    }
    e.days_since_onset = static_cast<int32_t>(dsos);
    e.traveler = ctx.traveler;
    e.regions = ctx.regions;
    e.local_provenance = true;
    out.exposures.push_back(std::move(e));
  }

  std::sort(out.exposures.begin(), out.exposures.end(), [](const Exposure& a, const Exposure& b) {
    return a.rolling_start != b.rolling_start ? a.rolling_start < b.rolling_start : a.rolling_period < b.rolling_period;
  });
  int same_start = 1;
  for (size_t i = 1; i < out.exposures.size(); ++i) {
    const Exposure& prev = out.exposures[i - 1];
    const Exposure& curr = out.exposures[i];
    if (curr.rolling_start == prev.rolling_start) {
      if (++same_start > s.max_same_start_interval_keys) {
        return api_error(400, "bad_request",
                         "too many overlapping keys starting at interval " + std::to_string(curr.rolling_start) +
                             ", max of " + std::to_string(s.max_same_start_interval_keys) + " is allowed");
      }
      continue;
    }
    same_start = 1;
    if (prev.rolling_start + prev.rolling_period > curr.rolling_start) {
      return api_error(400, "bad_request",
                       "exposure keys overlap: key starting at " + std::to_string(prev.rolling_start) + " (period " +
                           std::to_string(prev.rolling_period) + ") and key starting at " +
                           std::to_string(curr.rolling_start));
    }
  }
  if (out.exposures.empty()) {
    std::vector<std::string> reasons = out.dropped;
    reasons.insert(reasons.end(), out.warnings.begin(), out.warnings.end());
    return api_error(400, "bad_request", "no valid exposure keys: " + join(reasons, "; "));
  }
  return out;
}

}  // namespace exposure::server
