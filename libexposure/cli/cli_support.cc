#include "cli_support.h"

#include <iostream>

#include "exposure/bytes.h"

namespace exposure::cli {

void print_error(const std::string& message) { std::cerr << "exposure: " << message << "\n"; }

void require_hex(const std::string& option, const std::string& value, size_t bytes) {
  if (value.size() != 2 * bytes || !from_hex(value).ok()) {
    throw CLI::ValidationError(option, "expected " + std::to_string(2 * bytes) +
                                           " hex digits, got '" + value + "'");
  }
}

int run_cli(CLI::App& app, const CommandList& commands, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version (CallForHelp/CallForVersion derive from it)
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
    print_error(what);
    return kExitUsage;
  }
  for (const auto& command : commands) {
    if (command.app->parsed()) {
      try {
        return command.run();
      } catch (const CLI::ValidationError& e) {
        print_error(e.what());
        return kExitUsage;
      }
    }
  }
  std::cerr << app.help();
  return kExitUsage;
}

}  // namespace exposure::cli
