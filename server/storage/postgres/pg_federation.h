// The federation store on PostgreSQL (storage/federation_store.h), one per PgTransaction.
#pragma once

#include "storage/federation_store.h"
#include "storage/postgres/pg_connection.h"

namespace exposure::server::postgres {

class PgFederationStore final : public FederationStore {
 public:
  explicit PgFederationStore(Connection& conn) : conn_(conn) {}

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
  Connection& conn_;
};

}  // namespace exposure::server::postgres
