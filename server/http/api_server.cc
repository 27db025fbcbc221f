#include "http/api_server.h"

#include <chrono>

#include "common/text.h"
#include "http/deadline_server.h"

namespace exposure::server {
namespace {

thread_local std::chrono::steady_clock::time_point t_request_start;

bool is_json_content_type(const std::string& value) {
  return to_lower(value).rfind("application/json", 0) == 0;
}

std::string default_bad_request_code(ErrorStyle style) {
  return style == ErrorStyle::kVerification ? "unparsable_request" : "bad_request";
}

}  // namespace

ApiError internal_failure(std::string_view where, const Status& status) {
  log_error(std::string(where) + ": " + status.to_string());
  return api_error(500, "internal_error", "internal error, retry later");
}

JsonReply error_reply(const ApiError& error, ErrorStyle style) {
  JsonReply reply;
  reply.status = error.http_status;
  reply.body[style == ErrorStyle::kVerification ? "errorCode" : "code"] = error.code;
  reply.body["error"] = error.message;
  return reply;
}

ApiServer::ApiServer(const Options& options, Metrics& metrics)
    : options_(options),
      metrics_(metrics),
      // Line and headers get 64 KiB beside the body, chunked bodies as much again for framing.
      server_(std::make_unique<DeadlineServer>(
          DeadlineServer::Limits{options.read_timeout_ms, 2 * options.body_limit + 65536, 10000})) {
  int threads = options_.threads > 0 ? options_.threads : 1;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server_->set_payload_max_length(options_.body_limit);
  server_->set_tcp_nodelay(true);  // replies are written in pieces: no Nagle delays
  server_->set_keep_alive_max_count(10000);
  server_->set_keep_alive_timeout(5);

  // cpp-httplib would apply Range headers to every reply (JSON included) and compress
  // replies on Accept-Encoding. The server decides both itself: the export handler serves
  // ranges, and no reply is compressed (padding sizes and ETags stay meaningful). The
  // Request object is a mutable local of the library's request loop; clearing these
  // parsed fields before routing is the hook it offers.
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    auto& mutable_req = const_cast<httplib::Request&>(req);
    mutable_req.ranges.clear();
    mutable_req.headers.erase("Accept-Encoding");
    res.status = body_framing_error(req);
    if (res.status == -1) return httplib::Server::HandlerResponse::Unhandled;
    // Answered (by on_error) before reading a body that is refused anyway; the unread body
    // makes the connection unusable.
    mutable_req.set_header("Connection", "close");
    DeadlineServer::close_after_reply();
    return httplib::Server::HandlerResponse::Handled;
  });
  server_->set_error_handler([this](const httplib::Request& req, httplib::Response& res) { on_error(req, res); });
  server_->set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = printable(e.what(), 200);
    } catch (...) {
    }
    const RouteInfo* route = match(req);
    log_error("unhandled exception in " + (route ? route->label : std::string("unknown route")) + ": " + what);
    write_json(res, error_reply(api_error(500, "internal_error", "internal error"),
                                route ? route->style : ErrorStyle::kKeyServer));
  });
  server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const RouteInfo* route = match(req);
    std::string label = route ? route->label : "other";
    metrics_.count_request(label, res.status);
    if (options_.access_log) {
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request_start).count();
      char latency[32];
      std::snprintf(latency, sizeof latency, "%.2fms", ms);
      log_info("http " + printable(req.method, 8) + " " + label + " " + std::to_string(res.status) + " " + latency);
    }
  });
}

ApiServer::~ApiServer() = default;

const ApiServer::RouteInfo* ApiServer::match(const httplib::Request& req) const {
  std::string method = req.method == "HEAD" ? "GET" : req.method;
  const RouteInfo* path_only = nullptr;
  for (const RouteInfo& r : routes_) {
    bool path_matches = r.prefix ? req.path.rfind(r.path, 0) == 0 : req.path == r.path;
    if (!path_matches) continue;
    if (r.method == method) return &r;
    path_only = &r;
  }
  return path_only;
}

void ApiServer::write_json(httplib::Response& res, JsonReply reply) const {
  // The padding (base64: nothing to escape) is spliced into the serialised object rather
  // than serialised with it, which would copy and escape-check its kilobytes once more.
  if (reply.body.is_null()) reply.body = nlohmann::json::object();
  reply.body.erase("padding");
  std::string text = reply.body.dump();
  text.pop_back();  // the object's closing brace
  if (text.size() > 1) text += ',';
  text += "\"padding\":\"";
  text += random_padding(options_.padding_min_bytes, options_.padding_range_bytes);
  text += "\"}";
  res.status = reply.status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(text, "application/json");
}

int ApiServer::body_framing_error(const httplib::Request& req) const {
  bool chunked = to_lower(req.get_header_value("Transfer-Encoding")).find("chunked") != std::string::npos;
  bool has_length = req.has_header("Content-Length");
  uint64_t length = 0;
  if (has_length) {
    const std::string text = req.get_header_value("Content-Length");
    if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) return 400;
    length = std::stoull(text);
  }
  if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH" || req.method == "DELETE") {
    if (!has_length && !chunked) return 411;  // cpp-httplib would read until the client closes
    if (length > options_.body_limit) return 413;
  } else if (chunked || length > 0) {
    return 400;  // a body cpp-httplib would not read
  }
  return -1;
}

ApiError ApiServer::body_too_large(const std::string& code) const {
  return api_error(413, code, "request body larger than " + std::to_string(options_.body_limit) + " bytes");
}

void ApiServer::on_error(const httplib::Request& req, httplib::Response& res) const {
  // Reached for every reply with status >= 400 (also those the handlers wrote).
  const_cast<httplib::Request&>(req).ranges.clear();
  if (!res.body.empty()) return;
  const RouteInfo* route = match(req);
  ErrorStyle style = route ? route->style : ErrorStyle::kKeyServer;
  std::string bad_request = route ? route->bad_request_code : "bad_request";
  DeadlineServer::ReadFailure read_failure = DeadlineServer::current_read_failure();
  if (read_failure != DeadlineServer::ReadFailure::kNone) {
    res.status = read_failure == DeadlineServer::ReadFailure::kTimeout ? 408 : 413;
  }
  const bool had_body = req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
  if (read_failure != DeadlineServer::ReadFailure::kNone || ((res.status == 400 || res.status == 413) && had_body)) {
    // The body was not read to its end (a broken or oversized chunked body, a timeout): the
    // connection cannot carry another request.
    const_cast<httplib::Request&>(req).set_header("Connection", "close");  // the reply says so
    DeadlineServer::close_after_reply();
  }
  ApiError error;
  switch (res.status) {
    case 408:
      error = api_error(408, bad_request,
                        "request not received within " + format_duration_ms(options_.read_timeout_ms));
      break;
    case 404:
      error = api_error(404, "not_found", "no such resource");
      break;
    case 405:
      error = api_error(405, "method_not_allowed", "method not allowed");
      break;
    case 413:
      error = body_too_large(bad_request);
      break;
    case 411:
      error = api_error(411, bad_request, "Content-Length required");
      break;
    case 414:
      error = api_error(414, bad_request, "request URI too long");
      break;
    case 416:
      error = api_error(416, "range_not_satisfiable", "malformed Range header");
      break;
    default:
      error = api_error(res.status, bad_request, "bad request");
      break;
  }
  if (route == nullptr && res.status == 404) style = ErrorStyle::kKeyServer;
  write_json(res, error_reply(error, style));
}

void ApiServer::add_json_route(JsonRoute route) {
  if (route.bad_request_code.empty()) route.bad_request_code = default_bad_request_code(route.style);
  routes_.push_back(RouteInfo{route.method, route.path, false, route.path, route.style, route.bad_request_code});
  auto shared = std::make_shared<JsonRoute>(std::move(route));
  httplib::Server::Handler handler = [this, shared](const httplib::Request& req, httplib::Response& res) {
    JsonReply reply;
    std::optional<ApiError> refused;
    if (req.has_header("X-Chaff")) {
      reply = shared->chaff();
    } else if (admission_ && (refused = admission_(req, shared->path))) {
      reply = error_reply(*refused, shared->style);
      if (refused->retry_after_seconds > 0) res.set_header("Retry-After", std::to_string(refused->retry_after_seconds));
    } else if (!is_json_content_type(req.get_header_value("Content-Type"))) {
      reply = error_reply(api_error(415, shared->bad_request_code, "Content-Type must be application/json"),
                          shared->style);
    } else if (req.body.empty()) {
      reply = error_reply(api_error(400, shared->bad_request_code, "request body is empty"), shared->style);
    } else if (req.body.size() > options_.body_limit) {  // chunked bodies: not checked by cpp-httplib
      reply = error_reply(body_too_large(shared->bad_request_code), shared->style);
    } else {
      reply = shared->handle(req);
    }
    if (shared->style == ErrorStyle::kKeyServer) res.set_header("x-api-version", "v1");
    write_json(res, std::move(reply));
  };
  std::string pattern;
  for (char c : shared->path) {
    if (c == '.' || c == '+' || c == '(' || c == ')' || c == '[' || c == ']' || c == '?' || c == '*') pattern += '\\';
    pattern += c;
  }
  if (shared->method == "POST") server_->Post(pattern, handler);
  else if (shared->method == "PUT") server_->Put(pattern, handler);
  else std::abort();  // only POST and PUT carry JSON bodies here
}

void ApiServer::add_get(const std::string& pattern, std::string label, httplib::Server::Handler handler) {
  bool prefix = label.size() > 1 && label.back() == '/';
  routes_.push_back(RouteInfo{"GET", label, prefix, label, ErrorStyle::kKeyServer, "bad_request"});
  server_->Get(pattern, std::move(handler));
}

Result<int> ApiServer::bind(const std::string& host, int port) {
  int bound = port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return Status(ErrorCode::kIoError, "cannot listen on " + host + ":" + std::to_string(port));
  return bound;
}

bool ApiServer::run() { return server_->listen_after_bind(); }

void ApiServer::stop() { server_->stop(); }

}  // namespace exposure::server
