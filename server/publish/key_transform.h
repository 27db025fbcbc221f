// Validation and shaping of uploaded keys, shared by the Google and COCOA upload paths
// (Google's server API, the reference server's TransformPublish): per-key checks that drop
// bad keys, the embargo of still-valid keys, report type and transmission risk from the
// verified test type, days since symptom onset, and the cross-key overlap rules.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "http/api_error.h"
#include "publish/tekmac.h"
#include "storage/records.h"

namespace exposure::server {

struct PublishSettings {
  int max_keys_on_publish = 30;                     // MAX_KEYS_ON_PUBLISH
  int64_t max_interval_age_seconds = 360 * 3600;    // MAX_INTERVAL_AGE_ON_PUBLISH (15 days)
  int64_t truncate_window_seconds = 3600;           // TRUNCATE_WINDOW
  int32_t max_symptom_onset_days = 14;              // MAX_SYMPTOM_ONSET_DAYS
  int32_t max_valid_symptom_onset_report_days = 28; // MAX_VALID_SYMPTOM_ONSET_REPORT_DAYS
  int32_t default_symptom_onset_days_ago = 4;       // DEFAULT_SYMPTOM_ONSET_DAYS_AGO
  int max_same_start_interval_keys = 3;             // MAX_SAME_START_INTERVAL_KEYS
  bool release_same_day_keys = false;               // DEBUG_RELEASE_SAME_DAY_KEYS (no embargo)
  std::string default_region;                       // DEFAULT_REGION (empty: none)
  std::string revision_token_aad = "exposure-revision-token";  // REVISION_TOKEN_AAD
  friend bool operator==(const PublishSettings&, const PublishSettings&) = default;
};

// What the upload path knows besides the keys.
struct UploadContext {
  std::vector<std::string> regions;
  bool traveler = false;
  std::string report_type;  // from the certificate / code; "" when unverified
  int64_t health_authority_id = 0;
  std::optional<int64_t> request_onset_interval;      // symptomOnsetInterval of the request
  std::optional<int64_t> certificate_onset_interval;  // symptomOnsetInterval of the certificate
};

struct TransformedUpload {
  std::vector<Exposure> exposures;    // the surviving keys, sorted by (start, period)
  std::vector<std::string> dropped;   // "key 3: rollingPeriod 0 out of range 1..144"
  std::vector<std::string> warnings;  // keys dropped for their symptom-onset distance
  bool missing_onset = false;         // the default onset (now - 4 days) was used
};

// created_at of a key uploaded at `now`: now truncated to the window, or, while the key is
// still valid, the first window boundary after it expires (the embargo).
int64_t embargoed_created_at(uint32_t rolling_start, uint32_t rolling_period, int64_t now, int64_t truncate_window,
                             bool release_same_day_keys);

// Why a key valid from `rolling_start` for `rolling_period` intervals is not stored at `now`
// ("key is too old (...)": it expired more than max_interval_age_seconds ago; or its start
// is in the future), or "" when its age is acceptable. Uploads and federation imports both
// apply it.
std::string key_age_problem(int64_t rolling_start, int64_t rolling_period, int64_t now,
                            const PublishSettings& settings);

// The onset interval (rounded down to UTC midnight) used for days-since-onset: the
// request's if plausible, else the certificate's, else now - default days (and
// *missing = true).
int64_t choose_onset_interval(const UploadContext& ctx, int64_t now, const PublishSettings& settings, bool* missing);

// Steps 5-12: 400 bad_request when there are no keys, too many, overlapping keys, more
// than 3 keys with one start, or no key survives; otherwise the survivors and the
// dropped keys (for partial_failure).
ApiResult<TransformedUpload> transform_upload(std::span<const TekmacKey> keys, const UploadContext& ctx, int64_t now,
                                              const PublishSettings& settings);

}  // namespace exposure::server
