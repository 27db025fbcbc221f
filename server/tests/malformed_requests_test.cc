// The malformed-request suite, against the real binary over loopback. Hundreds of bad
// requests, generated from one valid request per endpoint (malformed_cases.h), plus
// replayed codes and tokens, expired codes, tokens and certificates, a certificate for
// another audience, and clients that stall or trickle. Every one must get a 4xx whose body
// is a JSON object with an error (or, for a request line that never completes, a closed
// connection); never a 5xx, never a hang. Afterwards the templates themselves still
// succeed (bad requests consumed nothing), a whole upload works and /health answers.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "common/text.h"
#include "exposure/crypto.h"
#include "tests/flows.h"
#include "tests/malformed_cases.h"

namespace exposure::server::testing {
namespace {

using nlohmann::json;
constexpr size_t kBodyLimit = 64000;
constexpr const char* kApp = "com.example.app";

std::string b64(size_t n, uint8_t fill = 7) { return to_base64(Bytes(n, fill)); }

// Checks one reply: a 4xx whose body is one JSON object with a non-empty "error".
void expect_json_4xx(int status, const std::string& body, const std::string& what) {
  EXPECT_GE(status, 400) << what << " -> " << status << " " << body.substr(0, 300);
  EXPECT_LT(status, 500) << what << " -> " << status << " " << body.substr(0, 300);
  json parsed = json::parse(body, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << what << " -> " << body.substr(0, 300);
  EXPECT_TRUE(parsed.contains("error") && parsed["error"].is_string() &&
              !parsed["error"].get<std::string>().empty())
      << what << " -> " << body.substr(0, 300);
  EXPECT_TRUE(parsed.contains("code") || parsed.contains("errorCode"))
      << what << " -> " << body.substr(0, 300);
}

// A reply read off a raw socket: status 0 when the server closed without answering.
struct RawReply {
  int status = 0;
  std::string body;
};

// Connects, sends `head` then `trickle` one byte every 20 ms (stopping once the server
// answers or closes), and reads one reply. Gives up after 15 s (a hang fails the test).
RawReply raw_exchange(int port, const std::string& head, const std::string& trickle = "") {
  RawReply out;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return out;
  }
  send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  std::string received;
  size_t sent = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < give_up) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 20) > 0) {
      char buf[4096];
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      received.append(buf, static_cast<size_t>(n));
      size_t end = received.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length_at = to_lower(received.substr(0, end)).find("content-length: ");
        size_t length =
            length_at == std::string::npos ? 0 : std::stoul(received.substr(length_at + 16));
        if (received.size() >= end + 4 + length) break;
      }
    } else if (sent < trickle.size()) {
      send(fd, trickle.data() + sent++, 1, MSG_NOSIGNAL);
    }
  }
  close(fd);
  if (received.rfind("HTTP/1.1 ", 0) == 0) {
    out.status = std::atoi(received.c_str() + 9);
    size_t end = received.find("\r\n\r\n");
    if (end != std::string::npos) {
      size_t length_at = to_lower(received.substr(0, end)).find("content-length: ");
      size_t length = length_at == std::string::npos ? std::string::npos
                                                     : std::stoul(received.substr(length_at + 16));
      out.body = received.substr(end + 4, length);
    }
  }
  return out;
}

class MalformedRequestsTest : public ::testing::Test {
 protected:
  MalformedRequestsTest() : server_(test_start_time()) {}
  void SetUp() override {
    api_key_ = server_.add_health_authority("Lab");
    server_.add_app(kApp, {"JP"});
    // Bad codes are counted towards the guessing quota: lift it so it does not mask the
    // answers under test. Slow clients are cut after 1 s.
    start({});
  }
  void start(std::vector<std::string> extra) {
    std::vector<std::string> flags = {
        "--no-export-worker",         "--read-timeout", "1s",
        "--code-failures-per-minute", "1000000",        "--body-limit",
        std::to_string(kBodyLimit)};
    flags.insert(flags.end(), extra.begin(), extra.end());
    server_.start(flags);
    client_ = server_.client();
  }

  struct Verified {
    std::string token;
    std::vector<UploadKey> keys;
    Bytes secret = Bytes(32);
    std::string ekeyhmac;
  };
  Verified verified(const std::string& type = "confirmed", int key_count = 1) {
    Verified v;
    auto r = verify_code(*client_, issue_code(*client_, api_key_, type));
    EXPECT_EQ(r.status, 200) << r.raw;
    v.token = r.body.value("token", "");
    v.keys = daily_keys(key_count, server_.now() - 86400);
    crypto::random_bytes(v.secret);
    v.ekeyhmac = ekeyhmac_for(v.keys, v.secret);
    return v;
  }
  std::string certificate(const Verified& v) {
    auto r = request_certificate(*client_, v.token, v.ekeyhmac);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body.value("certificate", "");
  }

  // Sends `c`, checks the reply and counts it.
  void run(const MalformedCase& c) {
    auto r = send_case(*client_, c);
    ASSERT_TRUE(r) << c.endpoint << " " << c.what << ": no reply (" << httplib::to_string(r.error())
                   << ")";
    expect_json_4xx(r->status, r->body, c.endpoint + " " + c.what);
    ++counts_[c.endpoint];
  }
  void count(const std::string& endpoint, const JsonResponse& r, const std::string& what) {
    expect_json_4xx(r.status, r.raw, endpoint + " " + what);
    ++counts_[endpoint];
  }

  ServerHarness server_;
  std::string api_key_;
  std::unique_ptr<httplib::Client> client_;
  std::map<std::string, int> counts_;
};

std::vector<FieldSpec> key_fields() {
  return {{"key",
           FieldKind::kString,
           true,
           {"", "***", b64(15), b64(17), b64(16).substr(0, 20), std::string(3000, 'A')}},
          {"rollingStartNumber", FieldKind::kInteger, true, {2147483648LL, -1, 0}},
          {"rollingPeriod", FieldKind::kInteger, true, {0, 145, -1, 2147483648LL}},
          {"transmissionRisk", FieldKind::kInteger, false, {9, -1, 2147483648LL}}};
}

TEST_F(MalformedRequestsTest, EveryBadRequestGets4xxJsonAndTheServerStaysHealthy) {
  const std::string today = format_iso_date(server_.now() / 86400);
  const std::string huge(20000, '9');

  EndpointSpec issue{
      "POST",
      "/api/issue",
      {{"testType", "confirmed"},
       {"symptomDate", format_iso_date(server_.now() / 86400 - 2)},
       {"tzOffset", 0},
       {"padding", "AAAA"}},
      {{"X-API-Key", api_key_}},
      {{"testType", FieldKind::kString, true, {"", "positive", "user-report", "confirmed ", huge}},
       {"symptomDate",
        FieldKind::kString,
        false,
        {"2026-13-01", "yesterday", "2026-3-7", format_iso_date(server_.now() / 86400 + 2),
         "2025-01-01", today + "T00:00:00Z", huge}},
       {"testDate", FieldKind::kString, false, {"2026-02-30", "x", huge}},
       {"tzOffset", FieldKind::kInteger, false, {841, -841, 100000, 2147483648LL}},
       {"uuid", FieldKind::kString, false, {std::string(65, 'a')}},
       {"phone", FieldKind::kString, false, {"+15551234567"}},
       {"smsTemplateLabel", FieldKind::kString, false, {}},
       {"externalIssuerID", FieldKind::kString, false, {}},
       {"onlyGenerateSMS", FieldKind::kBool, false, {true}},
       {"padding", FieldKind::kString, false, {}}},
      "",
      {}};

  const std::string code = issue_code(*client_, api_key_, "confirmed");
  EndpointSpec verify{
      "POST",
      "/api/verify",
      {{"code", code}, {"accept", {"confirmed"}}, {"padding", "AAAA"}},
      {},
      {{"code",
        FieldKind::kString,
        true,
        {"", "1234567", "123456789", "abcdefgh", "00000000", code + "0", "\xd9\xa1\xd9\xa2", huge}},
       {"accept", FieldKind::kStringArray, false, {json::array({"bogus"}), json::array({""})}},
       {"nonce", FieldKind::kString, false, {}},
       {"padding", FieldKind::kString, false, {}}},
      "",
      {}};

  Verified for_certificate = verified();
  const std::string& token = for_certificate.token;
  const std::string none_header = to_base64url(as_bytes(R"({"alg":"none","typ":"JWT"})"));
  const std::string tampered =
      token.substr(0, token.size() - 2) + (token[token.size() - 2] == 'A' ? "BA" : "AA");
  EndpointSpec certificate_spec{
      "POST",
      "/api/certificate",
      {{"token", token}, {"ekeyhmac", for_certificate.ekeyhmac}, {"padding", "AAAA"}},
      {},
      {{"token",
        FieldKind::kString,
        true,
        {"", "a.b.c", "not a jwt", token.substr(0, token.size() - 10), tampered,
         none_header + token.substr(token.find('.')), token + ".x", huge}},
       {"ekeyhmac",
        FieldKind::kString,
        true,
        {"", "***", b64(16), b64(31), b64(33), b64(64), "AAAA", huge}},
       {"padding", FieldKind::kString, false, {}}},
      "",
      {}};

  Verified for_publish = verified();
  const std::string cert = certificate(for_publish);
  Verified other = verified();
  const std::string other_cert = certificate(other);
  std::string cert_payload_changed = cert;
  char& flipped = cert_payload_changed[cert.find('.') + 5];
  flipped = flipped == 'x' ? 'y' : 'x';
  json publish_valid = publish_body(for_publish.keys, cert, for_publish.secret, kApp);
  publish_valid["padding"] = "AAAA";
  EndpointSpec publish{
      "POST",
      "/v1/publish",
      publish_valid,
      {},
      {{"temporaryExposureKeys", FieldKind::kObjectArray, true, {json::array()}},
       {"healthAuthorityID", FieldKind::kString, true, {"", "com.unknown.app", huge}},
       {"verificationPayload",
        FieldKind::kString,
        true,
        {"", "x", cert.substr(0, cert.size() - 1), cert_payload_changed, other_cert, huge}},
       {"hmacKey", FieldKind::kString, true, {"", "***", to_base64(other.secret), huge}},
       {"symptomOnsetInterval", FieldKind::kInteger, false, {2147483648LL, -2147483649LL}},
       {"traveler", FieldKind::kBool, false, {}},
       {"revisionToken", FieldKind::kString, false, {}},
       {"padding", FieldKind::kString, false, {}}},
      "temporaryExposureKeys",
      key_fields()};

  auto cocoa_spec = [&](const std::string& path) {
    json valid = cocoa_body(daily_keys(1, server_.now() - 86400),
                            issue_code(*client_, api_key_, "confirmed"), "", kApp, {"JP"});
    valid["padding"] = "AAAA";
    return EndpointSpec{
        "PUT",
        path,
        valid,
        {},
        {{"keys", FieldKind::kObjectArray, true, {json::array()}},
         {"regions",
          FieldKind::kStringArray,
          true,
          {json::array(), json::array({"XX"}), json::array({"JP", "XX"})}},
         {"subRegions", FieldKind::kStringArray, false, {}},
         {"platform", FieldKind::kString, true, {""}},
         {"deviceVerificationPayload", FieldKind::kString, true, {""}},
         {"appPackageName", FieldKind::kString, true, {"", "com.unknown.app", huge}},
         {"verificationPayload",
          FieldKind::kString,
          true,
          {"", "00000000", "abc", "1234567", huge}},
         {"idempotencyKey", FieldKind::kString, false, {}},
         {"hasSymptom", FieldKind::kBool, false, {}},
         {"onsetOfSymptomOrTestDate",
          FieldKind::kString,
          false,
          {"yesterday", "2026-13-45T00:00:00Z"}},
         {"symptomOnsetDate", FieldKind::kString, false, {"x", "2026-03-01T25:00:00Z"}},
         {"padding", FieldKind::kString, false, {}}},
        "keys",
        {{"keyData", FieldKind::kString, true, {"", "***", b64(15), b64(17)}},
         {"rollingStartNumber", FieldKind::kInteger, true, {-1, 0, 4000000000LL}},
         {"rollingPeriod", FieldKind::kInteger, false, {145, -1}},
         {"transmissionRisk", FieldKind::kInteger, false, {9, -1}},
         {"reportType", FieldKind::kInteger, false, {6, -1}},
         {"daysSinceOnsetOfSymptoms", FieldKind::kInteger, false, {}}}};
  };
  EndpointSpec cocoa_v3 = cocoa_spec("/api/v3/diagnosis");
  EndpointSpec cocoa_v2 = cocoa_spec("/api/v2/diagnosis");

  // The table: field-wise mutations of every endpoint, body/transport mutations of every
  // endpoint (COCOA v2 shares v3's parser, so it gets the body mutations only), and the
  // distribution and operations routes.
  for (const EndpointSpec* spec : {&issue, &verify, &certificate_spec, &publish, &cocoa_v3}) {
    for (const MalformedCase& c : field_cases(*spec)) run(c);
  }
  for (const EndpointSpec* spec :
       {&issue, &verify, &certificate_spec, &publish, &cocoa_v3, &cocoa_v2}) {
    for (const MalformedCase& c : body_cases(*spec, kBodyLimit)) run(c);
  }
  for (const MalformedCase& c : distribution_cases()) run(c);

  // No bad request consumed anything: each valid template still succeeds.
  for (const EndpointSpec* spec :
       {&issue, &verify, &certificate_spec, &publish, &cocoa_v3, &cocoa_v2}) {
    MalformedCase valid{spec->path,         spec->method,  spec->path,      spec->valid.dump(),
                        "application/json", spec->headers, "valid template"};
    auto r = send_case(*client_, valid);
    ASSERT_TRUE(r) << spec->path;
    EXPECT_EQ(r->status, 200) << spec->path << ": " << r->body.substr(0, 300);
  }

  // Replays: a used code, a used token, the same upload again, a code spent elsewhere.
  count("/api/verify", post_json(*client_, "/api/verify", verify.valid), "replayed code");
  count("/api/certificate", post_json(*client_, "/api/certificate", certificate_spec.valid),
        "replayed token");
  count("/v1/publish", post_json(*client_, "/v1/publish", publish.valid), "replayed upload");
  count("/api/v3/diagnosis", put_json(*client_, "/api/v3/diagnosis", cocoa_v3.valid),
        "replayed COCOA upload");
  json spent_elsewhere = cocoa_v3.valid;
  spent_elsewhere["verificationPayload"] = code;  // consumed by /api/verify above
  spent_elsewhere["keys"][0]["keyData"] = b64(16, 9);
  count("/api/v3/diagnosis", put_json(*client_, "/api/v3/diagnosis", spent_elsewhere),
        "code used by verify");
  count("/api/verify",
        verify_code(*client_, issue_code(*client_, api_key_, "likely"), {"confirmed"}),
        "type not accepted");

  // Expiry: a code after 15 min, a certificate after 15 min, a token after 24 h.
  const std::string expiring_code = issue_code(*client_, api_key_, "confirmed");
  Verified expiring = verified();
  const std::string expiring_cert = certificate(expiring);
  Verified old_token = verified();
  server_.advance(16 * 60);
  count("/api/verify", verify_code(*client_, expiring_code), "expired code");
  count("/v1/publish",
        post_json(*client_, "/v1/publish",
                  publish_body(expiring.keys, expiring_cert, expiring.secret, kApp)),
        "expired certificate");
  json cocoa_expired = cocoa_v3.valid;
  cocoa_expired["verificationPayload"] = issue_code(*client_, api_key_, "confirmed");
  server_.advance(25 * 3600);
  count("/api/certificate", request_certificate(*client_, old_token.token, old_token.ekeyhmac),
        "expired token");
  cocoa_expired["keys"] = json::array({{{"keyData", b64(16, 3)},
                                        {"rollingStartNumber", server_.now() / 600 - 144},
                                        {"rollingPeriod", 144}}});
  count("/api/v3/diagnosis", put_json(*client_, "/api/v3/diagnosis", cocoa_expired),
        "expired processing number");

  // Wrong audience: a certificate made for this server, presented after it changed its
  // audience.
  Verified wrong_audience = verified();
  const std::string audience_cert = certificate(wrong_audience);
  server_.stop();
  start({"--certificate-audience", "another-key-server"});
  count("/v1/publish",
        post_json(*client_, "/v1/publish",
                  publish_body(wrong_audience.keys, audience_cert, wrong_audience.secret, kApp)),
        "certificate for another audience");

  int total = 0;
  for (const auto& [endpoint, n] : counts_) {
    std::printf("malformed requests %-20s %4d\n", endpoint.c_str(), n);
    total += n;
  }
  std::printf("malformed requests %-20s %4d\n", "total", total);
  EXPECT_GE(total, 300);
  EXPECT_GE(counts_.size(), 9u);  // every endpoint, distribution and operations routes

  // Still healthy: a whole verified upload and a COCOA upload succeed, /health answers.
  auto upload =
      google_upload(*client_, api_key_, daily_keys(5, server_.now() - 86400), GoogleUpload{});
  EXPECT_EQ(upload.status, 200) << upload.raw;
  auto cocoa = put_json(*client_, "/api/v3/diagnosis",
                        cocoa_body(daily_keys(3, server_.now() - 86400),
                                   issue_code(*client_, api_key_, "confirmed"), "", kApp, {"JP"}));
  EXPECT_EQ(cocoa.status, 200) << cocoa.raw;
  EXPECT_EQ(client_->Get("/health")->status, 200);
  EXPECT_TRUE(server_.running());
  EXPECT_EQ(server_.server_log().find("unhandled exception"), std::string::npos)
      << server_.server_log();
}

TEST_F(MalformedRequestsTest, SlowAndBrokenBodiesAreCutOffNotHung) {
  const int port = server_.port();
  const std::string verify_head =
      "POST /api/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
  struct SlowCase {
    std::string what;
    std::string head;
    std::string trickle;
    int status;  // expected status; 0: the connection may also just close
    bool slow;   // run concurrently with the other slow cases
  };
  const std::vector<SlowCase> cases = {
      {"stalled body", verify_head + "Content-Length: 1000\r\n\r\n{\"code\":\"1", "", 408, true},
      {"trickled body", verify_head + "Content-Length: 1000\r\n\r\n", std::string(1000, ' '), 408,
       true},
      {"trickled chunked body", verify_head + "Transfer-Encoding: chunked\r\n\r\n",
       std::string(300, '1'), 408, true},
      {"stalled headers", "POST /api/verify HTTP/1.1\r\nHost: x\r\nContent-Ty", "", 0, true},
      {"trickled request line", "POST /api/v", std::string(1000, 'x'), 0, true},
      {"trickled headers", verify_head + "X-Slow: ", std::string(1000, 'x'), 0, true},
      {"oversized chunked body",
       verify_head + "Transfer-Encoding: chunked\r\n\r\n" +
           [] {
             std::string chunks;
             for (int i = 0; i < 40; ++i) chunks += "1000\r\n" + std::string(4096, ' ') + "\r\n";
             return chunks + "0\r\n\r\n";
           }(),
       "", 413, false},
      {"Content-Length beyond the limit", verify_head + "Content-Length: 99999999999\r\n\r\n{}", "",
       413, false},
      {"no Content-Length", verify_head + "\r\n{\"code\":\"12345678\"}", "", 411, false},
      {"Content-Length not a number", verify_head + "Content-Length: abc\r\n\r\n{}", "", 400,
       false},
      {"negative Content-Length", verify_head + "Content-Length: -5\r\n\r\n{}", "", 400, false},
      {"bad chunk size", verify_head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
       "", 400, false},
      {"GET with a body", "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", "",
       400, false},
      {"upload stalled",
       "PUT /api/v3/diagnosis HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Content-Length: 500\r\n\r\n{\"keys\":[",
       "", 408, true},
  };
  // The slow ones all at once (a stalled client must not hold up the others), then the
  // broken ones one by one.
  std::vector<RawReply> replies(cases.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].slow)
      threads.emplace_back(
          [&, i] { replies[i] = raw_exchange(port, cases[i].head, cases[i].trickle); });
  }
  auto health = client_->Get("/health");  // answered while the slow clients are connected
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < cases.size(); ++i) {
    if (!cases[i].slow) replies[i] = raw_exchange(port, cases[i].head, cases[i].trickle);
  }
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  for (size_t i = 0; i < cases.size(); ++i) {
    const SlowCase& c = cases[i];
    if (c.status == 0 && replies[i].status == 0) continue;  // closed without a reply: fine
    EXPECT_EQ(replies[i].status, c.status == 0 ? 408 : c.status)
        << c.what << ": " << replies[i].body.substr(0, 200);
    expect_json_4xx(replies[i].status, replies[i].body, c.what);
  }
  std::printf("slow or broken bodies: %zu, all cut off\n", cases.size());
  auto upload =
      google_upload(*client_, api_key_, daily_keys(2, server_.now() - 86400), GoogleUpload{});
  EXPECT_EQ(upload.status, 200) << upload.raw;
  EXPECT_TRUE(server_.running());
}

}  // namespace
}  // namespace exposure::server::testing
