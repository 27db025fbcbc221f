// exposure-server: see docs/server.md. main() only parses the command line; the
// subcommands live in cli/.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/admin_commands.h"
#include "cli/settings.h"
#include "common/text.h"

int main(int argc, char** argv) {
  using namespace exposure::server;
  CLI::App app{"exposure-server: verification, key upload, signed exports and their distribution"};
  app.require_subcommand(1);
  app.fallthrough();
  SettingsInput input;
  add_settings_options(app, input);
  CommandAction action;
  add_commands(app, &action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "exposure-server: " << printable(e.what(), 300) << "\n";
    return 2;
  }
  auto settings = resolve_settings(input);
  if (!settings.ok()) {
    std::cerr << "exposure-server: " << settings.status().message() << "\n";
    return 2;
  }
  return action ? action(*settings) : 2;
}
