// The COCOA-compatible upload: PUT /api/v3/diagnosis (and /api/v2/diagnosis). The
// "processing number" is a verification code from /api/issue, consumed when the upload is
// stored; its test type sets the report type and its symptom date backs up the app's
// onset date. Keys get the same validation and embargo as /v1/publish. An upload with an
// idempotency key is stored once: repeating it returns the first reply, storing nothing.
// Keys already stored are skipped (COCOA has no revision tokens).
#pragma once

#include <nlohmann/json.hpp>

#include "common/secrets.h"
#include "exposure/interval.h"
#include "http/api_error.h"
#include "http/metrics.h"
#include "publish/cocoa_api.h"
#include "publish/key_transform.h"
#include "storage/storage.h"
#include "verification/verification_service.h"

namespace exposure::server {

// The checks of an upload that need neither storage nor the processing number: required
// fields, report types 0..5 and the onset date. Returns the first interval of the onset day
// the app sent (nullopt when it sent none), or 400 bad_request naming the field.
ApiResult<std::optional<int64_t>> check_cocoa_request(const CocoaDiagnosisRequest& request);

class CocoaService {
 public:
  CocoaService(Storage& storage, const Clock& clock, const ServerSecrets& secrets, VerificationService& verification,
               PublishSettings settings, Metrics& metrics);

  // The reply object of a stored (or replayed) upload. Errors: 400 bad_request for an
  // invalid request, 401/500 as app_regions(), 406 with code_invalid / code_not_found /
  // code_expired for the processing number, 429 quota_exceeded.
  ApiResult<nlohmann::json> submit(const CocoaDiagnosisRequest& request);
  nlohmann::json fake_reply() const;

 private:
  Storage& storage_;
  const Clock& clock_;
  const ServerSecrets& secrets_;
  VerificationService& verification_;
  PublishSettings settings_;
  Metrics& metrics_;
};

}  // namespace exposure::server
