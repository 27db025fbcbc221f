// Setting up the exposure-server the load, crash and soak programs drive
// (server_client::ServerProcess): a temporary directory, an authority and an app, and exiting
// with the server's message when a step fails (these are command-line programs).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "client/server_process.h"

namespace exposure::bench {

using server_client::ServerProcess;

// A fresh directory under /tmp named after `prefix`; removed by the caller.
std::string make_temp_dir(const std::string& prefix);

// The server process of exposure_server_binary() in `dir` (db "" = SQLite in dir).
std::unique_ptr<ServerProcess> make_server(const std::string& dir, const std::string& db, bool fake_clock);

// Runs an admin subcommand; its output. Exits the program with the error on failure.
std::string admin(const ServerProcess& server, const std::vector<std::string>& args);

// The API key of a new health authority, with app com.example.app allowed in region JP.
std::string add_authority_and_app(const ServerProcess& server);

// Sets the fake clock; exits the program on failure.
void set_time(const ServerProcess& server, int64_t unix_seconds);

// Starts serve; false (and the reason on stderr) when it did not start.
bool start(ServerProcess& server, const std::vector<std::string>& extra);

}  // namespace exposure::bench
