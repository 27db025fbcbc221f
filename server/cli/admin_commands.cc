#include "cli/admin_commands.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/federation_commands.h"
#include "cli/server_app.h"
#include "common/text.h"

namespace exposure::server {
namespace {

bool is_identifier(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

int fail(const std::string& message) {
  std::cerr << "exposure-server: " << message << "\n";
  return 1;
}

int usage(const std::string& message) {
  std::cerr << "exposure-server: " << message << "\n";
  return 2;
}

int with_transaction(const Settings& settings, const std::function<Status(ServerCore&, Transaction&)>& body) {
  auto core = open_core(settings);
  if (!core.ok()) return fail(core.status().message());
  Status st = core->storage->transaction([&](Transaction& tx) { return body(*core, tx); });
  if (!st.ok()) return fail(st.message());
  return 0;
}

namespace {

std::string time_text(int64_t t) { return format_iso_date(floor_div(t, 86400)) + "T" + format_rfc1123(t).substr(17, 8) + "Z"; }

void add_ha_commands(CLI::App& app, CommandAction* action) {
  auto* ha = app.add_subcommand("ha", "Health authorities and their API keys")->require_subcommand(1);
  auto name = std::make_shared<std::string>();

  auto* add = ha->add_subcommand("add", "Add an authority; prints its new API key once");
  add->add_option("name", *name, "Name of the authority")->required();
  add->callback([action, name] {
    *action = [name](const Settings& s) {
      if (name->empty() || name->size() > 64) return usage("ha add: name must be 1..64 characters");
      std::string key = "ha_" + random_base64url(32);
      int rc = with_transaction(s, [&](ServerCore& core, Transaction& tx) -> Status {
        auto id = tx.verification().insert_health_authority(*name, core.secrets->api_key_hash(key), core.clock->now_unix_seconds());
        return id.ok() ? Status::Ok() : id.status();
      });
      if (rc == 0) {
        std::cerr << "API key of \"" << *name << "\" (shown only now; store it safely):\n";
        std::printf("%s\n", key.c_str());
      }
      secure_wipe(key.data(), key.size());
      return rc;
    };
  });

  auto* list = ha->add_subcommand("list", "List authorities");
  list->callback([action] {
    *action = [](const Settings& s) {
      return with_transaction(s, [](ServerCore&, Transaction& tx) -> Status {
        auto all = tx.verification().list_health_authorities();
        if (!all.ok()) return all.status();
        for (const HealthAuthority& ha : *all) {
          std::printf("%lld\t%s\tcreated %s\t%s\n", static_cast<long long>(ha.id), ha.name.c_str(),
                      time_text(ha.created_at).c_str(),
                      ha.revoked_at ? ("revoked " + time_text(*ha.revoked_at)).c_str() : "active");
        }
        return Status::Ok();
      });
    };
  });

  auto* revoke = ha->add_subcommand("revoke", "Revoke an authority's API key");
  revoke->add_option("name", *name, "Name of the authority")->required();
  revoke->callback([action, name] {
    *action = [name](const Settings& s) {
      return with_transaction(s, [&](ServerCore& core, Transaction& tx) {
        return tx.verification().revoke_health_authority(*name, core.clock->now_unix_seconds());
      });
    };
  });
}

void add_app_commands(CLI::App& app, CommandAction* action) {
  auto* apps = app.add_subcommand("app", "Apps allowed to upload keys (healthAuthorityID / appPackageName)")
                   ->require_subcommand(1);
  auto id = std::make_shared<std::string>();
  auto regions = std::make_shared<std::vector<std::string>>();

  auto* add = apps->add_subcommand("add", "Add or update an app and its regions");
  add->add_option("id", *id, "App id, e.g. com.example.app (matched case-insensitively)")->required();
  add->add_option("--region", *regions, "Region its keys go to (repeat; none: --default-region)");
  add->callback([action, id, regions] {
    *action = [id, regions](const Settings& s) {
      if (id->empty() || id->size() > 255) return usage("app add: id must be 1..255 characters");
      for (const std::string& r : *regions) {
        if (!is_region_name(r))
          return usage("app add: --region \"" + printable(r) + "\" must be " + kRegionNameRule);
      }
      return with_transaction(s, [&](ServerCore&, Transaction& tx) {
        return tx.verification().upsert_app(AuthorizedApp{to_lower(*id), *regions});
      });
    };
  });

  auto* list = apps->add_subcommand("list", "List apps");
  list->callback([action] {
    *action = [](const Settings& s) {
      return with_transaction(s, [](ServerCore&, Transaction& tx) -> Status {
        auto all = tx.verification().list_apps();
        if (!all.ok()) return all.status();
        for (const AuthorizedApp& a : *all) {
          std::string regions;
          for (const std::string& r : a.regions) regions += (regions.empty() ? "" : ",") + r;
          std::printf("%s\t%s\n", a.app_id.c_str(), regions.empty() ? "(default region)" : regions.c_str());
        }
        return Status::Ok();
      });
    };
  });

  auto* remove = apps->add_subcommand("remove", "Remove an app");
  remove->add_option("id", *id, "App id")->required();
  remove->callback([action, id] {
    *action = [id](const Settings& s) {
      return with_transaction(s, [&](ServerCore&, Transaction& tx) { return tx.verification().remove_app(to_lower(*id)); });
    };
  });
}

void add_signing_key_commands(CLI::App& app, CommandAction* action) {
  auto* keys = app.add_subcommand("signing-key", "Export signing keys (several may be active for rotation)")
                   ->require_subcommand(1);
  auto key_id = std::make_shared<std::string>();
  auto version = std::make_shared<std::string>();
  auto add_id_version = [&](CLI::App* cmd) {
    cmd->add_option("--id", *key_id, "verification_key_id, [A-Za-z0-9_] (Apple apps: the MCC, e.g. 310)")->required();
    cmd->add_option("--version", *version, "verification_key_version, [A-Za-z0-9_], e.g. v1")->required();
  };

  auto* add = keys->add_subcommand("add", "Generate a P-256 signing key; prints its public key");
  add_id_version(add);
  add->callback([action, key_id, version] {
    *action = [key_id, version](const Settings& s) {
      if (!is_identifier(*key_id)) return usage("signing-key add: --id must be 1..64 of [A-Za-z0-9_]");
      if (!is_identifier(*version)) return usage("signing-key add: --version must be 1..64 of [A-Za-z0-9_]");
      auto key = crypto::EcPrivateKey::generate();
      auto pub = key.public_key();
      int rc = with_transaction(s, [&](ServerCore& core, Transaction& tx) {
        std::string pem = key.pem();
        SigningKeyRecord record{*key_id, *version, core.secrets->seal(pem, "signing-key"), pub.pem(),
                                core.clock->now_unix_seconds(), true};
        secure_wipe(pem.data(), pem.size());
        return tx.verification().insert_signing_key(record);
      });
      if (rc == 0) {
        std::printf("%s", pub.pem().c_str());
        std::printf("%s-%s,%s\n", key_id->c_str(), version->c_str(), to_base64(pub.spki_der()).c_str());
      }
      return rc;
    };
  });

  auto* list = keys->add_subcommand("list", "List signing keys, newest first");
  list->callback([action] {
    *action = [](const Settings& s) {
      return with_transaction(s, [](ServerCore&, Transaction& tx) -> Status {
        auto all = tx.verification().list_signing_keys();
        if (!all.ok()) return all.status();
        for (const SigningKeyRecord& k : *all) {
          auto pub = crypto::EcPublicKey::parse(as_bytes(k.public_key_pem));
          std::printf("%s-%s\t%s\t%s\n", k.key_id.c_str(), k.key_version.c_str(), k.active ? "active" : "inactive",
                      pub.ok() ? to_base64(pub->spki_der()).c_str() : "?");
        }
        return Status::Ok();
      });
    };
  });

  for (bool active : {false, true}) {
    auto* cmd = keys->add_subcommand(active ? "activate" : "deactivate",
                                     active ? "Sign exports with this key again" : "Stop signing exports with this key");
    add_id_version(cmd);
    cmd->callback([action, key_id, version, active] {
      *action = [key_id, version, active](const Settings& s) {
        return with_transaction(s, [&](ServerCore&, Transaction& tx) {
          return tx.verification().set_signing_key_active(*key_id, *version, active);
        });
      };
    });
  }
}

}  // namespace

void add_commands(CLI::App& app, CommandAction* action) {
  auto* serve = app.add_subcommand("serve", "Serve the HTTP APIs and the export tree (and run the export worker)");
  serve->callback([action] { *action = run_serve; });

  auto* exporter = app.add_subcommand("export", "Run one export pass (cut due windows, write files and indexes, clean up)");
  auto once = std::make_shared<bool>(false);
  exporter->add_flag("--once", *once, "Run one pass and exit (the only mode)")->required();
  exporter->callback([action, once] {
    (void)once;  // the flag's storage lives as long as this callback
    *action = run_export_once;
  });

  add_ha_commands(app, action);
  add_app_commands(app, action);
  add_signing_key_commands(app, action);
  add_federation_commands(app, action);
}

}  // namespace exposure::server
