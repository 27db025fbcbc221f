#include "cli_support.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "exposure/bytes.h"

namespace exposure::cli {

void print_error(const std::string& message) { std::cerr << "exposure: " << message << "\n"; }

void require_hex(const std::string& option, const std::string& value, size_t bytes) {
  if (value.size() != 2 * bytes || !from_hex(value).ok()) {
    throw CLI::ValidationError(option, "expected " + std::to_string(2 * bytes) +
                                           " hex digits, got '" + value + "'");
  }
}

bool read_whole_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return !in.bad();
}

keyfile::VerificationKey parse_public_key_spec(const std::string& spec) {
  auto eq = spec.find('=');
  if (eq == std::string::npos) {
    throw CLI::ValidationError("--public-key", "expected ID-VERSION=PEM, got '" + spec + "'");
  }
  std::string name = spec.substr(0, eq), value = spec.substr(eq + 1), text;
  if (!read_whole_file(value, &text)) text = value;
  auto key = keyfile::make_verification_key(name, as_bytes(text));
  if (!key.ok()) throw CLI::ValidationError("--public-key", key.status().message());
  return std::move(*key);
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
