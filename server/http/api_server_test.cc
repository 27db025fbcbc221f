// The transport rules of ApiServer, in process: padding, content type, empty and oversized
// bodies, chaff, the admission hook, error styles, metrics.
#include "http/api_server.h"

#include <gtest/gtest.h>

#include <thread>

#include "exposure/bytes.h"

namespace exposure::server {
namespace {

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ApiServer::Options options;
    options.body_limit = 2000;
    options.padding_min_bytes = 30;
    options.padding_range_bytes = 10;
    options.threads = 2;
    server_ = std::make_unique<ApiServer>(options, metrics_);
    server_->add_json_route(JsonRoute{
        "POST", "/echo", ErrorStyle::kKeyServer, "",
        [this](const httplib::Request& req) {
          ++handled_;
          return JsonReply{200, {{"length", req.body.size()}}};
        },
        [] { return JsonReply{200, {{"length", 0}}}; }});
    server_->add_json_route(JsonRoute{"POST", "/verify", ErrorStyle::kVerification, "",
                                      [](const httplib::Request&) {
                                        return error_reply(api_error(400, "code_invalid", "bad code"),
                                                           ErrorStyle::kVerification);
                                      },
                                      [] { return JsonReply{}; }});
    server_->set_admission([](const httplib::Request& req, const std::string& route) -> std::optional<ApiError> {
      if (req.has_header("X-Test-Busy")) return api_error(429, "quota_exceeded", "busy: " + route);
      return std::nullopt;
    });
    auto port = server_->bind("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    thread_ = std::thread([this] { server_->run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    for (int i = 0; i < 100 && !client_->Get("/none"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }
  nlohmann::json post(const std::string& path, const std::string& body, const httplib::Headers& headers = {},
                      const char* type = "application/json", int* status = nullptr) {
    auto r = client_->Post(path.c_str(), headers, body, type);
    if (status) *status = r ? r->status : 0;
    return r ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
  }

  Metrics metrics_;
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  std::atomic<int> handled_{0};
};

TEST_F(ApiServerTest, RepliesArePaddedJson) {
  int status = 0;
  auto r = post("/echo", "{}", {}, "application/json; charset=utf-8", &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(r["length"], 2);
  size_t padding = from_base64(r["padding"].get<std::string>())->size();
  EXPECT_GE(padding, 30u);
  EXPECT_LT(padding, 40u);
}

TEST_F(ApiServerTest, TransportRejectionsUseTheRouteStyle) {
  int status = 0;
  auto wrong_type = post("/echo", "{}", {}, "text/plain", &status);
  EXPECT_EQ(status, 415);
  EXPECT_EQ(wrong_type["code"], "bad_request");
  auto empty = post("/verify", "", {}, "application/json", &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(empty["errorCode"], "unparsable_request");
  auto big = post("/verify", std::string(3000, ' '), {}, "application/json", &status);
  EXPECT_EQ(status, 413);
  EXPECT_EQ(big["errorCode"], "unparsable_request");
  auto unknown = client_->Get("/nothing");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(nlohmann::json::parse(unknown->body)["code"], "not_found");
  EXPECT_EQ(handled_, 0);
}

TEST_F(ApiServerTest, ChaffSkipsEverythingAndAdmissionCanRefuse) {
  int status = 0;
  auto chaff = post("/echo", "not even json", {{"X-Chaff", "1"}}, "text/plain", &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(chaff["length"], 0);
  auto busy = post("/verify", "{}", {{"X-Test-Busy", "1"}}, "application/json", &status);
  EXPECT_EQ(status, 429);
  EXPECT_EQ(busy["errorCode"], "quota_exceeded");
  EXPECT_EQ(busy["error"], "busy: /verify");
  EXPECT_EQ(handled_, 0);
  post("/echo", "{}");
  EXPECT_EQ(handled_, 1);
  // Requests are counted just after their reply is written, on the server's threads: wait
  // until every request so far (the set-up's readiness probe included) has been counted.
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text = metrics_.render({});
    if (text.find("route=\"/echo\",status=\"200\"} 2") != std::string::npos &&
        text.find("route=\"/verify\",status=\"429\"} 1") != std::string::npos &&
        text.find("route=\"other\",status=\"404\"}") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NE(text.find("exposure_http_requests_total{route=\"/verify\",status=\"429\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("exposure_http_requests_total{route=\"/echo\",status=\"200\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("exposure_http_requests_total{route=\"other\",status=\"404\"}"), std::string::npos) << text;
}

}  // namespace
}  // namespace exposure::server
