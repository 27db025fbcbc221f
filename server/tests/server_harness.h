// Starts the real exposure-server binary on a loopback port with a temporary database
// (SQLite, or PostgreSQL when the test run provides one: tests/test_database.h), secret,
// export tree and fake clock, and drives it: admin subcommands, HTTP requests, time
// travel, kill -9, a second instance on the same database.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "client/app_client.h"
#include "client/server_process.h"
#include "support/run_command.h"
#include "tests/test_database.h"

namespace exposure::server::testing {

class ServerHarness {
 public:
  // A fresh directory; the fake clock starts at `start_time` (Unix seconds).
  explicit ServerHarness(int64_t start_time);
  ~ServerHarness();
  ServerHarness(const ServerHarness&) = delete;
  ServerHarness& operator=(const ServerHarness&) = delete;

  // The flags every command gets: --db, --secret-file, --fake-clock-file, --export-root.
  std::string common_flags() const;
  // Runs `exposure-server <args> <common flags>` to completion.
  exposure::testing::CommandResult run(const std::string& args) const;
  // Starts `exposure-server <args> <common flags>` in the background (output discarded)
  // and returns its pid; reap it with wait_for().
  pid_t spawn(const std::vector<std::string>& args) const;
  // Waits for a spawned process; its exit code, or -signal when a signal ended it.
  static int wait_for(pid_t pid);
  // ha add / app add / signing-key add helpers; each asserts success.
  std::string add_health_authority(const std::string& name) const;
  void add_app(const std::string& app_id, const std::vector<std::string>& regions) const;
  // Returns the public key line "ID-VERSION,BASE64".
  std::string add_signing_key(const std::string& id, const std::string& version) const;

  // Another server process on the same database, secret, clock and export tree, with its
  // own port and log. The directory and database stay this harness's.
  std::unique_ptr<ServerHarness> another_instance() const;

  // Starts `serve` on 127.0.0.1:0 (plus `extra` flags, e.g. --no-export-worker) and waits
  // for its "listening on" line.
  void start(const std::vector<std::string>& extra = {"--no-export-worker"});
  // SIGTERM and wait; returns the exit status.
  int stop();
  // SIGKILL and wait.
  void kill9();
  bool running() const { return process_ && process_->running(); }

  void set_time(int64_t unix_seconds);
  void advance(int64_t seconds) { set_time(now_ + seconds); }
  int64_t now() const { return now_; }

  std::unique_ptr<httplib::Client> client() const;
  int port() const { return process_ ? process_->port() : 0; }
  const std::string& dir() const { return dir_; }
  std::string export_root() const { return dir_ + "/exports"; }
  // The --db value; SQL run directly on the database (asserts nothing, returns the status).
  const std::string& db_url() const { return db_->url(); }
  Status exec_sql(const std::string& sql) const { return db_->exec(sql); }
  // stderr of the served process so far.
  std::string server_log() const;

 private:
  ServerHarness(const ServerHarness& owner, const std::string& log_name);

  std::string dir_;
  bool owns_dir_ = true;
  mutable int instances_ = 0;  // other instances started from this one
  std::string log_name_ = "server.log";
  std::shared_ptr<TestDatabase> db_;
  int64_t now_ = 0;
  std::unique_ptr<server_client::ServerProcess> process_;  // the served process
};

// POST/PUT JSON; status and parsed body (null when not JSON), as the app client does it.
using JsonResponse = app_client::JsonReply;
using app_client::post_json;
using app_client::put_json;

}  // namespace exposure::server::testing
