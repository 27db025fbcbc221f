// Chaff requests: the shape and size of real upload requests, marked X-Chaff.
#include "app/messages.h"

namespace exposure::app {

HttpRequest chaff_request(ChaffRoute route, const UploadOptions& options) {
  using namespace app_internal;
  HttpRequest r;
  switch (route) {
    case ChaffRoute::kVerify:
      r = json_request("POST", options.verify_path, padded_body(nlohmann::json::object(), kVerifyBodyBytes));
      break;
    case ChaffRoute::kCertificate:
      r = json_request("POST", options.certificate_path, padded_body(nlohmann::json::object(), kCertificateBodyBytes));
      break;
    case ChaffRoute::kPublish:
      r = json_request("POST", options.publish_path, padded_body(nlohmann::json::object(), kPublishBodyBytes));
      break;
    case ChaffRoute::kCocoa:
      r = json_request("PUT", options.cocoa_path, padded_body(nlohmann::json::object(), kCocoaBodyBytes));
      break;
  }
  r.headers.push_back({"X-Chaff", "1"});
  return r;
}

}  // namespace exposure::app
