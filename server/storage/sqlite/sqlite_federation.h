// The federation store on SQLite (storage/federation_store.h), one per SqliteTransaction.
#pragma once

#include "storage/federation_store.h"
#include "storage/sqlite/sqlite_db.h"

namespace exposure::server::sqlite {

class SqliteFederationStore final : public FederationStore {
 public:
  explicit SqliteFederationStore(Database& db) : db_(db) {}

  Status upsert_partner(const FederationPartner& partner) override;
  Result<std::vector<FederationPartner>> list_partners() override;
  Status remove_partner(std::string_view name) override;
  Result<std::vector<std::string>> imported_files(std::string_view partner) override;
  Status insert_imported_file(const ImportedFile& file) override;
  Result<int64_t> delete_imported_files_before(int64_t cutoff) override;
  Status insert_provenance(const ImportedFile& file, std::span<const KeyData> keys) override;
  Result<std::vector<KeyProvenance>> find_provenance(std::span<const KeyData> keys) override;
  Result<int64_t> delete_provenance_before(int64_t cutoff) override;

 private:
  Database& db_;
};

}  // namespace exposure::server::sqlite
