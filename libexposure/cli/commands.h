// One registration function per subcommand (each defined in its own *_command.cc).
#pragma once

#include "cli_support.h"

namespace exposure::cli {

// exposure derive --tek HEX32 --interval N [--count K] [--metadata HEX8]
Command add_derive_command(CLI::App& app);

// exposure keygen --private OUT.pem --public OUT.pem
Command add_keygen_command(CLI::App& app);

// exposure export inspect FILE [--keys] | verify FILE --public-key ID-VERSION=PEM... |
//   sign --keys KEYS.json --private-key PEM --key-id ID --key-version V --region R ... -o OUT.zip
Command add_export_command(CLI::App& app);

// exposure store keygen --key-file K | import|export|stats|rotate-key --store DIR --key-file K
//   [--now UNIX] ... | wipe --store DIR
Command add_store_command(CLI::App& app);

// exposure match (--sightings FILE.csv | --store DIR --key-file K) --keys FILE...
//   (--public-key ID-VERSION=PEM... | --insecure-skip-verify) [--config FILE.json]
//   [--platform android|ios|all] [--threads N] [--now UNIX]
Command add_match_command(CLI::App& app);

// exposure lint-config --config FILE.json (--keys FILE... | --key-metadata TRL[,TYPE[,DAYS]]...)
//   [--platform ...] [--contact-minutes M] [--contact-meters D]
Command add_lint_config_command(CLI::App& app);

// exposure doctor --url URL --region R --public-key ID-VERSION=PEM... [...]: runs the
// sibling exposure-doctor binary (OpenSSL flavour) with the same arguments (docs/doctor.md).
Command add_doctor_command(CLI::App& app);

// exposure upload --url URL --store DIR --key-file K --code CODE [...] and
// exposure check --url URL --store DIR --key-file K --region R --public-key ... --config FILE:
// run the sibling exposure-client binary (OpenSSL flavour; docs/app-sdk.md).
Command add_upload_command(CLI::App& app);
Command add_check_command(CLI::App& app);

}  // namespace exposure::cli
