#include "server_setup.h"

#include <cstdio>
#include <cstdlib>

#include "support/test_paths.h"

namespace exposure::bench {
namespace {

[[noreturn]] void fail(const Status& status) {
  std::fprintf(stderr, "%s\n", status.to_string().c_str());
  std::exit(1);
}

}  // namespace

std::string make_temp_dir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
  if (!mkdtemp(tmpl.data())) {
    std::perror("mkdtemp");
    std::exit(1);
  }
  return tmpl;
}

std::unique_ptr<ServerProcess> make_server(const std::string& dir, const std::string& db, bool fake_clock) {
  auto server = ServerProcess::create({exposure_server_binary(), dir, db, fake_clock});
  if (!server.ok()) fail(server.status());
  return std::move(*server);
}

std::string admin(const ServerProcess& server, const std::vector<std::string>& args) {
  auto out = server.admin(args);
  if (!out.ok()) fail(out.status());
  return *out;
}

std::string add_authority_and_app(const ServerProcess& server) {
  std::string key = admin(server, {"ha", "add", "load"});
  admin(server, {"app", "add", "com.example.app", "--region", "JP"});
  return key;
}

void set_time(const ServerProcess& server, int64_t unix_seconds) {
  Status st = server.set_time(unix_seconds);
  if (!st.ok()) fail(st);
}

bool start(ServerProcess& server, const std::vector<std::string>& extra) {
  Status st = server.start(extra);
  if (!st.ok()) std::fprintf(stderr, "%s\n", st.to_string().c_str());
  return st.ok();
}

}  // namespace exposure::bench
