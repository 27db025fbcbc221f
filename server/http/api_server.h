// The HTTP front of the server over cpp-httplib. It applies the transport rules every JSON
// endpoint shares (Google's server API):
//   - X-Chaff requests get the route's fake success reply at once and change nothing;
//   - Content-Type must start with application/json (else 415), the body must be non-empty
//     (400) and at most body_limit bytes (413);
//   - every reply is one JSON object with a random "padding" field, errors are one-line
//     {"code"|"errorCode", "error"} objects, never a 5xx for bad input;
// and it counts requests by route and status for /metrics. Access logs (off by default)
// carry method, route, status and latency only: no address, user agent or body.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exposure/status.h"
#include "http/api_error.h"
#include "http/metrics.h"

namespace exposure::server {

// How an API spells its error objects: the key server {"code", "error"}, the verification
// server {"errorCode", "error"}.
enum class ErrorStyle { kKeyServer, kVerification };

struct JsonReply {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();
};

// The reply for `error` in `style` (padding is added when the reply is written).
JsonReply error_reply(const ApiError& error, ErrorStyle style);

struct JsonRoute {
  std::string method;  // "POST" or "PUT"
  std::string path;    // exact path, e.g. "/v1/publish"
  ErrorStyle style = ErrorStyle::kKeyServer;
  // Code of transport-level rejections (wrong content type, empty or oversized body);
  // empty means "bad_request" (key server) / "unparsable_request" (verification).
  std::string bad_request_code;
  // Serves a request whose transport checks passed.
  std::function<JsonReply(const httplib::Request&)> handle;
  // A reply shaped like a success with random content, for X-Chaff requests.
  std::function<JsonReply()> chaff;
};

class ApiServer {
 public:
  struct Options {
    size_t body_limit = 64000;
    size_t padding_min_bytes = 1024;
    size_t padding_range_bytes = 1024;
    int threads = 32;
    bool access_log = false;
    // A request (line, headers, body) must arrive within this time after its first byte,
    // else it is answered 408 (or, before its request line is complete, the connection is
    // closed); see DeadlineServer.
    int64_t read_timeout_ms = 20000;
    friend bool operator==(const Options&, const Options&) = default;
  };

  ApiServer(const Options& options, Metrics& metrics);
  ~ApiServer();

  void add_json_route(JsonRoute route);

  // Admission hook, run for every JSON request after the chaff check and before the
  // handler (rate limiting, load shedding): an error is answered as is, in the route's
  // style. `route` is the route path. None is installed by default.
  using Admission = std::function<std::optional<ApiError>(const httplib::Request& req, const std::string& route)>;
  void set_admission(Admission admission) { admission_ = std::move(admission); }
  // A GET route (HEAD too) answered by `handler`; `pattern` is a regex over the path,
  // `label` names the route in metrics.
  void add_get(const std::string& pattern, std::string label, httplib::Server::Handler handler);

  // Binds to host:port (port 0 picks a free one) and returns the port.
  Result<int> bind(const std::string& host, int port);
  // Serves until stop(). False if the listener failed.
  bool run();
  void stop();

  // Writes `reply` as JSON with a fresh padding field.
  void write_json(httplib::Response& res, JsonReply reply) const;

 private:
  struct RouteInfo {
    std::string method;
    std::string path;  // exact path, or a prefix when `prefix` is set
    bool prefix = false;
    std::string label;
    ErrorStyle style = ErrorStyle::kKeyServer;
    std::string bad_request_code;
  };
  const RouteInfo* match(const httplib::Request& req) const;
  void on_error(const httplib::Request& req, httplib::Response& res) const;
  ApiError body_too_large(const std::string& code) const;
  // The status refusing a request whose body framing is unacceptable before the body is
  // read (no length, too long, a body on a GET), or -1.
  int body_framing_error(const httplib::Request& req) const;

  Options options_;
  Metrics& metrics_;
  std::unique_ptr<httplib::Server> server_;
  std::vector<RouteInfo> routes_;
  Admission admission_;
};

}  // namespace exposure::server
