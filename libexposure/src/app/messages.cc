#include "app/messages.h"

#include "exposure/crypto.h"

namespace exposure::app_internal {

std::string padded_body(nlohmann::json body, size_t target) {
  body["padding"] = "";
  const size_t bare = body.dump().size();
  size_t size = target;
  while (size < bare) size += target;
  const size_t pad = size - bare;
  Bytes random((pad * 3) / 4 + 3);
  crypto::random_bytes(random);
  std::string text = to_base64(random);
  text.resize(pad);
  body["padding"] = std::move(text);
  return body.dump();
}

app::HttpRequest json_request(std::string method, std::string path, std::string body) {
  app::HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = std::move(body);
  return r;
}

app::HttpRequest get_request(std::string path) {
  app::HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  return r;
}

Status reply_status(std::string_view step, const app::HttpResponse& response, app::ServerError* server_error) {
  if (response.status == 200) return Status::Ok();
  if (response.status == 0) return {ErrorCode::kUnavailable, std::string(step) + ": no reply from the server"};
  app::ServerError error;
  error.http_status = response.status;
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    auto text = [&](const char* name) {
      auto it = body.find(name);
      return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    error.code = text("errorCode");
    if (error.code.empty()) error.code = text("code");
    error.message = text("error");
  }
  std::string line = std::string(step) + ": HTTP " + std::to_string(response.status);
  if (!error.code.empty()) line += " " + error.code;
  if (!error.message.empty()) line += ": " + error.message;
  *server_error = error;
  const bool retry_later = response.status == 429 || response.status >= 500 || response.status < 400;
  return {retry_later ? ErrorCode::kUnavailable : ErrorCode::kRejected, line};
}

Result<nlohmann::json> json_object(std::string_view step, const app::HttpResponse& response) {
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) return malformed(std::string(step) + ": HTTP 200 without a JSON object");
  return body;
}

Result<std::string> string_member(std::string_view step, const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string()) {
    return malformed(std::string(step) + ": reply without a string '" + name + "'");
  }
  return it->get<std::string>();
}

}  // namespace exposure::app_internal

namespace exposure::app {

Status Exchange::finish(Status status) {
  finished_ = true;
  status_ = status;
  return status;
}

}  // namespace exposure::app
