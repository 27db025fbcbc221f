// Runs a real exposure-server on loopback for the programs that drive one from outside (the
// simulator, the load, crash and soak benchmarks): a directory of its own (SQLite file unless
// another --db is given, secret, export tree, optional fake clock), the admin subcommands,
// `serve` on 127.0.0.1 with a port the system picks, SIGTERM or SIGKILL, and the process's
// resident set and CPU time. The server's stderr goes to <dir>/server.log (log_name).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exposure/status.h"

namespace exposure::server_client {

struct ServerOptions {
  std::string binary;  // the exposure-server executable
  std::string dir;     // created when missing
  std::string db;      // the --db value; empty: sqlite:<dir>/server.db
  bool fake_clock = true;  // read the time from <dir>/clock (set_time)
  std::string log_name = "server.log";  // stderr of the server, appended, in dir
};

class ServerProcess {
 public:
  // kNotFound when the binary cannot be executed, kIoError when `dir` cannot be created.
  static Result<std::unique_ptr<ServerProcess>> create(ServerOptions options);
  ~ServerProcess();  // stops serve if running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Runs `exposure-server <args> <common flags>` to completion; its stdout without trailing
  // newlines, or an error naming the command and its exit code.
  Result<std::string> admin(const std::vector<std::string>& args) const;
  // Starts `serve --listen 127.0.0.1:0 <common flags> <extra>` and waits for its "listening
  // on" line.
  Status start(const std::vector<std::string>& extra);
  // SIGTERM (stop) or SIGKILL (kill9) and wait; stop returns the exit status (128 + signal
  // when a signal ended it), -1 when not running.
  int stop();
  void kill9();
  // Writes the fake clock (Unix seconds) atomically.
  Status set_time(int64_t unix_seconds) const;

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  // VmRSS of the running server in KiB, and its user + system CPU seconds (0 when unknown).
  int64_t rss_kib() const;
  double cpu_seconds() const;

  const std::string& dir() const { return options_.dir; }
  const std::string& db() const { return options_.db; }
  std::string export_root() const { return options_.dir + "/exports"; }
  std::string log_path() const { return options_.dir + "/" + options_.log_name; }

 private:
  explicit ServerProcess(ServerOptions options) : options_(std::move(options)) {}
  std::vector<std::string> common_flags() const;

  ServerOptions options_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// What an app round needs from a fresh server: a health authority's API key and the export
// signer's public key (the base64 of "ID-VERSION,BASE64").
struct AppRoundServer {
  std::string api_key;
  std::string public_key;  // base64 SubjectPublicKeyInfo of signing key 440-v1
};

// Adds health authority "lab", the app `app_id` for `region` and signing key 440-v1, runs a
// first `export --once` (a first pass exports only the last window, so later passes cover
// everything uploaded after it), then starts `serve --no-export-worker`.
Result<AppRoundServer> start_for_app_round(ServerProcess& server, const std::string& app_id,
                                           const std::string& region);

}  // namespace exposure::server_client
