// PostgreSQL VerificationStore: health authorities, apps, codes, tokens, failure counters, keys.
#include "storage/postgres/pg_verification.h"

namespace exposure::server::postgres {
namespace {

HealthAuthority read_health_authority(const Rows& r, int row) {
  HealthAuthority ha;
  ha.id = r.integer(row, 0);
  ha.name = r.text(row, 1);
  ha.created_at = r.integer(row, 2);
  ha.revoked_at = r.optional_integer(row, 3);
  return ha;
}

VerificationCode read_code(const Rows& r) {
  VerificationCode c;
  c.code_hash = to_hash(r.bytes(0, 0));
  c.uuid = r.text(0, 1);
  c.health_authority_id = r.integer(0, 2);
  c.test_type = r.text(0, 3);
  c.symptom_date = r.text(0, 4);
  c.test_date = r.text(0, 5);
  c.issued_at = r.integer(0, 6);
  c.expires_at = r.integer(0, 7);
  c.claimed_at = r.optional_integer(0, 8);
  return c;
}

}  // namespace

Result<int64_t> PgVerificationStore::insert_health_authority(std::string_view name, const Hash& api_key_hash,
                                                       int64_t now) {
  PG_RUN(r,
         "INSERT INTO health_authorities(name, api_key_hash, created_at) VALUES($1, $2, $3) "
         "ON CONFLICT DO NOTHING RETURNING id",
         name, ByteView(api_key_hash), now);
  if (r->size() != 1) return Status(ErrorCode::kAlreadyExists, "health authority \"" + std::string(name) + "\" exists");
  return r->integer(0, 0);
}

Result<std::vector<HealthAuthority>> PgVerificationStore::list_health_authorities() {
  PG_RUN(r, "SELECT id, name, created_at, revoked_at FROM health_authorities ORDER BY id");
  std::vector<HealthAuthority> out;
  for (int i = 0; i < r->size(); ++i) out.push_back(read_health_authority(*r, i));
  return out;
}

Status PgVerificationStore::revoke_health_authority(std::string_view name, int64_t now) {
  PG_RUN(r, "UPDATE health_authorities SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL", now, name);
  if (r->affected() != 1) {
    return Status(ErrorCode::kNotFound, "no active health authority named \"" + std::string(name) + "\"");
  }
  return Status::Ok();
}

Result<std::optional<HealthAuthority>> PgVerificationStore::find_health_authority_by_key(const Hash& api_key_hash) {
  PG_RUN(r,
         "SELECT id, name, created_at, revoked_at, api_key_hash FROM health_authorities "
         "WHERE api_key_hash = $1 AND revoked_at IS NULL",
         ByteView(api_key_hash));
  if (r->size() == 0) return std::optional<HealthAuthority>();
  // The lookup matched by index; confirm in constant time all the same.
  if (!constant_time_equal(r->bytes(0, 4), api_key_hash)) return std::optional<HealthAuthority>();
  return std::optional<HealthAuthority>(read_health_authority(*r, 0));
}

Status PgVerificationStore::upsert_app(const AuthorizedApp& app) {
  PG_RUN(r,
         "INSERT INTO authorized_apps(app_id, regions) VALUES($1, $2) "
         "ON CONFLICT(app_id) DO UPDATE SET regions = excluded.regions",
         app.app_id, join_regions(app.regions));
  return Status::Ok();
}

Result<std::optional<AuthorizedApp>> PgVerificationStore::find_app(std::string_view app_id) {
  PG_RUN(r, "SELECT app_id, regions FROM authorized_apps WHERE app_id = $1", app_id);
  if (r->size() == 0) return std::optional<AuthorizedApp>();
  return std::optional<AuthorizedApp>(AuthorizedApp{r->text(0, 0), split_regions(r->text(0, 1))});
}

Result<std::vector<AuthorizedApp>> PgVerificationStore::list_apps() {
  PG_RUN(r, "SELECT app_id, regions FROM authorized_apps ORDER BY app_id");
  std::vector<AuthorizedApp> out;
  for (int i = 0; i < r->size(); ++i) out.push_back(AuthorizedApp{r->text(i, 0), split_regions(r->text(i, 1))});
  return out;
}

Status PgVerificationStore::remove_app(std::string_view app_id) {
  PG_RUN(r, "DELETE FROM authorized_apps WHERE app_id = $1", app_id);
  if (r->affected() != 1) return Status(ErrorCode::kNotFound, "no app \"" + std::string(app_id) + "\"");
  return Status::Ok();
}

Status PgVerificationStore::insert_code(const VerificationCode& c) {
  PG_RUN(r,
         "INSERT INTO verification_codes(code_hash, uuid, health_authority_id, test_type, symptom_date, "
         "test_date, issued_at, expires_at, claimed_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) "
         "ON CONFLICT DO NOTHING",
         ByteView(c.code_hash), c.uuid, c.health_authority_id, c.test_type, c.symptom_date, c.test_date, c.issued_at,
         c.expires_at, c.claimed_at);
  if (r->affected() != 1) return Status(ErrorCode::kAlreadyExists, "code exists");
  return Status::Ok();
}

Result<std::optional<VerificationCode>> PgVerificationStore::find_code(const Hash& code_hash) {
  PG_RUN(r,
         "SELECT code_hash, uuid, health_authority_id, test_type, symptom_date, test_date, issued_at, "
         "expires_at, claimed_at FROM verification_codes WHERE code_hash = $1",
         ByteView(code_hash));
  if (r->size() == 0) return std::optional<VerificationCode>();
  return std::optional<VerificationCode>(read_code(*r));
}

Status PgVerificationStore::claim_code(const Hash& code_hash, int64_t now) {
  // The row lock of the UPDATE makes a concurrent claim wait, re-check and match nothing.
  PG_RUN(r, "UPDATE verification_codes SET claimed_at = $1 WHERE code_hash = $2 AND claimed_at IS NULL", now,
         ByteView(code_hash));
  if (r->affected() != 1) return Status(ErrorCode::kFailedPrecondition, "code already claimed");
  return Status::Ok();
}

Result<int64_t> PgVerificationStore::count_code_failure(int64_t window_start) {
  PG_RUN(r,
         "INSERT INTO code_failures(window_start, count) VALUES($1, 1) "
         "ON CONFLICT(window_start) DO UPDATE SET count = code_failures.count + 1 RETURNING count",
         window_start);
  return r->integer(0, 0);
}

Result<int64_t> PgVerificationStore::code_failures(int64_t window_start) {
  PG_RUN(r, "SELECT count FROM code_failures WHERE window_start = $1", window_start);
  return r->size() == 0 ? int64_t{0} : r->integer(0, 0);
}

Status PgVerificationStore::insert_token(const VerificationToken& t) {
  PG_RUN(r,
         "INSERT INTO verification_tokens(token_hash, health_authority_id, test_type, symptom_date, test_date, "
         "issued_at, expires_at, used_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
         ByteView(t.token_hash), t.health_authority_id, t.test_type, t.symptom_date, t.test_date, t.issued_at,
         t.expires_at, t.used_at);
  if (r->affected() != 1) return Status(ErrorCode::kAlreadyExists, "token exists");
  return Status::Ok();
}

Result<std::optional<VerificationToken>> PgVerificationStore::find_token(const Hash& token_hash) {
  PG_RUN(r,
         "SELECT token_hash, health_authority_id, test_type, symptom_date, test_date, issued_at, expires_at, "
         "used_at FROM verification_tokens WHERE token_hash = $1",
         ByteView(token_hash));
  if (r->size() == 0) return std::optional<VerificationToken>();
  VerificationToken t;
  t.token_hash = to_hash(r->bytes(0, 0));
  t.health_authority_id = r->integer(0, 1);
  t.test_type = r->text(0, 2);
  t.symptom_date = r->text(0, 3);
  t.test_date = r->text(0, 4);
  t.issued_at = r->integer(0, 5);
  t.expires_at = r->integer(0, 6);
  t.used_at = r->optional_integer(0, 7);
  return std::optional<VerificationToken>(std::move(t));
}

Status PgVerificationStore::use_token(const Hash& token_hash, int64_t now) {
  PG_RUN(r, "UPDATE verification_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL", now,
         ByteView(token_hash));
  if (r->affected() != 1) return Status(ErrorCode::kFailedPrecondition, "token already used");
  return Status::Ok();
}

Result<int64_t> PgVerificationStore::delete_expired_secrets(int64_t cutoff) {
  static const char* const kStatements[] = {
      "DELETE FROM verification_codes WHERE expires_at < $1",
      "DELETE FROM verification_tokens WHERE expires_at < $1",
      "DELETE FROM code_failures WHERE window_start < $1",
  };
  int64_t total = 0;
  for (const char* sql : kStatements) {
    PG_RUN(r, sql, cutoff);
    total += r->affected();
  }
  return total;
}

Result<std::optional<JwtKeyRecord>> PgVerificationStore::find_jwt_key(std::string_view purpose) {
  // Instances starting together: the first creates the key, the others wait and find it.
  EXPOSURE_RETURN_IF_ERROR(lock(kLockJwtKeys, {lock_key(as_bytes(purpose))}));
  PG_RUN(r, "SELECT purpose, kid, sealed_private_key, created_at FROM jwt_keys WHERE purpose = $1", purpose);
  if (r->size() == 0) return std::optional<JwtKeyRecord>();
  return std::optional<JwtKeyRecord>(JwtKeyRecord{r->text(0, 0), r->text(0, 1), r->bytes(0, 2), r->integer(0, 3)});
}

Status PgVerificationStore::insert_jwt_key(const JwtKeyRecord& k) {
  PG_RUN(r,
         "INSERT INTO jwt_keys(purpose, kid, sealed_private_key, created_at) VALUES($1, $2, $3, $4) "
         "ON CONFLICT DO NOTHING",
         k.purpose, k.kid, ByteView(k.sealed_private_key), k.created_at);
  if (r->affected() != 1) return Status(ErrorCode::kAlreadyExists, "jwt key \"" + k.purpose + "\" exists");
  return Status::Ok();
}

Status PgVerificationStore::insert_signing_key(const SigningKeyRecord& k) {
  PG_RUN(r,
         "INSERT INTO signing_keys(key_id, key_version, sealed_private_key, public_key_pem, created_at, active, seq) "
         "VALUES($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(seq), 0) + 1 FROM signing_keys)) ON CONFLICT DO NOTHING",
         k.key_id, k.key_version, ByteView(k.sealed_private_key), k.public_key_pem, k.created_at, k.active);
  if (r->affected() != 1) {
    return Status(ErrorCode::kAlreadyExists, "signing key " + k.key_id + "-" + k.key_version + " exists");
  }
  return Status::Ok();
}

Result<std::vector<SigningKeyRecord>> PgVerificationStore::list_signing_keys() {
  PG_RUN(r,
         "SELECT key_id, key_version, sealed_private_key, public_key_pem, created_at, active FROM signing_keys "
         "ORDER BY created_at DESC, seq DESC");
  std::vector<SigningKeyRecord> out;
  for (int i = 0; i < r->size(); ++i) {
    out.push_back(SigningKeyRecord{r->text(i, 0), r->text(i, 1), r->bytes(i, 2), r->text(i, 3), r->integer(i, 4),
                                   r->boolean(i, 5)});
  }
  return out;
}

Status PgVerificationStore::set_signing_key_active(std::string_view key_id, std::string_view key_version, bool active) {
  PG_RUN(r, "UPDATE signing_keys SET active = $1 WHERE key_id = $2 AND key_version = $3", active, key_id,
         key_version);
  if (r->affected() != 1) {
    return Status(ErrorCode::kNotFound, "no signing key " + std::string(key_id) + "-" + std::string(key_version));
  }
  return Status::Ok();
}

}  // namespace exposure::server::postgres
