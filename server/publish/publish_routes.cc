#include "publish/publish_routes.h"

namespace exposure::server {

void add_publish_routes(ApiServer& server, PublishService& publish, CocoaService& cocoa) {
  server.add_json_route(JsonRoute{
      "POST", "/v1/publish", ErrorStyle::kKeyServer, "bad_request",
      [&publish](const httplib::Request& req) {
        auto request = parse_publish_request(req.body);
        if (!request.ok()) {
          return error_reply(api_error(400, "bad_request", request.status().message()), ErrorStyle::kKeyServer);
        }
        auto reply = publish.publish(*request);
        if (!reply.ok()) return error_reply(reply.error(), ErrorStyle::kKeyServer);
        return JsonReply{200, to_json(reply.value())};
      },
      [&publish] { return JsonReply{200, to_json(publish.fake_publish_reply())}; }});

  for (const char* path : {"/api/v3/diagnosis", "/api/v2/diagnosis"}) {
    server.add_json_route(JsonRoute{
        "PUT", path, ErrorStyle::kKeyServer, "bad_request",
        [&cocoa](const httplib::Request& req) {
          auto request = parse_cocoa_request(req.body);
          if (!request.ok()) {
            return error_reply(api_error(400, "bad_request", request.status().message()), ErrorStyle::kKeyServer);
          }
          auto reply = cocoa.submit(*request);
          if (!reply.ok()) return error_reply(reply.error(), ErrorStyle::kKeyServer);
          return JsonReply{200, reply.value()};
        },
        [&cocoa] { return JsonReply{200, cocoa.fake_reply()}; }});
  }
}

}  // namespace exposure::server
