#include "server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "common/clock.h"

namespace exposure::bench {
namespace {

// fork + execv with stdout to `out_fd` and stderr appended to `log_path`.
pid_t spawn(const std::vector<std::string>& args, int out_fd, const std::string& log_path) {
  pid_t pid = fork();
  if (pid == 0) {
    if (out_fd >= 0) dup2(out_fd, STDOUT_FILENO);
    int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd >= 0) dup2(log_fd, STDERR_FILENO);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string make_temp_dir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
  if (!mkdtemp(tmpl.data())) {
    std::perror("mkdtemp");
    std::exit(1);
  }
  return tmpl;
}

ServerProcess::ServerProcess(std::string binary, std::string dir, std::string db, bool fake_clock)
    : binary_(std::move(binary)), dir_(std::move(dir)), db_(std::move(db)), fake_clock_(fake_clock) {
  if (db_.empty()) db_ = "sqlite:" + dir_ + "/server.db";
}

ServerProcess::~ServerProcess() { stop(); }

std::vector<std::string> ServerProcess::common_flags() const {
  std::vector<std::string> flags = {"--db", db_, "--secret-file", dir_ + "/secret", "--export-root", dir_ + "/exports"};
  if (fake_clock_) {
    flags.push_back("--fake-clock-file");
    flags.push_back(dir_ + "/clock");
  }
  return flags;
}

std::string ServerProcess::admin(const std::string& args) const {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) std::abort();
  std::vector<std::string> argv = {binary_};
  std::istringstream words(args);
  for (std::string w; words >> w;) argv.push_back(w);
  for (const std::string& f : common_flags()) argv.push_back(f);
  pid_t pid = spawn(argv, out_pipe[1], log_path());
  close(out_pipe[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(out_pipe[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(out_pipe[0]);
  if (wait_exit(pid) != 0) {
    std::fprintf(stderr, "exposure-server %s failed (log: %s)\n", args.c_str(), log_path().c_str());
    std::exit(1);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string ServerProcess::add_authority_and_app() const {
  std::string key = admin("ha add load");
  admin("app add com.example.app --region JP");
  return key;
}

bool ServerProcess::start(const std::vector<std::string>& extra) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) std::abort();
  std::vector<std::string> argv = {binary_, "serve", "--listen", "127.0.0.1:0"};
  for (const std::string& f : common_flags()) argv.push_back(f);
  argv.insert(argv.end(), extra.begin(), extra.end());
  pid_ = spawn(argv, out_pipe[1], log_path());
  close(out_pipe[1]);
  std::string line;
  char c;
  while (read(out_pipe[0], &c, 1) == 1 && c != '\n') line += c;
  close(out_pipe[0]);
  const std::string prefix = "listening on http://127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) {
    std::fprintf(stderr, "exposure-server did not start (log: %s)\n", log_path().c_str());
    kill9();
    return false;
  }
  port_ = std::atoi(line.c_str() + prefix.size());
  return true;
}

void ServerProcess::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  wait_exit(pid_);
  pid_ = -1;
}

void ServerProcess::kill9() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  wait_exit(pid_);
  pid_ = -1;
}

int64_t ServerProcess::rss_kib() const {
  if (pid_ <= 0) return 0;
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return 0;
}

double ServerProcess::cpu_seconds() const {
  if (pid_ <= 0) return 0;
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::atof(field.c_str());
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void ServerProcess::set_time(int64_t unix_seconds) const {
  Status st = server::write_fake_clock(dir_ + "/clock", unix_seconds);
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.to_string().c_str());
    std::exit(1);
  }
}

}  // namespace exposure::bench
