// A COCOA diagnosis body (PUT /api/v3/diagnosis) -> what the server does before storage:
// the strict JSON decode (parse_cocoa_request), the request checks (check_cocoa_request:
// required fields, report types, RFC 3339 onset date) and the shared key validation
// (cocoa_keys_for_validation, transform_upload).
#include <cstdint>
#include <cstdlib>

#include "publish/cocoa_api.h"
#include "publish/cocoa_service.h"
#include "server_fuzz_setup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exposure;
  auto request = server::parse_cocoa_request(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!request.ok()) {
    if (request.status().message().empty()) std::abort();
    return 0;
  }
  auto onset = server::check_cocoa_request(*request);
  if (!onset.ok()) {
    if (onset.error().http_status != 400 || onset.error().message.empty()) std::abort();
    return 0;
  }
  std::vector<server::TekmacKey> keys = server::cocoa_keys_for_validation(*request);
  if (keys.size() != request->keys.size()) std::abort();
  server::UploadContext ctx;
  ctx.regions = request->regions;
  ctx.report_type = "confirmed";
  ctx.request_onset_interval = *onset;
  auto upload = server::transform_upload(keys, ctx, fuzz::kServerNow, fuzz::publish_settings());
  if (upload.ok()) {
    if (upload->exposures.empty() || upload->exposures.size() > keys.size()) std::abort();
  } else if (upload.error().http_status != 400 || upload.error().message.empty()) {
    std::abort();
  }
  return 0;
}
