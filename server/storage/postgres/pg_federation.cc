// PostgreSQL federation store: partners and their keys, imported files, key provenance.
// Key lists travel as one comma-separated hex parameter (string_to_array), so a file's
// keys take one round trip.
#include <cstring>
#include <map>

#include "storage/postgres/pg_storage.h"

namespace exposure::server::postgres {
namespace {

std::string hex_list(std::span<const KeyData> keys) {
  std::string out;
  out.reserve(keys.size() * 33);
  for (const KeyData& k : keys) {
    if (!out.empty()) out += ',';
    out += to_hex(ByteView(k));
  }
  return out;
}

}  // namespace

Status PgFederationStore::upsert_partner(const FederationPartner& p) {
  PG_RUN(partner,
         "INSERT INTO federation_partners(name, url, regions, created_at) VALUES($1, $2, $3, $4) "
         "ON CONFLICT(name) DO UPDATE SET url = excluded.url, regions = excluded.regions",
         p.name, p.url, join_regions(p.regions), p.created_at);
  PG_RUN(removed, "DELETE FROM federation_partner_keys WHERE partner = $1", p.name);
  for (const PartnerKey& k : p.keys) {
    PG_RUN(
        key,
        "INSERT INTO federation_partner_keys(partner, key_name, public_key_pem) VALUES($1, $2, $3)",
        p.name, k.name, k.public_key_pem);
  }
  return Status::Ok();
}

Result<std::vector<FederationPartner>> PgFederationStore::list_partners() {
  PG_RUN(r, "SELECT name, url, regions, created_at FROM federation_partners ORDER BY name");
  std::vector<FederationPartner> out;
  std::map<std::string, size_t> by_name;
  for (int i = 0; i < r->size(); ++i) {
    by_name[r->text(i, 0)] = out.size();
    out.push_back(FederationPartner{
        r->text(i, 0), r->text(i, 1), split_regions(r->text(i, 2)), {}, r->integer(i, 3)});
  }
  PG_RUN(keys,
         "SELECT partner, key_name, public_key_pem FROM federation_partner_keys ORDER BY partner, "
         "key_name");
  for (int i = 0; i < keys->size(); ++i) {
    auto it = by_name.find(keys->text(i, 0));
    if (it != by_name.end())
      out[it->second].keys.push_back(PartnerKey{keys->text(i, 1), keys->text(i, 2)});
  }
  return out;
}

Status PgFederationStore::remove_partner(std::string_view name) {
  PG_RUN(r, "DELETE FROM federation_partners WHERE name = $1", name);
  if (r->affected() != 1)
    return Status(ErrorCode::kNotFound,
                  "no federation partner named \"" + std::string(name) + "\"");
  PG_RUN(keys, "DELETE FROM federation_partner_keys WHERE partner = $1", name);
  PG_RUN(files, "DELETE FROM federation_files WHERE partner = $1", name);
  return Status::Ok();
}

Result<std::vector<std::string>> PgFederationStore::imported_files(std::string_view partner) {
  PG_RUN(r, "SELECT name FROM federation_files WHERE partner = $1 ORDER BY name", partner);
  std::vector<std::string> out;
  for (int i = 0; i < r->size(); ++i) out.push_back(r->text(i, 0));
  return out;
}

Status PgFederationStore::insert_imported_file(const ImportedFile& f) {
  PG_RUN(r,
         "INSERT INTO federation_files(partner, name, region, imported_at, keys_imported) "
         "VALUES($1, $2, $3, $4, $5) "
         "ON CONFLICT DO NOTHING",
         f.partner, f.name, f.region, f.imported_at, f.keys_imported);
  if (r->affected() != 1) {
    return Status(ErrorCode::kAlreadyExists,
                  "file " + f.name + " of " + f.partner + " is recorded already");
  }
  return Status::Ok();
}

Result<int64_t> PgFederationStore::delete_imported_files_before(int64_t cutoff) {
  PG_RUN(r, "DELETE FROM federation_files WHERE imported_at < $1", cutoff);
  return r->affected();
}

Status PgFederationStore::insert_provenance(const ImportedFile& f, std::span<const KeyData> keys) {
  if (keys.empty()) return Status::Ok();
  PG_RUN(r,
         "INSERT INTO federation_provenance(key_data, partner, file, region, imported_at) "
         "SELECT decode(h, 'hex'), $2, $3, $4, $5 FROM unnest(string_to_array($1, ',')) AS h ON "
         "CONFLICT DO NOTHING",
         hex_list(keys), f.partner, f.name, f.region, f.imported_at);
  if (r->affected() != static_cast<int64_t>(keys.size())) {
    return Status(ErrorCode::kAlreadyExists, "constraint: key provenance already recorded");
  }
  return Status::Ok();
}

Result<std::vector<KeyProvenance>> PgFederationStore::find_provenance(
    std::span<const KeyData> keys) {
  if (keys.empty()) return std::vector<KeyProvenance>{};
  PG_RUN(r,
         "SELECT key_data, partner, file, region, imported_at FROM federation_provenance WHERE "
         "key_data = "
         "ANY(SELECT decode(h, 'hex') FROM unnest(string_to_array($1, ',')) AS h)",
         hex_list(keys));
  std::vector<KeyProvenance> out(static_cast<size_t>(r->size()));
  for (int i = 0; i < r->size(); ++i) {
    KeyProvenance& p = out[static_cast<size_t>(i)];
    const Bytes key = r->bytes(i, 0);
    if (key.size() == p.key_data.size()) std::memcpy(p.key_data.data(), key.data(), key.size());
    p.partner = r->text(i, 1);
    p.file = r->text(i, 2);
    p.region = r->text(i, 3);
    p.imported_at = r->integer(i, 4);
  }
  return out;
}

Result<int64_t> PgFederationStore::delete_provenance_before(int64_t cutoff) {
  PG_RUN(r, "DELETE FROM federation_provenance WHERE imported_at < $1", cutoff);
  return r->affected();
}

}  // namespace exposure::server::postgres
