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
    return has_buffered_bytes() || wait_socket(sock_, POLLIN, deadline_ms_ - now_ms()) > 0;
  }
  bool is_writable() const override { return wait_socket(sock_, POLLOUT, write_timeout_ms_) > 0; }

  ssize_t read(char* ptr, size_t size) override {
    if (t_read_failure != DeadlineServer::ReadFailure::kNone) return -1;
    if (budget_ == 0) return fail(DeadlineServer::ReadFailure::kTooLarge);
    size = std::min(size, budget_);
    if (!has_buffered_bytes()) {
      int64_t left = deadline_ms_ - now_ms();
      if (left <= 0 || wait_socket(sock_, POLLIN, left) == 0)
        return fail(DeadlineServer::ReadFailure::kTimeout);
      ssize_t n;
      do {
        n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
      } while (n < 0 && errno == EINTR);
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

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address(true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address(false, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  static ssize_t fail(DeadlineServer::ReadFailure why) {
    t_read_failure = why;
    return -1;
  }
  void address(bool peer, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if ((peer ? ::getpeername(sock_, sa, &len) : ::getsockname(sock_, sa, &len)) != 0) return;
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> service{};
    if (::getnameinfo(sa, len, host.data(), host.size(), service.data(), service.size(),
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
      return;
    }
    ip = host.data();
    port = std::atoi(service.data());
  }

  socket_t sock_;
  int64_t write_timeout_ms_;
  int64_t deadline_ms_ = 0;
  size_t budget_ = 0;
  std::array<char, 16384> buffer_{};
  size_t offset_ = 0, length_ = 0;
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
