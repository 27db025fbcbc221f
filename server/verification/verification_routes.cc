#include "verification/verification_routes.h"

namespace exposure::server {
namespace {

constexpr ErrorStyle kStyle = ErrorStyle::kVerification;

template <typename Reply>
JsonReply reply_of(const ApiResult<Reply>& result) {
  if (!result.ok()) return error_reply(result.error(), kStyle);
  return JsonReply{200, to_json(result.value())};
}

}  // namespace

void add_verification_routes(ApiServer& server, VerificationService& service) {
  server.add_json_route(JsonRoute{
      "POST", "/api/issue", kStyle, "unparsable_request",
      [&service](const httplib::Request& req) {
        auto request = parse_issue_request(req.body);
        if (!request.ok()) return error_reply(api_error(400, "unparsable_request", request.status().message()), kStyle);
        return reply_of(service.issue(req.get_header_value("X-API-Key"), *request));
      },
      [&service] { return JsonReply{200, to_json(service.fake_issue_reply())}; }});

  server.add_json_route(JsonRoute{
      "POST", "/api/verify", kStyle, "unparsable_request",
      [&service](const httplib::Request& req) {
        auto request = parse_verify_request(req.body);
        if (!request.ok()) return error_reply(api_error(400, "unparsable_request", request.status().message()), kStyle);
        return reply_of(service.verify(*request));
      },
      [&service] { return JsonReply{200, to_json(service.fake_verify_reply())}; }});

  server.add_json_route(JsonRoute{
      "POST", "/api/certificate", kStyle, "token_invalid",
      [&service](const httplib::Request& req) {
        auto request = parse_certificate_request(req.body);
        if (!request.ok()) return error_reply(api_error(400, "token_invalid", request.status().message()), kStyle);
        return reply_of(service.certificate(*request));
      },
      [&service] { return JsonReply{200, to_json(service.fake_certificate_reply())}; }});
}

}  // namespace exposure::server
