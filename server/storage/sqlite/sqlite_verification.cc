// SQLite VerificationStore: health authorities, apps, codes, tokens, failure counters, keys.
#include "storage/sqlite/sqlite_verification.h"

namespace exposure::server::sqlite {
namespace {

HealthAuthority read_health_authority(const Statement& s) {
  HealthAuthority ha;
  ha.id = s.integer(0);
  ha.name = s.text(1);
  ha.created_at = s.integer(2);
  ha.revoked_at = s.optional_integer(3);
  return ha;
}

VerificationCode read_code(const Statement& s) {
  VerificationCode c;
  c.code_hash = to_hash(s.blob(0));
  c.uuid = s.text(1);
  c.health_authority_id = s.integer(2);
  c.test_type = s.text(3);
  c.symptom_date = s.text(4);
  c.test_date = s.text(5);
  c.issued_at = s.integer(6);
  c.expires_at = s.integer(7);
  c.claimed_at = s.optional_integer(8);
  return c;
}

}  // namespace

Result<int64_t> SqliteVerificationStore::insert_health_authority(std::string_view name, const Hash& api_key_hash,
                                                           int64_t now) {
  PREPARE(s, "INSERT INTO health_authorities(name, api_key_hash, created_at) VALUES(?, ?, ?)");
  Status st = s.bind_all(name, ByteView(api_key_hash), now).run();
  if (st.code() == ErrorCode::kAlreadyExists) {
    return Status(ErrorCode::kAlreadyExists, "health authority \"" + std::string(name) + "\" exists");
  }
  EXPOSURE_RETURN_IF_ERROR(st);
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_.handle()));
}

Result<std::vector<HealthAuthority>> SqliteVerificationStore::list_health_authorities() {
  PREPARE(s, "SELECT id, name, created_at, revoked_at FROM health_authorities ORDER BY id");
  std::vector<HealthAuthority> out;
  while (true) {
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(read_health_authority(s));
  }
  return out;
}

Status SqliteVerificationStore::revoke_health_authority(std::string_view name, int64_t now) {
  PREPARE(s, "UPDATE health_authorities SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(now, name).run());
  if (CHANGED_ROWS() != 1) {
    return Status(ErrorCode::kNotFound, "no active health authority named \"" + std::string(name) + "\"");
  }
  return Status::Ok();
}

Result<std::optional<HealthAuthority>> SqliteVerificationStore::find_health_authority_by_key(const Hash& api_key_hash) {
  PREPARE(s,
          "SELECT id, name, created_at, revoked_at, api_key_hash FROM health_authorities "
          "WHERE api_key_hash = ? AND revoked_at IS NULL");
  s.bind_all(ByteView(api_key_hash));
  auto row = s.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<HealthAuthority>();
  // The lookup matched by index; confirm in constant time all the same.
  if (!constant_time_equal(s.blob(4), api_key_hash)) return std::optional<HealthAuthority>();
  return std::optional<HealthAuthority>(read_health_authority(s));
}

Status SqliteVerificationStore::upsert_app(const AuthorizedApp& app) {
  PREPARE(s, "INSERT INTO authorized_apps(app_id, regions) VALUES(?, ?) "
             "ON CONFLICT(app_id) DO UPDATE SET regions = excluded.regions");
  return s.bind_all(app.app_id, join_regions(app.regions)).run();
}

Result<std::optional<AuthorizedApp>> SqliteVerificationStore::find_app(std::string_view app_id) {
  PREPARE(s, "SELECT app_id, regions FROM authorized_apps WHERE app_id = ?");
  s.bind_all(app_id);
  auto row = s.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<AuthorizedApp>();
  return std::optional<AuthorizedApp>(AuthorizedApp{s.text(0), split_regions(s.text(1))});
}

Result<std::vector<AuthorizedApp>> SqliteVerificationStore::list_apps() {
  PREPARE(s, "SELECT app_id, regions FROM authorized_apps ORDER BY app_id");
  std::vector<AuthorizedApp> out;
  while (true) {
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(AuthorizedApp{s.text(0), split_regions(s.text(1))});
  }
  return out;
}

Status SqliteVerificationStore::remove_app(std::string_view app_id) {
  PREPARE(s, "DELETE FROM authorized_apps WHERE app_id = ?");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(app_id).run());
  if (CHANGED_ROWS() != 1) return Status(ErrorCode::kNotFound, "no app \"" + std::string(app_id) + "\"");
  return Status::Ok();
}

Status SqliteVerificationStore::insert_code(const VerificationCode& c) {
  PREPARE(s,
          "INSERT INTO verification_codes(code_hash, uuid, health_authority_id, test_type, symptom_date, "
          "test_date, issued_at, expires_at, claimed_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
  return s
      .bind_all(ByteView(c.code_hash), c.uuid, c.health_authority_id, c.test_type, c.symptom_date, c.test_date,
                c.issued_at, c.expires_at, c.claimed_at)
      .run();
}

Result<std::optional<VerificationCode>> SqliteVerificationStore::find_code(const Hash& code_hash) {
  PREPARE(s,
          "SELECT code_hash, uuid, health_authority_id, test_type, symptom_date, test_date, issued_at, "
          "expires_at, claimed_at FROM verification_codes WHERE code_hash = ?");
  s.bind_all(ByteView(code_hash));
  auto row = s.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<VerificationCode>();
  return std::optional<VerificationCode>(read_code(s));
}

Status SqliteVerificationStore::claim_code(const Hash& code_hash, int64_t now) {
  PREPARE(s, "UPDATE verification_codes SET claimed_at = ? WHERE code_hash = ? AND claimed_at IS NULL");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(now, ByteView(code_hash)).run());
  if (CHANGED_ROWS() != 1) return Status(ErrorCode::kFailedPrecondition, "code already claimed");
  return Status::Ok();
}

Result<int64_t> SqliteVerificationStore::count_code_failure(int64_t window_start) {
  {
    PREPARE(s, "INSERT INTO code_failures(window_start, count) VALUES(?, 1) "
               "ON CONFLICT(window_start) DO UPDATE SET count = count + 1");
    EXPOSURE_RETURN_IF_ERROR(s.bind_all(window_start).run());
  }
  return code_failures(window_start);
}

Result<int64_t> SqliteVerificationStore::code_failures(int64_t window_start) {
  PREPARE(s, "SELECT count FROM code_failures WHERE window_start = ?");
  s.bind_all(window_start);
  auto row = s.step();
  if (!row.ok()) return row.status();
  return *row ? s.integer(0) : int64_t{0};
}

Status SqliteVerificationStore::insert_token(const VerificationToken& t) {
  PREPARE(s,
          "INSERT INTO verification_tokens(token_hash, health_authority_id, test_type, symptom_date, test_date, "
          "issued_at, expires_at, used_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  return s
      .bind_all(ByteView(t.token_hash), t.health_authority_id, t.test_type, t.symptom_date, t.test_date, t.issued_at,
                t.expires_at, t.used_at)
      .run();
}

Result<std::optional<VerificationToken>> SqliteVerificationStore::find_token(const Hash& token_hash) {
  PREPARE(s,
          "SELECT token_hash, health_authority_id, test_type, symptom_date, test_date, issued_at, expires_at, "
          "used_at FROM verification_tokens WHERE token_hash = ?");
  s.bind_all(ByteView(token_hash));
  auto row = s.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<VerificationToken>();
  VerificationToken t;
  t.token_hash = to_hash(s.blob(0));
  t.health_authority_id = s.integer(1);
  t.test_type = s.text(2);
  t.symptom_date = s.text(3);
  t.test_date = s.text(4);
  t.issued_at = s.integer(5);
  t.expires_at = s.integer(6);
  t.used_at = s.optional_integer(7);
  return std::optional<VerificationToken>(std::move(t));
}

Status SqliteVerificationStore::use_token(const Hash& token_hash, int64_t now) {
  PREPARE(s, "UPDATE verification_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(now, ByteView(token_hash)).run());
  if (CHANGED_ROWS() != 1) return Status(ErrorCode::kFailedPrecondition, "token already used");
  return Status::Ok();
}

Result<int64_t> SqliteVerificationStore::delete_expired_secrets(int64_t cutoff) {
  static const char* const kStatements[] = {
      "DELETE FROM verification_codes WHERE expires_at < ?",
      "DELETE FROM verification_tokens WHERE expires_at < ?",
      "DELETE FROM code_failures WHERE window_start < ?",
  };
  int64_t total = 0;
  for (const char* sql : kStatements) {
    PREPARE(s, sql);
    EXPOSURE_RETURN_IF_ERROR(s.bind_all(cutoff).run());
    total += CHANGED_ROWS();
  }
  return total;
}

Result<std::optional<JwtKeyRecord>> SqliteVerificationStore::find_jwt_key(std::string_view purpose) {
  PREPARE(s, "SELECT purpose, kid, sealed_private_key, created_at FROM jwt_keys WHERE purpose = ?");
  s.bind_all(purpose);
  auto row = s.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<JwtKeyRecord>();
  ByteView sealed = s.blob(2);
  return std::optional<JwtKeyRecord>(JwtKeyRecord{s.text(0), s.text(1), Bytes(sealed.begin(), sealed.end()), s.integer(3)});
}

Status SqliteVerificationStore::insert_jwt_key(const JwtKeyRecord& k) {
  PREPARE(s, "INSERT INTO jwt_keys(purpose, kid, sealed_private_key, created_at) VALUES(?, ?, ?, ?)");
  return s.bind_all(k.purpose, k.kid, ByteView(k.sealed_private_key), k.created_at).run();
}

Status SqliteVerificationStore::insert_signing_key(const SigningKeyRecord& k) {
  PREPARE(s,
          "INSERT INTO signing_keys(key_id, key_version, sealed_private_key, public_key_pem, created_at, active, seq) "
          "VALUES(?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM signing_keys))");
  Status st = s.bind_all(k.key_id, k.key_version, ByteView(k.sealed_private_key), k.public_key_pem, k.created_at,
                         k.active)
                  .run();
  if (st.code() == ErrorCode::kAlreadyExists) {
    return Status(ErrorCode::kAlreadyExists, "signing key " + k.key_id + "-" + k.key_version + " exists");
  }
  return st;
}

Result<std::vector<SigningKeyRecord>> SqliteVerificationStore::list_signing_keys() {
  PREPARE(s,
          "SELECT key_id, key_version, sealed_private_key, public_key_pem, created_at, active FROM signing_keys "
          "ORDER BY created_at DESC, seq DESC");
  std::vector<SigningKeyRecord> out;
  while (true) {
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ByteView sealed = s.blob(2);
    out.push_back(SigningKeyRecord{s.text(0), s.text(1), Bytes(sealed.begin(), sealed.end()), s.text(3),
                                   s.integer(4), s.integer(5) != 0});
  }
  return out;
}

Status SqliteVerificationStore::set_signing_key_active(std::string_view key_id, std::string_view key_version, bool active) {
  PREPARE(s, "UPDATE signing_keys SET active = ? WHERE key_id = ? AND key_version = ?");
  EXPOSURE_RETURN_IF_ERROR(s.bind_all(active, key_id, key_version).run());
  if (CHANGED_ROWS() != 1) {
    return Status(ErrorCode::kNotFound, "no signing key " + std::string(key_id) + "-" + std::string(key_version));
  }
  return Status::Ok();
}

}  // namespace exposure::server::sqlite
