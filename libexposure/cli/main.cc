// `exposure`: the command-line face of libexposure for researchers, operators and tests.
#include "cli_support.h"
#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"exposure: Exposure Notification keys, files, matching and risk", "exposure"};
  app.set_version_flag("--version", std::string("exposure ") + EXPOSURE_VERSION);
  app.require_subcommand(1);
  exposure::cli::CommandList commands;
  commands.push_back(exposure::cli::add_derive_command(app));
  commands.push_back(exposure::cli::add_keygen_command(app));
  commands.push_back(exposure::cli::add_export_command(app));
  commands.push_back(exposure::cli::add_store_command(app));
  commands.push_back(exposure::cli::add_match_command(app));
  commands.push_back(exposure::cli::add_lint_config_command(app));
  commands.push_back(exposure::cli::add_doctor_command(app));
  commands.push_back(exposure::cli::add_upload_command(app));
  commands.push_back(exposure::cli::add_check_command(app));
  return exposure::cli::run_cli(app, commands, argc, argv);
}
