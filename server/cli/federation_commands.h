// `exposure-server federation`: the partners this server imports keys from (add, list,
// remove) and one import pass (--once). See docs/server.md, "Federation".
#pragma once

#include <CLI/CLI.hpp>

#include "cli/admin_commands.h"

namespace exposure::server {

void add_federation_commands(CLI::App& app, CommandAction* action);

// `exposure-server federation --once`: one import pass. Exit code: 0 when every index and
// file was imported (or nothing was due), 1 when one failed or storage failed.
int run_federation_once(const Settings& settings);

}  // namespace exposure::server
