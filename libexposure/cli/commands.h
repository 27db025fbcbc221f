// One registration function per subcommand (each defined in its own *_command.cc).
#pragma once

#include "cli_support.h"

namespace exposure::cli {

// exposure derive --tek HEX32 --interval N [--count K] [--metadata HEX8]
Command add_derive_command(CLI::App& app);

}  // namespace exposure::cli
