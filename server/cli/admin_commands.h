// The subcommands of exposure-server: serve, export, and the administration of health
// authorities (ha), apps (app) and export signing keys (signing-key).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "cli/server_app.h"
#include "cli/settings.h"

namespace exposure::server {

// What a parsed command line runs: the exit code for the resolved settings.
using CommandAction = std::function<int(const Settings&)>;

// Registers every subcommand on `app`; parsing one stores its action in `*action`.
void add_commands(CLI::App& app, CommandAction* action);

// For the subcommands: print "exposure-server: MESSAGE" to stderr and return exit code 1
// (a failure) or 2 (bad usage).
int fail(const std::string& message);
int usage(const std::string& message);
// Opens storage etc. and runs `body` in one transaction; prints the error on failure. Exit code.
int with_transaction(const Settings& settings,
                     const std::function<Status(ServerCore&, Transaction&)>& body);

}  // namespace exposure::server
