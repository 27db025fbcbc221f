// An httplib::Server whose connections bound how long and how much a client may send.
//
// cpp-httplib 0.11 times out each single read, so a client that trickles its request line,
// headers or body (one byte just before every timeout) holds a worker thread for hours,
// and a chunked body is read whole whatever its size. Here each request (request line,
// headers and body, read after the keep-alive wait saw its first byte) must arrive within
// `request_read_ms` and within `request_read_bytes`; past either, reading fails, the reply
// (if the request line was complete) is an error and the connection is closed.
// current_read_failure() tells the error handler why, so it can answer 408 or 413.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <cstdint>

namespace exposure::server {

class DeadlineServer : public httplib::Server {
 public:
  struct Limits {
    int64_t request_read_ms = 20000;
    size_t request_read_bytes = size_t{1} << 20;
    int64_t write_timeout_ms = 10000;  // longest wait until the client takes more reply bytes
  };

  enum class ReadFailure { kNone, kTimeout, kTooLarge };

  explicit DeadlineServer(const Limits& limits) : limits_(limits) {}

  // Why reading the request being served on the calling thread failed (kNone when it did
  // not). Valid in handlers and the error handler.
  static ReadFailure current_read_failure();
  // Makes the connection of the request being served on the calling thread close after
  // its reply (for a request whose body is left unread).
  static void close_after_reply();

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Waits up to the keep-alive timeout for the next request's first byte; false when none
  // came, the peer is gone or the server is stopping.
  bool wait_for_request(socket_t sock) const;

  Limits limits_;
};

}  // namespace exposure::server
