// The server's schema, as an append-only list of migrations (schema.h).
#include "storage/schema/schema.h"

namespace exposure::server::schema {
namespace {

constexpr Type kInteger = Type::kInteger;
constexpr Type kBool = Type::kBool;
constexpr Type kText = Type::kText;
constexpr Type kBytes = Type::kBytes;
constexpr Type kSerial = Type::kSerial;

// Version 1: the tables of the first release.
std::vector<Step> first_release() {
  return {
      CreateTable{{.name = "health_authorities",
                   .columns = {{"id", kSerial},
                               {"name", kText},
                               {"api_key_hash", kBytes},
                               {"created_at", kInteger},
                               {"revoked_at", kInteger, kNullable}},
                   .primary_key = {"id"},
                   .unique = {{"name"}, {"api_key_hash"}}}},
      CreateTable{{.name = "authorized_apps",
                   .columns = {{"app_id", kText}, {"regions", kText}},
                   .primary_key = {"app_id"}}},
      CreateTable{{.name = "verification_codes",
                   .columns = {{"code_hash", kBytes},
                               {"uuid", kText},
                               {"health_authority_id", kInteger},
                               {"test_type", kText},
                               {"symptom_date", kText},
                               {"test_date", kText},
                               {"issued_at", kInteger},
                               {"expires_at", kInteger},
                               {"claimed_at", kInteger, kNullable}},
                   .primary_key = {"code_hash"},
                   .indexes = {{"verification_codes_expires_at", {"expires_at"}}},
                   .clustered = true}},
      CreateTable{{.name = "code_failures",
                   .columns = {{"window_start", kInteger}, {"count", kInteger}},
                   .primary_key = {"window_start"}}},
      CreateTable{{.name = "verification_tokens",
                   .columns = {{"token_hash", kBytes},
                               {"health_authority_id", kInteger},
                               {"test_type", kText},
                               {"symptom_date", kText},
                               {"test_date", kText},
                               {"issued_at", kInteger},
                               {"expires_at", kInteger},
                               {"used_at", kInteger, kNullable}},
                   .primary_key = {"token_hash"},
                   .indexes = {{"verification_tokens_expires_at", {"expires_at"}}},
                   .clustered = true}},
      CreateTable{{.name = "jwt_keys",
                   .columns = {{"purpose", kText},
                               {"kid", kText},
                               {"sealed_private_key", kBytes},
                               {"created_at", kInteger}},
                   .primary_key = {"purpose"}}},
      CreateTable{{.name = "signing_keys",
                   .columns = {{"key_id", kText},
                               {"key_version", kText},
                               {"sealed_private_key", kBytes},
                               {"public_key_pem", kText},
                               {"created_at", kInteger},
                               {"active", kBool}},
                   .primary_key = {"key_id", "key_version"}}},
      CreateTable{{.name = "exposures",
                   .columns = {{"key_data", kBytes},
                               {"rolling_start", kInteger},
                               {"rolling_period", kInteger},
                               {"transmission_risk", kInteger},
                               {"report_type", kText},
                               {"days_since_onset", kInteger, kNullable},
                               {"regions", kText},
                               {"traveler", kBool},
                               {"local_provenance", kBool},
                               {"created_at", kInteger},
                               {"health_authority_id", kInteger},
                               {"revised_report_type", kText, false, "''"},
                               {"revised_at", kInteger, kNullable},
                               {"revised_days_since_onset", kInteger, kNullable},
                               {"revised_transmission_risk", kInteger, kNullable}},
                   .primary_key = {"key_data"},
                   .indexes = {{"exposures_created_at", {"created_at"}},
                               {"exposures_revised_at", {"revised_at"}, "revised_at IS NOT NULL"}},
                   .clustered = true}},
      CreateTable{{.name = "padding_keys",
                   .columns = {{"region", kText},
                               {"batch_start", kInteger},
                               {"batch_end", kInteger},
                               {"seq", kInteger},
                               {"key_data", kBytes},
                               {"rolling_start", kInteger},
                               {"rolling_period", kInteger},
                               {"transmission_risk", kInteger},
                               {"report_type", kInteger},
                               {"days_since_onset", kInteger, kNullable}},
                   .primary_key = {"region", "batch_start", "batch_end", "seq"},
                   .clustered = true}},
      CreateTable{{.name = "export_state",
                   .columns = {{"region", kText}, {"last_end", kInteger}},
                   .primary_key = {"region"}}},
      CreateTable{{.name = "export_files",
                   .columns = {{"name", kText},
                               {"region", kText},
                               {"batch_start", kInteger},
                               {"batch_end", kInteger},
                               {"file_num", kInteger},
                               {"created_at", kInteger},
                               {"size", kInteger}},
                   .primary_key = {"name"}}},
      CreateTable{{.name = "idempotent_results",
                   .columns = {{"key_hash", kBytes},
                               {"http_status", kInteger},
                               {"body", kText},
                               {"created_at", kInteger}},
                   .primary_key = {"key_hash"},
                   .clustered = true}},
  };
}

// Version 100: federation partners, imported files and key provenance
// (storage/federation_store.h).
std::vector<Step> federation() {
  return {
      CreateTable{{.name = "federation_partners",
                   .columns = {{"name", kText},
                               {"url", kText},
                               {"regions", kText},
                               {"created_at", kInteger}},
                   .primary_key = {"name"}}},
      CreateTable{{.name = "federation_partner_keys",
                   .columns = {{"partner", kText}, {"key_name", kText}, {"public_key_pem", kText}},
                   .primary_key = {"partner", "key_name"}}},
      CreateTable{{.name = "federation_files",
                   .columns = {{"partner", kText},
                               {"name", kText},
                               {"region", kText},
                               {"imported_at", kInteger},
                               {"keys_imported", kInteger}},
                   .primary_key = {"partner", "name"},
                   .indexes = {{"federation_files_imported_at", {"imported_at"}}}}},
      CreateTable{{.name = "federation_provenance",
                   .columns = {{"key_data", kBytes},
                               {"partner", kText},
                               {"file", kText},
                               {"region", kText},
                               {"imported_at", kInteger}},
                   .primary_key = {"key_data"},
                   .indexes = {{"federation_provenance_imported_at", {"imported_at"}}},
                   .clustered = true}},
  };
}

}  // namespace

const std::vector<Migration>& migrations() {
  // Every step creates IF NOT EXISTS (render.h), so a step an older database already has is
  // a no-op: PostgreSQL databases made before this description got the leases table and the
  // export_files index in version 1, SQLite ones got leases as version 2 and no index.
  static const std::vector<Migration> kMigrations = {
      {1, "first release", first_release()},
      {2,
       "leases",
       {CreateTable{{.name = "leases",
                     .columns = {{"name", kText}, {"holder", kText}, {"expires_at", kInteger}},
                     .primary_key = {"name"}}}}},
      {3,
       "export files by batch end",
       {CreateIndex{"export_files", {"export_files_batch_end", {"batch_end"}}}}},
      // Newest-first order of signing keys with equal created_at: PostgreSQL databases had
      // an identity column for it, SQLite ones the rowid. Now a plain column on both, set by
      // insert_signing_key.
      {4,
       "signing key order",
       {AddColumn{"signing_keys", {"seq", kInteger, false, "0"}},
        BackendSql{.sqlite = "UPDATE signing_keys SET seq = rowid",
                   .postgres =
                       "ALTER TABLE signing_keys ALTER COLUMN seq DROP IDENTITY IF EXISTS;\n"
                       "ALTER TABLE signing_keys ALTER COLUMN seq SET DEFAULT 0"}}},
      {100, "federation", federation()},
  };
  return kMigrations;
}

}  // namespace exposure::server::schema
