#include "client/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace exposure::server_client {
namespace {

// fork + execv with stdout into a pipe (its read end in *out_fd) and stderr appended to `log`.
pid_t spawn(const std::vector<std::string>& argv_text, const std::string& log, int* out_fd) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (log_fd >= 0) dup2(log_fd, STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::vector<char*> argv;
    for (const std::string& a : argv_text) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    return -1;
  }
  *out_fd = pipe_fds[0];
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

Result<std::unique_ptr<ServerProcess>> ServerProcess::create(ServerOptions options) {
  if (access(options.binary.c_str(), X_OK) != 0) {
    return Status(ErrorCode::kNotFound, "cannot execute the server binary " + options.binary);
  }
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create " + options.dir + ": " + ec.message());
  if (options.db.empty()) options.db = "sqlite:" + options.dir + "/server.db";
  return std::unique_ptr<ServerProcess>(new ServerProcess(std::move(options)));
}

ServerProcess::~ServerProcess() { stop(); }

std::vector<std::string> ServerProcess::common_flags() const {
  std::vector<std::string> flags = {"--db", options_.db, "--secret-file", options_.dir + "/secret", "--export-root",
                                    export_root()};
  if (options_.fake_clock) {
    flags.push_back("--fake-clock-file");
    flags.push_back(options_.dir + "/clock");
  }
  return flags;
}

Result<std::string> ServerProcess::admin(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {options_.binary};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const std::string& f : common_flags()) argv.push_back(f);
  int fd = -1;
  pid_t pid = spawn(argv, log_path(), &fd);
  if (pid < 0) return Status(ErrorCode::kIoError, "exposure-server " + join(args) + ": cannot start");
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fd);
  int code = wait_exit(pid);
  if (code != 0) {
    return Status(ErrorCode::kInternal, "exposure-server " + join(args) + ": exit " + std::to_string(code) +
                                            " (see " + log_path() + ")");
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

Status ServerProcess::start(const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {options_.binary, "serve", "--listen", "127.0.0.1:0"};
  for (const std::string& f : common_flags()) argv.push_back(f);
  argv.insert(argv.end(), extra.begin(), extra.end());
  int fd = -1;
  pid_ = spawn(argv, log_path(), &fd);
  if (pid_ < 0) return Status(ErrorCode::kIoError, "exposure-server serve: cannot start");
  std::string line;
  char c;
  while (read(fd, &c, 1) == 1 && c != '\n') line += c;
  close(fd);
  const std::string prefix = "listening on http://127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) {
    kill9();
    return Status(ErrorCode::kInternal, "exposure-server serve did not start (see " + log_path() + ")");
  }
  port_ = std::stoi(line.substr(prefix.size()));
  return Status::Ok();
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int code = wait_exit(pid_);
  pid_ = -1;
  return code;
}

void ServerProcess::kill9() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  wait_exit(pid_);
  pid_ = -1;
}

Status ServerProcess::set_time(int64_t unix_seconds) const {
  const std::string path = options_.dir + "/clock", tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << unix_seconds << "\n";
    if (!out) return Status(ErrorCode::kIoError, "cannot write " + tmp);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) return Status(ErrorCode::kIoError, "cannot rename " + tmp);
  return Status::Ok();
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
  const size_t name_end = text.rfind(')');
  if (name_end == std::string::npos || name_end + 2 > text.size()) return 0;
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  std::istringstream fields(text.substr(name_end + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::atof(field.c_str());
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

Result<AppRoundServer> start_for_app_round(ServerProcess& server, const std::string& app_id,
                                           const std::string& region) {
  AppRoundServer out;
  auto api_key = server.admin({"ha", "add", "lab"});
  if (!api_key.ok()) return api_key.status();
  out.api_key = *api_key;
  auto app = server.admin({"app", "add", app_id, "--region", region});
  if (!app.ok()) return app.status();
  auto key_line = server.admin({"signing-key", "add", "--id", "440", "--version", "v1"});
  if (!key_line.ok()) return key_line.status();
  const std::string line = key_line->substr(key_line->rfind('\n') + 1);
  out.public_key = line.substr(line.find(',') + 1);
  auto exported = server.admin({"export", "--once"});
  if (!exported.ok()) return exported.status();
  EXPOSURE_RETURN_IF_ERROR(server.start({"--no-export-worker"}));
  return out;
}

}  // namespace exposure::server_client
