#include "cli/federation_commands.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "federation/federation_importer.h"
#include "federation/partner_config.h"

namespace exposure::server {

int run_federation_once(const Settings& settings) {
  auto core = open_core(settings);
  if (!core.ok()) return fail(core.status().message());
  Metrics metrics;
  FederationImporter importer(*core->storage, *core->clock, settings.federation, settings.publish,
                              metrics);
  auto summary = importer.run_once();
  if (!summary.ok()) return fail(summary.status().message());
  if (summary->lease_held_elsewhere) {
    std::printf("federation: another instance holds the federation lease; nothing done\n");
    return 0;
  }
  std::printf(
      "federation: %d partners, %d files imported: %lld new keys, %lld updated, %lld already "
      "stored, "
      "%lld refused; %d failures\n",
      summary->partners, summary->files_imported, static_cast<long long>(summary->keys_imported),
      static_cast<long long>(summary->keys_updated),
      static_cast<long long>(summary->keys_duplicate),
      static_cast<long long>(summary->keys_refused), summary->failures);
  return summary->failures == 0 ? 0 : 1;
}

void add_federation_commands(CLI::App& app, CommandAction* action) {
  auto* federation = app.add_subcommand(
      "federation", "Partners whose export trees are imported, and import passes");
  federation->require_subcommand(0, 1);
  auto once = std::make_shared<bool>(false);
  federation->add_flag("--once", *once, "Run one import pass over every partner and exit");

  auto name = std::make_shared<std::string>();
  auto url = std::make_shared<std::string>();
  auto regions = std::make_shared<std::vector<std::string>>();
  auto keys = std::make_shared<std::vector<std::string>>();

  auto* add =
      federation->add_subcommand("add", "Add a partner, or replace its URL, regions and keys");
  add->add_option("name", *name, "Name of the partner, [A-Za-z0-9_-]")->required();
  add->add_option("--url", *url,
                  "Root of the partner's federation tree, e.g. https://partner.example/federation")
      ->required();
  add->add_option("--region", *regions, "Region folder read there and imported into here (repeat)")
      ->required();
  add->add_option("--public-key", *keys,
                  "ID-VERSION=KEY (PEM or base64 DER) the partner signs with (repeat)")
      ->required();
  add->callback([action, name, url, regions, keys] {
    *action = [name, url, regions, keys](const Settings& s) {
      auto checked = make_partner(*name, *url, *regions, *keys, 0);
      if (!checked.ok()) return usage("federation add: " + checked.status().message());
      return with_transaction(s, [&](ServerCore& core, Transaction& tx) {
        checked->created_at = core.clock->now_unix_seconds();
        return tx.federation().upsert_partner(*checked);
      });
    };
  });

  auto* list =
      federation->add_subcommand("list", "List partners: name, URL, regions, keys, files imported");
  list->callback([action] {
    *action = [](const Settings& s) {
      return with_transaction(s, [](ServerCore&, Transaction& tx) -> Status {
        auto partners = tx.federation().list_partners();
        if (!partners.ok()) return partners.status();
        for (const FederationPartner& p : *partners) {
          auto files = tx.federation().imported_files(p.name);
          if (!files.ok()) return files.status();
          std::string regions, key_names;
          for (const std::string& r : p.regions) regions += (regions.empty() ? "" : ",") + r;
          for (const PartnerKey& k : p.keys) key_names += (key_names.empty() ? "" : ",") + k.name;
          std::printf("%s\t%s\t%s\t%s\t%zu files imported\n", p.name.c_str(), p.url.c_str(),
                      regions.c_str(), key_names.c_str(), files->size());
        }
        return Status::Ok();
      });
    };
  });

  auto* remove =
      federation->add_subcommand("remove", "Remove a partner (keys imported from it stay)");
  remove->add_option("name", *name, "Name of the partner")->required();
  remove->callback([action, name] {
    *action = [name](const Settings& s) {
      return with_transaction(
          s, [&](ServerCore&, Transaction& tx) { return tx.federation().remove_partner(*name); });
    };
  });

  federation->callback([action, once, federation] {
    if (!federation->get_subcommands().empty()) return;
    if (!*once) {
      *action = [](const Settings&) {
        return usage("federation: give --once or one of add, list, remove");
      };
      return;
    }
    *action = run_federation_once;
  });
}

}  // namespace exposure::server
