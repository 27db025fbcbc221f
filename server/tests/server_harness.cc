#include "tests/server_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/clock.h"
#include "support/test_paths.h"

namespace exposure::server::testing {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

ServerHarness::ServerHarness(int64_t start_time) {
  char tmpl[] = "/tmp/exposure-server-test-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  db_ = std::make_shared<TestDatabase>(dir_);
  set_time(start_time);
}

ServerHarness::ServerHarness(const ServerHarness& owner, const std::string& log_name)
    : dir_(owner.dir_), owns_dir_(false), log_name_(log_name), db_(owner.db_), now_(owner.now_) {}

std::unique_ptr<ServerHarness> ServerHarness::another_instance() const {
  return std::unique_ptr<ServerHarness>(new ServerHarness(*this, "server-" + std::to_string(++instances_ + 1) + ".log"));
}

ServerHarness::~ServerHarness() {
  stop();
  if (!owns_dir_) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string ServerHarness::common_flags() const {
  return " --db " + db_url() + " --secret-file " + dir_ + "/secret --fake-clock-file " + dir_ +
         "/clock --export-root " + export_root();
}

exposure::testing::CommandResult ServerHarness::run(const std::string& args) const {
  return exposure::testing::run_command(std::string(exposure_server_binary()) + " " + args + common_flags());
}

pid_t ServerHarness::spawn(const std::vector<std::string>& args) const {
  std::vector<std::string> argv_text = {exposure_server_binary()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::istringstream common(common_flags());
  for (std::string word; common >> word;) argv_text.push_back(word);
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    dup2(devnull, STDERR_FILENO);
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int ServerHarness::wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ServerHarness::add_health_authority(const std::string& name) const {
  auto r = run("ha add '" + name + "'");
  if (r.exit_code != 0) throw std::runtime_error("ha add failed: " + r.err);
  std::string key = r.out;
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  return key;
}

void ServerHarness::add_app(const std::string& app_id, const std::vector<std::string>& regions) const {
  std::string args = "app add " + app_id;
  for (const std::string& r : regions) args += " --region " + r;
  auto r = run(args);
  if (r.exit_code != 0) throw std::runtime_error("app add failed: " + r.err);
}

std::string ServerHarness::add_signing_key(const std::string& id, const std::string& version) const {
  auto r = run("signing-key add --id " + id + " --version " + version);
  if (r.exit_code != 0) throw std::runtime_error("signing-key add failed: " + r.err);
  std::istringstream lines(r.out);
  std::string line, last;
  while (std::getline(lines, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

void ServerHarness::start(const std::vector<std::string>& extra) {
  if (!process_) {
    auto process = server_client::ServerProcess::create({exposure_server_binary(), dir_, db_url(), true, log_name_});
    if (!process.ok()) throw std::runtime_error(process.status().to_string());
    process_ = std::move(*process);
  }
  Status started = process_->start(extra);
  if (!started.ok()) throw std::runtime_error(started.to_string() + ": " + server_log());
}

int ServerHarness::stop() { return process_ ? process_->stop() : -1; }

void ServerHarness::kill9() {
  if (process_) process_->kill9();
}

void ServerHarness::set_time(int64_t unix_seconds) {
  now_ = unix_seconds;
  if (!write_fake_clock(dir_ + "/clock", unix_seconds).ok()) throw std::runtime_error("cannot write the clock");
}

std::unique_ptr<httplib::Client> ServerHarness::client() const {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port());
  c->set_read_timeout(10, 0);
  return c;
}

std::string ServerHarness::server_log() const { return read_all(dir_ + "/" + log_name_); }

}  // namespace exposure::server::testing
