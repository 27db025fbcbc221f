// Drives the full verified upload flow (issue -> verify -> certificate -> publish, through
// the app client library) from concurrent keep-alive clients, and measures it.
//
// Closed loop (rate 0): each client starts its next upload as soon as the last one ended.
// Open loop (rate R): uploads are scheduled every 1/R s overall and handed to the clients;
// latency is counted from the scheduled start, so a server that falls behind shows it in
// the percentiles instead of hiding it by slowing the clients down.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "client/app_client.h"

namespace exposure::bench {

struct LoadOptions {
  int port = 0;
  std::string api_key;
  std::string app_id = "com.example.app";
  int clients = 8;
  int keys_per_upload = 14;
  double duration_s = 0;  // > 0: run this long
  int64_t uploads = 0;    // else: this many uploads
  double rate = 0;        // > 0: uploads started per second (open loop)
  // Unix time the uploaded keys are dated from (their rolling start numbers); 0 = now.
  std::function<int64_t()> key_time;
  // Set to stop early (crash test).
  const std::atomic<bool>* stop = nullptr;
  // Called once per second from a monitor thread with the seconds elapsed and the uploads
  // done so far.
  std::function<void(int seconds, int64_t uploads_done)> every_second;
  // Called (from client threads) with the keys of every upload the server answered 200.
  std::function<void(std::span<const app_client::UploadKey>)> acknowledged;
};

struct LoadReport {
  int64_t uploads = 0;  // answered 200 with every key inserted
  int64_t errors = 0;
  double seconds = 0;
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
  std::vector<std::string> first_errors;  // up to 5 distinct messages
  double uploads_per_second() const { return seconds > 0 ? uploads / seconds : 0; }
};

LoadReport run_load(const LoadOptions& options);

// One line: "<n> uploads in <s> s = <r> uploads/s; latency p50 .. max; <e> errors".
std::string describe(const LoadReport& report);

// `count` daily keys ending with the key of the day containing `now`, random bytes.
std::vector<app_client::UploadKey> random_daily_keys(int count, int64_t now);

}  // namespace exposure::bench
