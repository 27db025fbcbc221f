// SQLite federation store: partners and their keys, imported files, key provenance.
#include <cstring>
#include <map>

#include "storage/sqlite/sqlite_storage.h"

namespace exposure::server::sqlite {

Status SqliteFederationStore::upsert_partner(const FederationPartner& p) {
  {
    PREPARE(s,
            "INSERT INTO federation_partners(name, url, regions, created_at) VALUES(?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET url = excluded.url, regions = excluded.regions");
    EXPOSURE_RETURN_IF_ERROR(
        s.bind_all(p.name, p.url, join_regions(p.regions), p.created_at).run());
  }
  {
    PREPARE(s, "DELETE FROM federation_partner_keys WHERE partner = ?");
    EXPOSURE_RETURN_IF_ERROR(s.bind_all(p.name).run());
  }
  PREPARE(s,
          "INSERT INTO federation_partner_keys(partner, key_name, public_key_pem) VALUES(?, ?, ?)");
  for (const PartnerKey& k : p.keys) {
    s.reset();
    EXPOSURE_RETURN_IF_ERROR(s.bind_all(p.name, k.name, k.public_key_pem).run());
  }
  return Status::Ok();
}

Result<std::vector<FederationPartner>> SqliteFederationStore::list_partners() {
  std::vector<FederationPartner> out;
  std::map<std::string, size_t> by_name;
  {
    PREPARE(s, "SELECT name, url, regions, created_at FROM federation_partners ORDER BY name");
    while (true) {
      auto row = s.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      by_name[s.text(0)] = out.size();
      out.push_back(
          FederationPartner{s.text(0), s.text(1), split_regions(s.text(2)), {}, s.integer(3)});
    }
  }
  PREPARE(s,
          "SELECT partner, key_name, public_key_pem FROM federation_partner_keys ORDER BY partner, "
          "key_name");
  while (true) {
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto it = by_name.find(s.text(0));
    if (it != by_name.end()) out[it->second].keys.push_back(PartnerKey{s.text(1), s.text(2)});
  }
  return out;
}

Status SqliteFederationStore::remove_partner(std::string_view name) {
  {
    PREPARE(s, "DELETE FROM federation_partners WHERE name = ?");
    EXPOSURE_RETURN_IF_ERROR(s.bind_all(name).run());
    if (CHANGED_ROWS() != 1)
      return Status(ErrorCode::kNotFound,
                    "no federation partner named \"" + std::string(name) + "\"");
  }
  {
    PREPARE(s, "DELETE FROM federation_partner_keys WHERE partner = ?");
    EXPOSURE_RETURN_IF_ERROR(s.bind_all(name).run());
  }
  PREPARE(s, "DELETE FROM federation_files WHERE partner = ?");
  return s.bind_all(name).run();
}

Result<std::vector<std::string>> SqliteFederationStore::imported_files(std::string_view partner) {
  PREPARE(s, "SELECT name FROM federation_files WHERE partner = ? ORDER BY name");
  s.bind_all(partner);
  std::vector<std::string> out;
  while (true) {
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(s.text(0));
  }
  return out;
}

Status SqliteFederationStore::insert_imported_file(const ImportedFile& f) {
  PREPARE(s,
          "INSERT INTO federation_files(partner, name, region, imported_at, keys_imported) "
          "VALUES(?, ?, ?, ?, ?)");
  Status st = s.bind_all(f.partner, f.name, f.region, f.imported_at, f.keys_imported).run();
  if (st.code() == ErrorCode::kAlreadyExists) {
    return Status(ErrorCode::kAlreadyExists,
                  "file " + f.name + " of " + f.partner + " is recorded already");
  }
  return st;
}

Result<int64_t> SqliteFederationStore::delete_imported_files_before(int64_t cutoff) {
  PREPARE(s, "DELETE FROM federation_files WHERE imported_at < ?");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(cutoff).run());
  return static_cast<int64_t>(CHANGED_ROWS());
}

Status SqliteFederationStore::insert_provenance(const ImportedFile& f,
                                                std::span<const KeyData> keys) {
  PREPARE(s,
          "INSERT INTO federation_provenance(key_data, partner, file, region, imported_at) "
          "VALUES(?, ?, ?, ?, ?)");
  for (const KeyData& k : keys) {
    s.reset();
    EXPOSURE_RETURN_IF_ERROR(
        s.bind_all(ByteView(k), f.partner, f.name, f.region, f.imported_at).run());
  }
  return Status::Ok();
}

Result<std::vector<KeyProvenance>> SqliteFederationStore::find_provenance(
    std::span<const KeyData> keys) {
  PREPARE(
      s, "SELECT partner, file, region, imported_at FROM federation_provenance WHERE key_data = ?");
  std::vector<KeyProvenance> out;
  for (const KeyData& k : keys) {
    s.reset();
    s.bind_all(ByteView(k));
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (*row) out.push_back(KeyProvenance{k, s.text(0), s.text(1), s.text(2), s.integer(3)});
  }
  return out;
}

Result<int64_t> SqliteFederationStore::delete_provenance_before(int64_t cutoff) {
  PREPARE(s, "DELETE FROM federation_provenance WHERE imported_at < ?");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(cutoff).run());
  return static_cast<int64_t>(CHANGED_ROWS());
}

}  // namespace exposure::server::sqlite
