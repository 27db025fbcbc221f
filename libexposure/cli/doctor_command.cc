// `exposure doctor ...` runs `exposure-doctor ...`, the sibling binary next to this one.
// The doctor's HTTP client (Debian's cpp-httplib) links OpenSSL 3, which must never share
// a process with this BoringSSL build, so the check runs in its own executable; every
// argument is passed on unchanged and its exit code is ours.
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "commands.h"

namespace exposure::cli {
namespace {

constexpr const char* kDoctorBinary = "exposure-doctor";

int exec_doctor(const std::vector<std::string>& args) {
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) {
    print_error(std::string("doctor: cannot locate this program (/proc/self/exe): ") +
                std::strerror(errno));
    return kExitUsage;
  }
  std::string path(self, static_cast<size_t>(n));
  path = path.substr(0, path.rfind('/') + 1) + kDoctorBinary;
  if (access(path.c_str(), X_OK) != 0) {
    print_error("doctor: " + path +
                " is missing (build the exposure_doctor target; it must sit next to exposure)");
    return kExitUsage;
  }
  std::vector<std::string> argv_text{path};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  execv(path.c_str(), argv.data());
  print_error("doctor: cannot run " + path + ": " + std::strerror(errno));
  return kExitUsage;
}

}  // namespace

Command add_doctor_command(CLI::App& app) {
  auto* sub =
      app.add_subcommand("doctor",
                         "Check a key server's export tree from the outside (runs exposure-doctor; "
                         "`exposure doctor --help`)");
  // Everything after `doctor` is the doctor's, --help included.
  sub->prefix_command();
  sub->set_help_flag();
  sub->allow_extras();
  return {sub, [sub] { return exec_doctor(sub->remaining()); }};
}

}  // namespace exposure::cli
