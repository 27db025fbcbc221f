// Commands that run in a sibling binary: `exposure doctor ...` runs `exposure-doctor ...`, and
// `exposure upload ...` / `exposure check ...` run `exposure-client upload|check ...`. Their
// HTTP client (Debian's cpp-httplib) links OpenSSL 3, which must never share a process with
// this BoringSSL build, so they run in their own executables; every argument is passed on
// unchanged and the sibling's exit code is ours.
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "commands.h"

namespace exposure::cli {
namespace {

// Replaces this process with `binary` (next to this program) and `args`; returns only on
// failure.
int exec_sibling(const std::string& command, const char* binary, const char* target,
                 const std::vector<std::string>& args) {
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) {
    print_error(command + ": cannot locate this program (/proc/self/exe): " + std::strerror(errno));
    return kExitUsage;
  }
  std::string path(self, static_cast<size_t>(n));
  path = path.substr(0, path.rfind('/') + 1) + binary;
  if (access(path.c_str(), X_OK) != 0) {
    print_error(command + ": " + path + " is missing (build the " + target +
                " target; it must sit next to exposure)");
    return kExitUsage;
  }
  std::vector<std::string> argv_text{path};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  execv(path.c_str(), argv.data());
  print_error(command + ": cannot run " + path + ": " + std::strerror(errno));
  return kExitUsage;
}

// A subcommand whose arguments, --help included, all belong to the sibling; `prefix` is put
// before them (the sibling's own subcommand name, or nothing).
Command add_forwarding_command(CLI::App& app, const char* name, const char* description, const char* binary,
                               const char* target, std::vector<std::string> prefix) {
  auto* sub = app.add_subcommand(name, description);
  sub->prefix_command();
  sub->set_help_flag();
  sub->allow_extras();
  return {sub, [sub, name, binary, target, prefix] {
            std::vector<std::string> args = prefix;
            for (const std::string& a : sub->remaining()) args.push_back(a);
            return exec_sibling(name, binary, target, args);
          }};
}

}  // namespace

Command add_doctor_command(CLI::App& app) {
  return add_forwarding_command(app, "doctor",
                                "Check a key server's export tree from the outside (runs exposure-doctor; "
                                "`exposure doctor --help`)",
                                "exposure-doctor", "exposure_doctor", {});
}

Command add_upload_command(CLI::App& app) {
  return add_forwarding_command(app, "upload",
                                "Upload the store's own keys after a positive test (runs exposure-client; "
                                "`exposure upload --help`)",
                                "exposure-client", "exposure_client", {"upload"});
}

Command add_check_command(CLI::App& app) {
  return add_forwarding_command(app, "check",
                                "Run the exposure check against a key server (runs exposure-client; "
                                "`exposure check --help`)",
                                "exposure-client", "exposure_client", {"check"});
}

}  // namespace exposure::cli
