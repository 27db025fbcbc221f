// Wiring of the server process: storage, clock, secret, services, HTTP routes and the
// export worker, from resolved settings.
#pragma once

#include <memory>

#include "cli/settings.h"
#include "common/secrets.h"
#include "exposure/interval.h"
#include "storage/storage.h"

namespace exposure::server {

// What every subcommand needs: the storage, the clock and the server secret.
struct ServerCore {
  std::unique_ptr<Storage> storage;
  std::unique_ptr<Clock> clock;
  std::unique_ptr<ServerSecrets> secrets;
};
Result<ServerCore> open_core(const Settings& settings);

// `exposure-server serve`: listens, prints "listening on http://HOST:PORT" on stdout, runs
// the export worker (unless disabled) and serves until SIGINT/SIGTERM. Exit code.
int run_serve(const Settings& settings);

// `exposure-server export --once`: one export pass. Exit code.
int run_export_once(const Settings& settings);

}  // namespace exposure::server
