// The app module's reply parsers (exposure/app.h): what a phone does with a key server's
// reply to /api/verify, /api/certificate, /v1/publish or the COCOA upload. Byte 0 picks the
// parser, bytes 1-2 the HTTP status, the rest is the body. Every outcome must be a value or
// an error of one non-empty line; kRejected / kUnavailable exactly for the statuses they name.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "exposure/app.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exposure;
  if (size < 3) return 0;
  app::HttpResponse response;
  response.status = (data[1] << 8 | data[2]) % 1000;
  response.body.assign(reinterpret_cast<const char*>(data + 3), size - 3);
  app::ServerError server_error;
  Status status;
  switch (data[0] % 3) {
    case 0: status = app::parse_verify_reply(response, &server_error).status(); break;
    case 1: status = app::parse_certificate_reply(response, &server_error).status(); break;
    default: status = app::parse_publish_reply("publish", response, &server_error).status(); break;
  }
  if (status.ok()) {
    if (response.status != 200) std::abort();
    return 0;
  }
  if (status.message().empty() || status.message().find('\n') != std::string::npos) std::abort();
  const bool later = response.status == 0 || response.status == 429 || response.status >= 500 ||
                     (response.status != 200 && response.status < 400);
  if (response.status != 200 && status.code() != (later ? ErrorCode::kUnavailable : ErrorCode::kRejected)) std::abort();
  if (response.status == 200 && status.code() != ErrorCode::kMalformed) std::abort();
  return 0;
}
