// The app's protocol (exposure.h, "The app's protocol") as every binding drives it: the options
// of an upload or a check collected from the host language as owned strings and arrays, the C
// option structs that point into them, the exchange handle owned by a unique_ptr, and each
// request copied out of the library's views (valid only until the next call on the exchange).
//
// The C views (options()) stay valid while the object lives and is not modified.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exposure.h"
#include "requests.h"

namespace exposure::bindings {

struct ExchangeFree {
  void operator()(exposure_exchange* exchange) const { exposure_exchange_free(exchange); }
};
using ExchangeHandle = std::unique_ptr<exposure_exchange, ExchangeFree>;

// exposure_upload_start's options; a missing text stays NULL (the library's default).
struct UploadInputs {
  int32_t flow = EXPOSURE_UPLOAD_GOOGLE;
  std::optional<std::string> code;
  std::optional<std::string> app_id;
  std::vector<std::string> regions;
  std::optional<std::string> platform;
  std::optional<std::string> onset_date;
  int32_t transmission_risk = 0;
  int64_t now_unix_seconds = 0;

  exposure_upload_options options() {
    region_pointers_.clear();
    for (const std::string& region : regions) region_pointers_.push_back(region.c_str());
    exposure_upload_options out;
    exposure_upload_options_init(&out);
    out.flow = flow;
    out.code = c_str(code);
    out.app_id = c_str(app_id);
    out.regions = region_pointers_.data();
    out.region_count = region_pointers_.size();
    out.platform = c_str(platform);
    out.onset_date = c_str(onset_date);
    out.transmission_risk = transmission_risk;
    out.now_unix_seconds = now_unix_seconds;
    return out;
  }

 private:
  static const char* c_str(const std::optional<std::string>& text) {
    return text ? text->c_str() : nullptr;
  }
  std::vector<const char*> region_pointers_;
};

// exposure_check_start's options; the public keys live in `sources` (its paths are unused).
struct CheckInputs {
  std::optional<std::string> region;
  std::optional<std::string> export_path;
  bool use_list_json = false;
  ExportSources sources;
  std::optional<std::string> config_json;
  std::optional<std::string> platform;
  int64_t now_unix_seconds = 0;
  uint32_t threads = 1;

  exposure_check_options options() {
    const std::vector<exposure_public_key>& keys = sources.c_public_keys();
    exposure_check_options out;
    exposure_check_options_init(&out);
    out.region = region ? region->c_str() : nullptr;
    out.export_path = export_path ? export_path->c_str() : nullptr;
    out.use_list_json = use_list_json ? 1 : 0;
    out.public_keys = keys.data();
    out.public_key_count = keys.size();
    out.config_json = config_json ? config_json->data() : nullptr;
    out.config_length = config_json ? config_json->size() : 0;
    out.platform = platform ? platform->c_str() : nullptr;
    out.now_unix_seconds = now_unix_seconds;
    out.threads = threads;
    return out;
  }
};

// A request the exchange gave, owned by the binding.
struct OwnedRequest {
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

inline OwnedRequest copy_request(const exposure_http_request& request) {
  OwnedRequest out{request.method, request.path, {}, {}};
  for (size_t i = 0; i < request.header_count; ++i) {
    out.headers.emplace_back(request.headers[i].name, request.headers[i].value);
  }
  if (request.body_length > 0)
    out.body.assign(reinterpret_cast<const char*>(request.body), request.body_length);
  return out;
}

}  // namespace exposure::bindings
