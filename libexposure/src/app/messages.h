// Building requests and reading replies, shared by every exchange of the app module.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "exposure/app.h"

namespace exposure::app_internal {

// Request bodies are padded to one of these sizes (bytes of the whole JSON body), chosen per
// route so that every real request of the route fits the first size and chaff can match it.
inline constexpr size_t kVerifyBodyBytes = 512;
inline constexpr size_t kCertificateBodyBytes = 2048;
inline constexpr size_t kPublishBodyBytes = 8192;
inline constexpr size_t kCocoaBodyBytes = 8192;

// Adds a "padding" member of random base64 characters so the serialised body is exactly
// `target` bytes, or the next multiple of `target` when it is larger already. Returns the
// serialised body.
std::string padded_body(nlohmann::json body, size_t target);

// A JSON POST or PUT of `body` (already serialised).
app::HttpRequest json_request(std::string method, std::string path, std::string body);
// A GET.
app::HttpRequest get_request(std::string path);

// Turns a reply that is not 200 into the exchange's error: "<step>: HTTP <status>
// <errorCode>: <error>" with kRejected (4xx but 429), kUnavailable (0, 429, 5xx), and fills
// `*server_error` from the body. Ok for a 200.
Status reply_status(std::string_view step, const app::HttpResponse& response, app::ServerError* server_error);

// The JSON object of a 200 reply; kMalformed naming the step when the body is not one.
Result<nlohmann::json> json_object(std::string_view step, const app::HttpResponse& response);

// The string member `name` of `body`; kMalformed naming the step when absent or not a string.
Result<std::string> string_member(std::string_view step, const nlohmann::json& body, const char* name);

}  // namespace exposure::app_internal
