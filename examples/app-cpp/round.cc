// The two-phone round of an exposure-notification app, through libexposure's C++ API:
// phone A advertises; phone B parses what it hears and records sightings in its encrypted
// store; A tests positive and uploads its keys (the library's Upload exchange); the server
// exports a signed file; B runs an exposure check (the ExposureCheck exchange) and is notified.
//
// The library builds every request and reads every reply; this program carries them with
// cpp-httplib. Debian's cpp-httplib links OpenSSL 3, so this program links the OpenSSL 3
// flavour of libexposure (exposure::exposure_openssl): one libcrypto per process.
//
//   round --url URL --api-key KEY --public-key ID-VERSION=BASE64 --control "COMMAND"
//
// COMMAND plays the server's operator: "COMMAND clock UNIX" sets the server's clock and
// "COMMAND export UNIX" runs an export pass at that time (examples/run-local-server.sh prints
// all four values). Exit 0 when B is notified, 1 otherwise.
#include <httplib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "exposure/app.h"
#include "exposure/ble.h"
#include "exposure/key_schedule.h"
#include "exposure/store.h"

namespace app = exposure::app;

namespace {

// The story's times (the server runs on a clock this program moves).
constexpr int64_t kDay = 1773100800;            // 2026-03-10T00:00Z
constexpr int64_t kMet = kDay + 15 * 3600;      // A and B meet at 15:00 for 20 minutes
constexpr int64_t kTested = kMet + 30 * 60;     // A's positive test and upload at 15:30
constexpr int64_t kChecked = kDay + 36 * 3600;  // the export and B's check, next day at noon
constexpr int8_t kRssi = -60;                   // A's TX power 0: attenuation 60 dB

// The health authority's risk configuration (docs/risk.md): a day notifies at a score of 900
// (15 minutes at weight 1.0).
constexpr const char* kConfig = R"({"attenuationBucketThresholdDb": [55, 63, 70],
  "attenuationBucketWeights": [1.0, 1.0, 0.5, 0], "reportTypeWeights": [0, 1, 1, 1, 1, 0],
  "infectiousnessWeights": [0, 1, 1], "minimumDailyScore": 900})";

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "round: " << what << "\n";
  std::exit(1);
}

template <typename T>
T checked(exposure::Result<T> result, const std::string& what) {
  if (!result.ok()) fail(what + ": " + result.status().message());
  return std::move(result).value();
}

// The app's transport: one request of an exchange over cpp-httplib; status 0 when no reply.
app::HttpResponse send(httplib::Client& http, const app::HttpRequest& request) {
  httplib::Headers headers;
  std::string content_type = "application/json";
  for (const app::HttpHeader& header : request.headers) {
    if (header.name == "Content-Type")
      content_type = header.value;
    else
      headers.emplace(header.name, header.value);
  }
  httplib::Result reply = request.method == "GET" ? http.Get(request.path, headers)
                          : request.method == "PUT"
                              ? http.Put(request.path, headers, request.body, content_type)
                              : http.Post(request.path, headers, request.body, content_type);
  if (!reply) return {};
  return {reply->status, reply->body};
}

// Runs an exchange to its end; fails with its one-line error.
void run(httplib::Client& http, app::Exchange& exchange, const std::string& what) {
  while (const app::HttpRequest* request = exchange.next_request()) {
    if (!exchange.receive(send(http, *request)).ok()) break;
  }
  if (!exchange.status().ok()) fail(what + ": " + exchange.status().message());
}

void operate(const std::string& control, const std::string& action, int64_t when) {
  const std::string command = control + " " + action + " " + std::to_string(when);
  if (std::system(command.c_str()) != 0) fail("the server's operator failed: " + command);
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  for (const char* name : {"--url", "--api-key", "--public-key", "--control"}) {
    if (args[name].empty()) {
      std::cerr << "usage: round --url URL --api-key KEY --public-key ID-VERSION=BASE64 --control "
                   "COMMAND\n";
      return 2;
    }
  }
  httplib::Client http(args["--url"]);
  const std::string phones =
      std::filesystem::temp_directory_path() / ("exposure-round-" + std::to_string(getpid()));
  std::filesystem::create_directories(phones);
  exposure::ManualClock clock(kMet);  // the phones' clock, moved with the story

  // Each phone has an encrypted store; the key comes from the Keystore / Keychain on a phone.
  auto phone_a = checked(
      exposure::Store::open(phones + "/a", exposure::generate_storage_key(), {.clock = &clock}),
      "phone A's store");
  auto phone_b = checked(
      exposure::Store::open(phones + "/b", exposure::generate_storage_key(), {.clock = &clock}),
      "phone B's store");

  // 15:00: A advertises; B scans every 5 minutes and parses each advertising payload it hears.
  exposure::KeySchedule schedule_a(clock, {});
  std::vector<exposure::Sighting> heard;
  for (int64_t time = kMet; time < kMet + 25 * 60; time += 300) {
    clock.set(time);
    exposure::Advertisement ad = schedule_a.current_advertisement();
    auto beacon =
        checked(exposure::parse_advertising_data(ad.advertising_data), "parsing A's payload");
    heard.push_back({.rpi = beacon.rpi,
                     .aem = beacon.aem,
                     .time = static_cast<uint32_t>(time),
                     .previous_scan_time = static_cast<uint32_t>(time - 300),
                     .rssi = kRssi});
  }
  auto ingested = checked(phone_b->add_sightings(heard), "B storing sightings");
  std::cout << "B heard A " << ingested.stored << " times\n";

  // 15:30: A tests positive. The health authority issues a verification code for the test.
  clock.set(kTested);
  operate(args["--control"], "clock", kTested);
  auto issued =
      http.Post("/api/issue", {{"X-API-Key", args["--api-key"]}},
                R"({"testType": "confirmed", "symptomDate": "2026-03-09"})", "application/json");
  if (!issued || issued->status != 200)
    fail("POST /api/issue: " + (issued ? issued->body : "no reply"));
  const std::string code = nlohmann::json::parse(issued->body).value("code", "");

  // A releases today's key early (same-day release) and uploads every key it may.
  if (!schedule_a.release_current_key().ok()) fail("releasing A's current key");
  if (!phone_a->save_own_keys(schedule_a.history()).ok()) fail("A saving its keys");
  std::vector<exposure::TemporaryExposureKey> keys = schedule_a.keys_for_upload();
  app::UploadOptions upload_options;  // the Google flow: /api/verify, /api/certificate, /v1/publish
  upload_options.code = code;
  upload_options.now = kTested;
  auto upload = checked(app::Upload::start(*phone_a, keys, upload_options), "starting the upload");
  run(http, *upload, "A's upload");
  std::cout << "A uploaded " << upload->outcome().keys_sent << " key(s) with code " << code << " ("
            << upload->outcome().test_type << " test); the server stored "
            << upload->outcome().keys_inserted << "\n";

  // The next day: the server's export pass writes the signed file; B checks and is notified.
  operate(args["--control"], "export", kChecked);
  clock.set(kChecked);
  app::CheckOptions check_options;
  check_options.region = "JP";
  exposure::keyfile::CosignSet signer;  // the export signing key the app ships with
  signer.push_back(
      checked(exposure::keyfile::parse_verification_key(args["--public-key"]), "--public-key"));
  check_options.cosign_sets.push_back(std::move(signer));
  check_options.config = checked(exposure::parse_risk_config(kConfig), "the risk configuration");
  check_options.now = kChecked;
  auto check =
      checked(app::ExposureCheck::start(*phone_b, std::move(check_options)), "starting the check");
  run(http, *check, "B's exposure check");
  const app::CheckOutcome& outcome = check->outcome();
  std::cout << "B downloaded " << outcome.archives_processed.size() << " new file(s), "
            << outcome.bytes_downloaded << " bytes, " << outcome.keys_processed << " keys; "
            << outcome.matches.size() << " matched\n";
  for (const std::string& reason : outcome.decision.reasons) std::cout << "  " << reason << "\n";
  std::cout << (outcome.decision.notify ? "B is notified: possible exposure\n"
                                        : "B is not notified\n");

  phone_a.reset();
  phone_b.reset();
  for (const char* phone : {"/a", "/b"}) {
    if (!exposure::wipe_store(phones + phone).ok()) fail("wiping the store " + phones + phone);
  }
  std::filesystem::remove(phones);
  return outcome.decision.notify ? 0 : 1;
}
