#include "http_fetch.h"

#include <algorithm>
#include <cctype>

namespace exposure::doctor {
namespace {

// What went wrong, for an operator.
std::string describe(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "cannot connect (refused, or host unreachable)";
    case httplib::Error::ConnectionTimeout:
      return "connection timed out";
    case httplib::Error::Read:
      return "reading the answer failed (timeout, or connection closed)";
    case httplib::Error::Write:
      return "sending the request failed";
    case httplib::Error::ExceedRedirectCount:
      return "too many redirects";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "cannot load the system's CA certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate is not trusted";
    default:
      return httplib::to_string(error);
  }
}

}  // namespace

Result<BaseUrl> parse_base_url(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return Status(ErrorCode::kInvalidArgument,
                  why + " in '" + std::string(url) + "' (expected http[s]://HOST[:PORT][/PATH])");
  };
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return bad("no scheme");
  std::string scheme(url.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (scheme != "http" && scheme != "https")
    return bad("scheme '" + scheme + "' is not http or https");
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return bad("a query or fragment");
  size_t slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  if (host.empty() || host.find_first_of(" @") != std::string_view::npos)
    return bad("no usable host");
  BaseUrl out;
  out.origin = scheme + "://" + std::string(host);
  out.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  return out;
}

std::string media_type(std::string_view content_type) {
  std::string out(content_type.substr(0, content_type.find(';')));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(out.begin());
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string http_problem(const Fetched& fetched, std::string_view expected_type) {
  if (fetched.status == 0) return "GET " + fetched.url + ": " + fetched.error;
  if (fetched.status != 200)
    return "GET " + fetched.url + ": HTTP " + std::to_string(fetched.status);
  const std::string type = media_type(fetched.content_type);
  if (type != expected_type) {
    return "GET " + fetched.url + ": content type '" + (type.empty() ? "(none)" : type) +
           "', expected '" + std::string(expected_type) + "'";
  }
  return "";
}

HttpFetcher::HttpFetcher(BaseUrl base, int timeout_seconds)
    : base_(std::move(base)), client_(std::make_unique<httplib::Client>(base_.origin)) {
  client_->set_connection_timeout(timeout_seconds, 0);
  client_->set_read_timeout(timeout_seconds, 0);
  client_->set_follow_location(true);
  client_->set_keep_alive(true);
}

HttpFetcher::~HttpFetcher() = default;

Fetched HttpFetcher::get(const std::string& relative) {
  Fetched out;
  const std::string path = base_.path + "/" + relative;
  out.url = base_.origin + path;
  if (!client_->is_valid()) {
    out.error = "cannot use this URL (TLS not available?)";
    return out;
  }
  httplib::Result res = client_->Get(path.c_str());
  if (!res) {
    out.error = "no answer: " + describe(res.error());
    return out;
  }
  out.status = res->status;
  out.content_type = res->get_header_value("Content-Type");
  out.body = std::move(res->body);
  return out;
}

}  // namespace exposure::doctor
