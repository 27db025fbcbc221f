// The subcommands of exposure-server: serve, export, and the administration of health
// authorities (ha), apps (app) and export signing keys (signing-key).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

#include "cli/settings.h"

namespace exposure::server {

// What a parsed command line runs: the exit code for the resolved settings.
using CommandAction = std::function<int(const Settings&)>;

// Registers every subcommand on `app`; parsing one stores its action in `*action`.
void add_commands(CLI::App& app, CommandAction* action);

}  // namespace exposure::server
