#include "http/deadline_server.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

namespace exposure::server {
namespace {

thread_local DeadlineServer::ReadFailure t_read_failure = DeadlineServer::ReadFailure::kNone;
thread_local bool t_close_after_reply = false;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// poll() for `events` up to `timeout_ms`: > 0 ready, 0 timed out, < 0 error.
int wait_socket(socket_t sock, short events, int64_t timeout_ms) {
  pollfd pfd{sock, events, 0};
  for (;;) {
    int r = ::poll(&pfd, 1, static_cast<int>(std::clamp<int64_t>(timeout_ms, 0, 1 << 30)));
    if (r < 0 && errno == EINTR) continue;
    return r;
  }
}

// A buffered socket stream whose reads stop at the current request's deadline and byte
// budget (recording why in t_read_failure).
class DeadlineStream final : public httplib::Stream {
 public:
  DeadlineStream(socket_t sock, int64_t write_timeout_ms)
      : sock_(sock), write_timeout_ms_(write_timeout_ms) {}

  void start_request(int64_t deadline_ms, size_t byte_budget) {
    deadline_ms_ = deadline_ms;
    budget_ = byte_budget;
    t_read_failure = DeadlineServer::ReadFailure::kNone;
    t_close_after_reply = false;
  }
  bool has_buffered_bytes() const { return offset_ < length_; }

  bool is_readable() const override {
    if (has_buffered_bytes()) return true;
    return flush() && wait_socket(sock_, POLLIN, deadline_ms_ - now_ms()) > 0;
  }
  bool is_writable() const override { return wait_socket(sock_, POLLOUT, write_timeout_ms_) > 0; }

  ssize_t read(char* ptr, size_t size) override {
    if (t_read_failure != DeadlineServer::ReadFailure::kNone) return -1;
    if (budget_ == 0) return fail(DeadlineServer::ReadFailure::kTooLarge);
    size = std::min(size, budget_);
    if (!has_buffered_bytes()) {
      // A reply held back must reach the client before waiting for it (100 Continue).
      if (!flush()) return -1;
      // Try first, wait only when nothing is there: usually the bytes have arrived.
      ssize_t n = receive();
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        int64_t left = deadline_ms_ - now_ms();
        if (left <= 0 || wait_socket(sock_, POLLIN, left) == 0) return fail(DeadlineServer::ReadFailure::kTimeout);
        n = receive();
      }
      if (n <= 0) return n;
      offset_ = 0;
      length_ = static_cast<size_t>(n);
    }
    size_t n = std::min(size, length_ - offset_);
    std::memcpy(ptr, buffer_.data() + offset_, n);
    offset_ += n;
    budget_ -= n;
    return static_cast<ssize_t>(n);
  }

  // cpp-httplib writes a reply's head and body in two calls; sent apart (TCP_NODELAY) they
  // are two segments and two wake-ups of the client. Writes are gathered here and sent
  // together by flush() (after each reply, before a read, or when kWriteBatch fills).
  ssize_t write(const char* ptr, size_t size) override {
    if (pending_.size() + size > kWriteBatch) {
      if (!flush()) return -1;
      if (size > kWriteBatch) return send_all(ptr, size) ? static_cast<ssize_t>(size) : -1;
    }
    pending_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }

  // Sends what write() gathered; false when the client does not take it in time.
  bool flush() const {
    bool ok = send_all(pending_.data(), pending_.size());
    pending_.clear();
    return ok;
  }

  // Asked for every request (cpp-httplib sets REMOTE_ADDR etc.): looked up once per
  // connection.
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (!peer_.known) peer_ = address(true);
    ip = peer_.ip;
    port = peer_.port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    if (!local_.known) local_ = address(false);
    ip = local_.ip;
    port = local_.port;
  }
  socket_t socket() const override { return sock_; }

 private:
  static constexpr size_t kWriteBatch = 65536;

  ssize_t receive() {
    ssize_t n;
    do {
      n = ::recv(sock_, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  // Sends all of data, waiting up to the write timeout whenever the socket buffer is full.
  bool send_all(const char* data, size_t size) const {
    while (size > 0) {
      ssize_t n = ::send(sock_, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR) continue;
        if ((errno != EAGAIN && errno != EWOULDBLOCK) || !is_writable()) return false;
        continue;
      }
      data += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }

  static ssize_t fail(DeadlineServer::ReadFailure why) {
    t_read_failure = why;
    return -1;
  }
  struct Endpoint {
    bool known = false;
    std::string ip;
    int port = 0;
  };

  Endpoint address(bool peer) const {
    Endpoint out;
    out.known = true;
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if ((peer ? ::getpeername(sock_, sa, &len) : ::getsockname(sock_, sa, &len)) != 0) return out;
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> service{};
    if (::getnameinfo(sa, len, host.data(), host.size(), service.data(), service.size(),
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
      return out;
    }
    out.ip = host.data();
    out.port = std::atoi(service.data());
    return out;
  }

  socket_t sock_;
  int64_t write_timeout_ms_;
  int64_t deadline_ms_ = 0;
  size_t budget_ = 0;
  std::array<char, 16384> buffer_{};
  size_t offset_ = 0, length_ = 0;
  mutable std::string pending_;  // reply bytes not yet sent
  mutable Endpoint peer_, local_;
};

}  // namespace

DeadlineServer::ReadFailure DeadlineServer::current_read_failure() { return t_read_failure; }

void DeadlineServer::close_after_reply() { t_close_after_reply = true; }

bool DeadlineServer::wait_for_request(socket_t sock) const {
  const int64_t give_up = now_ms() + static_cast<int64_t>(keep_alive_timeout_sec_) * 1000;
  while (svr_sock_ != INVALID_SOCKET) {
    int64_t left = give_up - now_ms();
    if (left <= 0) return false;
    int r = wait_socket(sock, POLLIN, std::min<int64_t>(left, 50));  // sliced: notice stop() soon
    if (r != 0) return r > 0;
  }
  return false;
}

bool DeadlineServer::process_and_close_socket(socket_t sock) {
  DeadlineStream stream(sock, limits_.write_timeout_ms);
  bool ok = true;
  for (size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
    if (!stream.has_buffered_bytes() && !wait_for_request(sock)) break;
    stream.start_request(now_ms() + limits_.request_read_ms, limits_.request_read_bytes);
    bool connection_closed = false;
    ok = process_request(stream, left == 1, connection_closed, nullptr);
    if (!stream.flush()) ok = false;
    // After a failed read the rest of the request is unread: the connection cannot go on.
    if (!ok || connection_closed || t_close_after_reply || t_read_failure != ReadFailure::kNone)
      break;
  }
  const bool request_left_unread = t_close_after_reply || t_read_failure != ReadFailure::kNone;
  t_read_failure = ReadFailure::kNone;
  t_close_after_reply = false;
  if (request_left_unread) {
    // Lingering close: closing with unread request bytes makes the kernel send a reset,
    // which can destroy the reply before the client reads it. Send FIN first and discard
    // what the client still sends, for a short while.
    ::shutdown(sock, SHUT_WR);
    const int64_t until = now_ms() + 1000;
    std::array<char, 16384> discard{};
    size_t discarded = 0;
    while (discarded < (size_t{4} << 20) && wait_socket(sock, POLLIN, until - now_ms()) > 0) {
      ssize_t n = ::recv(sock, discard.data(), discard.size(), 0);
      if (n <= 0) break;
      discarded += static_cast<size_t>(n);
    }
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace exposure::server
