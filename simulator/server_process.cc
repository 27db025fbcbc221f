#include "server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace exposure::sim {
namespace {

// fork + exec with stdout into a pipe (returned in *out_fd) and stderr appended to `log`.
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

Result<std::unique_ptr<ServerProcess>> ServerProcess::create(const std::string& binary, const std::string& dir, int64_t start_time) {
  if (access(binary.c_str(), X_OK) != 0) {
    return Status(ErrorCode::kNotFound, "--server-binary: cannot execute " + binary);
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create " + dir + ": " + ec.message());
  std::unique_ptr<ServerProcess> server(new ServerProcess(binary, dir));
  EXPOSURE_RETURN_IF_ERROR(server->set_time(start_time));
  return server;
}

ServerProcess::~ServerProcess() { stop(); }

std::vector<std::string> ServerProcess::common_flags() const {
  return {"--db", "sqlite:" + dir_ + "/server.db", "--secret-file", dir_ + "/secret", "--fake-clock-file",
          dir_ + "/clock", "--export-root", export_root()};
}

Result<std::string> ServerProcess::admin(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {binary_};
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
  return out;
}

Status ServerProcess::start(const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {binary_, "serve", "--listen", "127.0.0.1:0"};
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
    stop();
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

Status ServerProcess::set_time(int64_t unix_seconds) {
  const std::string path = dir_ + "/clock", tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << unix_seconds << "\n";
    if (!out) return Status(ErrorCode::kIoError, "cannot write " + tmp);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) return Status(ErrorCode::kIoError, "cannot rename " + tmp);
  return Status::Ok();
}

}  // namespace exposure::sim
