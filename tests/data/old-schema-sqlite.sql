-- The SQLite schema as the server made it before the schema description
-- (server/storage/schema/): its migrations 1 and 2, frozen, with a few rows of a database in use.
-- server/storage/schema/schema_test.cc upgrades a database made from this file.

-- version 1
CREATE TABLE health_authorities(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  api_key_hash BLOB NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER);
CREATE TABLE authorized_apps(
  app_id TEXT PRIMARY KEY,
  regions TEXT NOT NULL);
CREATE TABLE verification_codes(
  code_hash BLOB PRIMARY KEY,
  uuid TEXT NOT NULL,
  health_authority_id INTEGER NOT NULL,
  test_type TEXT NOT NULL,
  symptom_date TEXT NOT NULL,
  test_date TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  claimed_at INTEGER) WITHOUT ROWID;
CREATE INDEX verification_codes_expires_at ON verification_codes(expires_at);
CREATE TABLE code_failures(
  window_start INTEGER PRIMARY KEY,
  count INTEGER NOT NULL);
CREATE TABLE verification_tokens(
  token_hash BLOB PRIMARY KEY,
  health_authority_id INTEGER NOT NULL,
  test_type TEXT NOT NULL,
  symptom_date TEXT NOT NULL,
  test_date TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER) WITHOUT ROWID;
CREATE INDEX verification_tokens_expires_at ON verification_tokens(expires_at);
CREATE TABLE jwt_keys(
  purpose TEXT PRIMARY KEY,
  kid TEXT NOT NULL,
  sealed_private_key BLOB NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE signing_keys(
  key_id TEXT NOT NULL,
  key_version TEXT NOT NULL,
  sealed_private_key BLOB NOT NULL,
  public_key_pem TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  active INTEGER NOT NULL,
  PRIMARY KEY(key_id, key_version));
CREATE TABLE exposures(
  key_data BLOB PRIMARY KEY,
  rolling_start INTEGER NOT NULL,
  rolling_period INTEGER NOT NULL,
  transmission_risk INTEGER NOT NULL,
  report_type TEXT NOT NULL,
  days_since_onset INTEGER,
  regions TEXT NOT NULL,
  traveler INTEGER NOT NULL,
  local_provenance INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  health_authority_id INTEGER NOT NULL,
  revised_report_type TEXT NOT NULL DEFAULT '',
  revised_at INTEGER,
  revised_days_since_onset INTEGER,
  revised_transmission_risk INTEGER) WITHOUT ROWID;
CREATE INDEX exposures_created_at ON exposures(created_at);
CREATE INDEX exposures_revised_at ON exposures(revised_at) WHERE revised_at IS NOT NULL;
CREATE TABLE padding_keys(
  region TEXT NOT NULL,
  batch_start INTEGER NOT NULL,
  batch_end INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  key_data BLOB NOT NULL,
  rolling_start INTEGER NOT NULL,
  rolling_period INTEGER NOT NULL,
  transmission_risk INTEGER NOT NULL,
  report_type INTEGER NOT NULL,
  days_since_onset INTEGER,
  PRIMARY KEY(region, batch_start, batch_end, seq)) WITHOUT ROWID;
CREATE TABLE export_state(
  region TEXT PRIMARY KEY,
  last_end INTEGER NOT NULL);
CREATE TABLE export_files(
  name TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  batch_start INTEGER NOT NULL,
  batch_end INTEGER NOT NULL,
  file_num INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  size INTEGER NOT NULL);
CREATE TABLE idempotent_results(
  key_hash BLOB PRIMARY KEY,
  http_status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL) WITHOUT ROWID;

-- version 2
CREATE TABLE leases(
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL);

CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
INSERT INTO schema_migrations(version, applied_at) VALUES(1, 1600000000), (2, 1600000000);

INSERT INTO signing_keys(key_id, key_version, sealed_private_key, public_key_pem, created_at, active)
VALUES('440', 'v1', X'01', 'pem1', 10, 1), ('440', 'v2', X'02', 'pem2', 10, 0);
INSERT INTO leases(name, holder, expires_at) VALUES('export', 'old-instance', 100);
