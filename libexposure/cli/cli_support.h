// Shared plumbing for the `exposure` subcommands: registration, argument validation and the
// exit-code convention (0 success, 1 the checked thing failed, 2 usage error).
#pragma once

#include <CLI/CLI.hpp>

#include "exposure/keyfile_verify.h"
#include <functional>
#include <string>
#include <vector>

namespace exposure::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// A subcommand registers its options on `app` and returns the function main runs when the
// subcommand was chosen on the command line.
struct Command {
  CLI::App* app;
  std::function<int()> run;
};
using CommandList = std::vector<Command>;

// Parses argv and runs the chosen subcommand. Usage errors print one line on stderr,
// "exposure: <option>: <what was expected>", and return 2.
int run_cli(CLI::App& app, const CommandList& commands, int argc, char** argv);

// Throws CLI::ValidationError naming `option` unless `value` is exactly `bytes` bytes of
// hex; main turns it into the one-line usage error.
void require_hex(const std::string& option, const std::string& value, size_t bytes);

// Prints "exposure: <message>" on stderr.
void print_error(const std::string& message);

// Reads a whole file into `out`; false when it cannot be opened or read.
bool read_whole_file(const std::string& path, std::string* out);

// Parses one "--public-key ID-VERSION=KEY" value, where KEY is a PEM file path or the PEM /
// base64 SubjectPublicKeyInfo text itself. Throws CLI::ValidationError naming --public-key.
keyfile::VerificationKey parse_public_key_spec(const std::string& spec);

}  // namespace exposure::cli
