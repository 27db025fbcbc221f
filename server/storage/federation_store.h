// The federation component's storage (docs/server.md, "Federation"): the partners whose
// export trees this server imports, the partner files already imported, and where each
// imported key came from. Reached through Transaction::federation(); every method runs
// inside the caller's transaction, so an archive's keys, their provenance and the file's
// "imported" record commit together or not at all.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/keys.h"
#include "exposure/status.h"

namespace exposure::server {

// A public key a partner signs its files with, named as in its files' signature infos.
struct PartnerKey {
  std::string name;  // "<verification_key_id>-<verification_key_version>"
  std::string public_key_pem;
  bool operator==(const PartnerKey&) const = default;
};

// A server whose export tree is imported: `url` is the root of its federation tree
// ("https://partner.example/federation"), `regions` the region folders read there (each
// imported into the region of the same name here), `keys` every key it may sign with.
struct FederationPartner {
  std::string name;
  std::string url;
  std::vector<std::string> regions;
  std::vector<PartnerKey> keys;
  int64_t created_at = 0;
  bool operator==(const FederationPartner&) const = default;
};

// A partner file whose keys were imported (`name` is its index line, "JP/1-2-00001.zip").
struct ImportedFile {
  std::string partner;
  std::string name;
  std::string region;
  int64_t imported_at = 0;
  int64_t keys_imported = 0;  // keys new to this server (duplicates are not counted)
  bool operator==(const ImportedFile&) const = default;
};

// Where an imported key came from: the partner, the file and the region it was read from.
struct KeyProvenance {
  KeyData key_data{};
  std::string partner;
  std::string file;
  std::string region;
  int64_t imported_at = 0;
  bool operator==(const KeyProvenance&) const = default;
};

class FederationStore {
 public:
  virtual ~FederationStore() = default;

  // Adds a partner, or replaces the URL, regions and keys of the one with the same name
  // (its imported-file records stay). created_at is kept from the first insert.
  virtual Status upsert_partner(const FederationPartner& partner) = 0;
  // Every partner with its keys, by name.
  virtual Result<std::vector<FederationPartner>> list_partners() = 0;
  // Removes the partner and its imported-file records (the keys and their provenance stay).
  // kNotFound when unknown.
  virtual Status remove_partner(std::string_view name) = 0;

  // Names of the partner's files recorded as imported, sorted.
  virtual Result<std::vector<std::string>> imported_files(std::string_view partner) = 0;
  // Records a file as imported; kAlreadyExists when (partner, name) is recorded already.
  virtual Status insert_imported_file(const ImportedFile& file) = 0;
  // Deletes the records of files imported before `cutoff`; returns how many.
  virtual Result<int64_t> delete_imported_files_before(int64_t cutoff) = 0;

  // Records that `keys` came from `file` (partner, name, region, imported_at; its key count
  // is not used); kAlreadyExists when a key has a record already.
  virtual Status insert_provenance(const ImportedFile& file, std::span<const KeyData> keys) = 0;
  // The records of the keys among `keys` that have one (any order).
  virtual Result<std::vector<KeyProvenance>> find_provenance(std::span<const KeyData> keys) = 0;
  // Deletes records of keys imported before `cutoff`; returns how many.
  virtual Result<int64_t> delete_provenance_before(int64_t cutoff) = 0;
};

}  // namespace exposure::server
