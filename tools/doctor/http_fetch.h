// Downloads from the export tree over HTTP(S) the way an app does: plain GETs relative to
// one base URL, following redirects, with connect and read timeouts.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <string_view>

#include "exposure/status.h"

namespace exposure::doctor {

// A base URL split for httplib: "https://cdn.example:8443/exposure/v1" ->
// origin "https://cdn.example:8443", path "/exposure/v1" (no trailing slash).
struct BaseUrl {
  std::string origin;
  std::string path;
  std::string text() const { return origin + path; }
};

// kInvalidArgument unless `url` is http:// or https:// followed by a host (and optional
// port and path); a query or fragment is refused.
Result<BaseUrl> parse_base_url(std::string_view url);

// What one GET gave. status 0 means no HTTP answer at all (`error` says why).
struct Fetched {
  std::string url;
  int status = 0;
  std::string content_type;
  std::string body;
  std::string error;
};

// The media type of a Content-Type value, lower case, without parameters
// ("Text/Plain; charset=utf-8" -> "text/plain").
std::string media_type(std::string_view content_type);

// "" when `fetched` is an HTTP 200 answer with media type `expected_type`, else one line
// naming the URL and what was wrong ("HTTP 404", "content type text/html, expected ...",
// "cannot connect: ...").
std::string http_problem(const Fetched& fetched, std::string_view expected_type);

class HttpFetcher {
 public:
  HttpFetcher(BaseUrl base, int timeout_seconds);
  ~HttpFetcher();

  // GETs base path + "/" + `relative`. Never throws; transport failures come back as
  // status 0 with `error` set.
  Fetched get(const std::string& relative);

  const BaseUrl& base() const { return base_; }

 private:
  BaseUrl base_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace exposure::doctor
