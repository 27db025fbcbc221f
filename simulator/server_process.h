// Runs a real exposure-server for the simulation: a temporary directory with a SQLite
// database, secret, export tree and fake clock; admin subcommands (ha add, app add,
// signing-key add, export --once) and `serve` on 127.0.0.1 (port chosen by the system).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exposure/status.h"

namespace exposure::sim {

struct ProcessOutput {
  int exit_code = -1;
  std::string out;
};

class ServerProcess {
 public:
  // Creates the directory `dir` (must not exist yet or be empty) and writes the clock.
  static Result<std::unique_ptr<ServerProcess>> create(const std::string& binary, const std::string& dir, int64_t start_time);
  ~ServerProcess();  // stops serve if running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Runs `exposure-server <args> <common flags>`; an error naming the command when it fails.
  Result<std::string> admin(const std::vector<std::string>& args) const;
  // Starts serve with `extra` flags and waits for its "listening on" line.
  Status start(const std::vector<std::string>& extra);
  // SIGTERM and wait; the exit status.
  int stop();
  Status set_time(int64_t unix_seconds);

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  std::string export_root() const { return dir_ + "/exports"; }
  std::string log_path() const { return dir_ + "/server.log"; }

 private:
  ServerProcess(std::string binary, std::string dir) : binary_(std::move(binary)), dir_(std::move(dir)) {}
  std::vector<std::string> common_flags() const;
  std::string binary_, dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace exposure::sim
