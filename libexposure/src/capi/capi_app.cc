// C ABI: the app's protocol exchanges (exposure.h, "The app's protocol"), over exposure/app.h.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "capi/capi_convert.h"
#include "capi/capi_handles.h"
#include "capi/capi_support.h"
#include "exposure.h"
#include "exposure/app.h"
#include "exposure/report_json.h"
#include "exposure/risk_config.h"

using namespace exposure;
using namespace exposure::capi;

namespace {

// One chaff request; any reply ends it.
class ChaffExchange final : public app::Exchange {
 public:
  explicit ChaffExchange(app::HttpRequest request) : request_(std::move(request)) {}
  const app::HttpRequest* next_request() override { return finished() ? nullptr : &request_; }
  Status receive(const app::HttpResponse&) override { return finish(Status::Ok()); }

 private:
  app::HttpRequest request_;
};

enum class Kind { kUpload, kCheck, kChaff };

}  // namespace

struct exposure_exchange {
  Kind kind = Kind::kChaff;
  app::UploadFlow flow = app::UploadFlow::kGoogle;
  std::unique_ptr<app::Exchange> exchange;
  // The C view of the request handed out last.
  std::vector<exposure_http_header> headers;
  bool has_request = false;
};

namespace {

std::string or_default(const char* text, const char* fallback) { return text != nullptr ? text : fallback; }

Status upload_options_from_c(const exposure_upload_options& c, app::UploadOptions* out) {
  EXPOSURE_RETURN_IF_ERROR(require(c.code, "options.code"));
  if (c.flow != EXPOSURE_UPLOAD_GOOGLE && c.flow != EXPOSURE_UPLOAD_COCOA) {
    return invalid_argument("options.flow: " + std::to_string(c.flow) + " is neither Google (0) nor COCOA (1)");
  }
  EXPOSURE_RETURN_IF_ERROR(require_array(c.regions, c.region_count, "options.regions"));
  out->flow = c.flow == EXPOSURE_UPLOAD_GOOGLE ? app::UploadFlow::kGoogle : app::UploadFlow::kCocoa;
  out->code = c.code;
  out->app_id = or_default(c.app_id, "com.example.app");
  for (size_t i = 0; i < c.region_count; ++i) {
    EXPOSURE_RETURN_IF_ERROR(require(c.regions[i], ("options.regions[" + std::to_string(i) + "]").c_str()));
    out->regions.emplace_back(c.regions[i]);
  }
  out->platform = or_default(c.platform, "android");
  out->onset_date = or_default(c.onset_date, "");
  out->transmission_risk = c.transmission_risk;
  out->now = c.now_unix_seconds;
  return Status::Ok();
}

Status check_options_from_c(const exposure_check_options& c, app::CheckOptions* out) {
  EXPOSURE_RETURN_IF_ERROR(require(c.region, "options.region"));
  EXPOSURE_RETURN_IF_ERROR(require(c.config_json, "options.config_json"));
  out->region = c.region;
  out->export_path = or_default(c.export_path, "/exports");
  out->index_format = c.use_list_json != 0 ? app::IndexFormat::kListJson : app::IndexFormat::kIndexTxt;
  auto sets = cosign_sets_from_c(c.public_keys, c.public_key_count);
  if (!sets.ok()) return sets.status();
  out->cosign_sets = std::move(*sets);
  auto config = parse_risk_config(std::string_view(c.config_json, c.config_length));
  if (!config.ok()) return Status(config.status().code(), "options.config_json: " + config.status().message());
  out->config = std::move(*config);
  const std::string platform = or_default(c.platform, "android");
  out->profile = find_platform_profile(platform);
  if (out->profile == nullptr) return invalid_argument("options.platform: '" + platform + "' is neither android nor ios");
  out->now = c.now_unix_seconds;
  out->threads = c.threads;
  return Status::Ok();
}

exposure_exchange* wrap(Kind kind, std::unique_ptr<app::Exchange> exchange) {
  auto* out = new exposure_exchange;
  out->kind = kind;
  out->exchange = std::move(exchange);
  return out;
}

}  // namespace

extern "C" {

void exposure_upload_options_init(exposure_upload_options* options) {
  if (options == nullptr) return;
  *options = exposure_upload_options{};
  options->flow = EXPOSURE_UPLOAD_GOOGLE;
}

exposure_status exposure_upload_start(exposure_store* store, const exposure_tek* keys, size_t key_count,
                                      const exposure_upload_options* options, exposure_exchange** out) {
  return guarded([&]() -> Status {
    EXPOSURE_RETURN_IF_ERROR(require(store, "store"));
    EXPOSURE_RETURN_IF_ERROR(require(options, "options"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    auto teks = teks_from_c(keys, key_count, "keys");
    if (!teks.ok()) return teks.status();
    app::UploadOptions upload_options;
    EXPOSURE_RETURN_IF_ERROR(upload_options_from_c(*options, &upload_options));
    auto upload = app::Upload::start(*store->store, *teks, upload_options);
    if (!upload.ok()) return upload.status();
    exposure_exchange* x = wrap(Kind::kUpload, std::move(*upload));
    x->flow = upload_options.flow;
    *out = x;
    return Status::Ok();
  });
}

void exposure_check_options_init(exposure_check_options* options) {
  if (options == nullptr) return;
  *options = exposure_check_options{};
  options->threads = 1;
}

exposure_status exposure_check_start(exposure_store* store, const exposure_check_options* options,
                                     exposure_exchange** out) {
  return guarded([&]() -> Status {
    EXPOSURE_RETURN_IF_ERROR(require(store, "store"));
    EXPOSURE_RETURN_IF_ERROR(require(options, "options"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    app::CheckOptions check_options;
    EXPOSURE_RETURN_IF_ERROR(check_options_from_c(*options, &check_options));
    auto check = app::ExposureCheck::start(*store->store, std::move(check_options));
    if (!check.ok()) return check.status();
    *out = wrap(Kind::kCheck, std::move(*check));
    return Status::Ok();
  });
}

exposure_status exposure_chaff_start(int32_t route, exposure_exchange** out) {
  return guarded([&]() -> Status {
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    if (route < EXPOSURE_CHAFF_VERIFY || route > EXPOSURE_CHAFF_COCOA) {
      return invalid_argument("route: " + std::to_string(route) + " out of range 0..3");
    }
    *out = wrap(Kind::kChaff,
                std::make_unique<ChaffExchange>(app::chaff_request(static_cast<app::ChaffRoute>(route))));
    return Status::Ok();
  });
}

exposure_status exposure_exchange_next_request(exposure_exchange* exchange, exposure_http_request* out,
                                               int32_t* out_done) {
  return guarded([&]() -> Status {
    EXPOSURE_RETURN_IF_ERROR(require(exchange, "exchange"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    EXPOSURE_RETURN_IF_ERROR(require(out_done, "out_done"));
    const app::HttpRequest* request = exchange->exchange->next_request();
    exchange->has_request = request != nullptr;
    if (request == nullptr) {
      *out_done = 1;
      return Status::Ok();
    }
    exchange->headers.clear();
    for (const app::HttpHeader& h : request->headers) exchange->headers.push_back({h.name.c_str(), h.value.c_str()});
    out->method = request->method.c_str();
    out->path = request->path.c_str();
    out->headers = exchange->headers.empty() ? nullptr : exchange->headers.data();
    out->header_count = exchange->headers.size();
    out->body = request->body.empty() ? nullptr : reinterpret_cast<const uint8_t*>(request->body.data());
    out->body_length = request->body.size();
    *out_done = 0;
    return Status::Ok();
  });
}

exposure_status exposure_exchange_receive(exposure_exchange* exchange, int32_t http_status, const uint8_t* body,
                                          size_t body_length) {
  return guarded([&]() -> Status {
    EXPOSURE_RETURN_IF_ERROR(require(exchange, "exchange"));
    EXPOSURE_RETURN_IF_ERROR(require_array(body, body_length, "body"));
    if (http_status < 0 || http_status > 999) return invalid_argument("http_status " + std::to_string(http_status));
    app::HttpResponse response;
    response.status = http_status;
    if (body_length > 0) response.body.assign(reinterpret_cast<const char*>(body), body_length);
    return exchange->exchange->receive(response);
  });
}

exposure_status exposure_exchange_result_json(const exposure_exchange* exchange, char** out_json) {
  return guarded([&]() -> Status {
    EXPOSURE_RETURN_IF_ERROR(require(exchange, "exchange"));
    EXPOSURE_RETURN_IF_ERROR(require(out_json, "out_json"));
    const app::Exchange& x = *exchange->exchange;
    if (!x.finished()) return {ErrorCode::kFailedPrecondition, "the exchange is still running"};
    nlohmann::json result;
    if (!x.status().ok()) {
      const auto& server = x.server_error();
      result["error"] = {{"status", error_code_name(x.status().code())},
                         {"message", x.status().message()},
                         {"http_status", server ? server->http_status : 0},
                         {"server_code", server ? server->code : std::string()},
                         {"server_message", server ? server->message : std::string()}};
    } else if (exchange->kind == Kind::kUpload) {
      result["upload"] = report::upload_json(static_cast<const app::Upload&>(x).outcome(), exchange->flow);
    } else if (exchange->kind == Kind::kCheck) {
      result["check"] = report::check_json(static_cast<const app::ExposureCheck&>(x).outcome());
    } else {
      result["chaff"] = true;
    }
    *out_json = copy_string(result.dump());
    return Status::Ok();
  });
}

exposure_status exposure_check_notify(const exposure_exchange* exchange, int32_t* out_notify) {
  return guarded([&]() -> Status {
    EXPOSURE_RETURN_IF_ERROR(require(exchange, "exchange"));
    EXPOSURE_RETURN_IF_ERROR(require(out_notify, "out_notify"));
    const app::Exchange& x = *exchange->exchange;
    if (exchange->kind != Kind::kCheck || !x.finished() || !x.status().ok()) {
      return {ErrorCode::kFailedPrecondition, "not a check that finished successfully"};
    }
    *out_notify = static_cast<const app::ExposureCheck&>(x).outcome().decision.notify ? 1 : 0;
    return Status::Ok();
  });
}

void exposure_exchange_free(exposure_exchange* exchange) { delete exchange; }

}  // extern "C"
