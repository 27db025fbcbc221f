// An exposure-server process on loopback for the load, crash and soak programs: runs the
// admin subcommands against a directory of its own (SQLite file, secret, export tree,
// optional fake clock), starts `serve` and waits for its "listening on" line, stops it
// with SIGTERM or SIGKILL, and reads its resident set size.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace exposure::bench {

class ServerProcess {
 public:
  // `binary` is the exposure-server executable; `dir` holds its files. `db` is the --db
  // value ("" = sqlite:<dir>/server.db). With `fake_clock` the server reads the time from
  // <dir>/clock (set_time).
  ServerProcess(std::string binary, std::string dir, std::string db, bool fake_clock);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Runs `exposure-server <args> <common flags>` to completion; its stdout without the
  // trailing newline. Exits the program with a message when the command fails.
  std::string admin(const std::string& args) const;
  // The API key of a new health authority, with app com.example.app allowed in region JP.
  std::string add_authority_and_app() const;

  // Starts `serve --listen 127.0.0.1:0 <extra>`; false (and a message on stderr) when it
  // did not print its port.
  bool start(const std::vector<std::string>& extra);
  // SIGTERM (or SIGKILL) and wait. No-op when not running.
  void stop();
  void kill9();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }

  // VmRSS of the running process in KiB (0 when unknown).
  int64_t rss_kib() const;
  // User + system CPU time the running process has used, in seconds.
  double cpu_seconds() const;
  void set_time(int64_t unix_seconds) const;
  const std::string& dir() const { return dir_; }
  std::string db() const { return db_; }
  std::string log_path() const { return dir_ + "/server.log"; }

 private:
  std::vector<std::string> common_flags() const;

  std::string binary_, dir_, db_;
  bool fake_clock_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A fresh directory under /tmp named after `prefix`; removed by the caller.
std::string make_temp_dir(const std::string& prefix);

}  // namespace exposure::bench
