/* exposure.h: the stable C ABI of libexposure (shared library libexposure_c.so).
 *
 * Apps (through the JNI and Swift wrappers) and researchers (through the Python module) reach
 * the library through this header only. It is plain C11 and compiles as C++.
 *
 * Conventions (docs/bindings.md explains them with examples):
 *
 *  - Errors. Every function that can fail returns an exposure_status; EXPOSURE_OK is 0. On
 *    failure, exposure_last_error() returns a one-line message naming what was wrong (and
 *    where). Nothing is written to an output parameter when a call fails. No C++ exception
 *    ever leaves the library.
 *  - Handles. exposure_key_schedule, exposure_store, exposure_match_result and
 *    exposure_exchange are opaque; each
 *    has one function that creates it and one that frees it (NULL is accepted and ignored). A
 *    handle is not thread-safe: use it from one thread at a time. Functions without a handle
 *    may be called from any thread.
 *  - Lengths. Byte inputs come with their length; fixed-size outputs are struct fields or
 *    caller buffers of the documented size (EXPOSURE_*_LENGTH).
 *  - Ownership. Input pointers are only read during the call; the library keeps no pointer to
 *    them. Outputs the library allocates are owned by the caller and released with the
 *    exposure_free_* function named next to each one; arrays of zero elements come back as
 *    NULL with a count of 0. Buffers holding key material (TEKs) are wiped when freed.
 *  - Time. Everything that depends on "now" takes a unix time in seconds; 0 means the system
 *    clock.
 *  - Strings are NUL-terminated UTF-8. JSON inputs come with their length.
 */
#ifndef EXPOSURE_H_
#define EXPOSURE_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Incremented whenever a declaration in this header changes incompatibly. Structs only ever
 * change together with it. */
#define EXPOSURE_ABI_VERSION 1

#define EXPOSURE_TEK_LENGTH 16
#define EXPOSURE_RPI_LENGTH 16
#define EXPOSURE_AEM_LENGTH 4
#define EXPOSURE_METADATA_LENGTH 4
#define EXPOSURE_ADVERTISING_DATA_LENGTH 31
#define EXPOSURE_STORAGE_KEY_LENGTH 32

/* ---- Errors, version ------------------------------------------------------------------- */

/* The codes of the C++ library's ErrorCode, with the same numbers. */
typedef enum exposure_status {
  EXPOSURE_OK = 0,
  EXPOSURE_INVALID_ARGUMENT = 1,     /* an argument is out of range, malformed or NULL */
  EXPOSURE_MALFORMED = 2,            /* input bytes do not follow their format */
  EXPOSURE_VERIFICATION_FAILED = 3,  /* a signature did not verify */
  EXPOSURE_NOT_FOUND = 4,
  EXPOSURE_ALREADY_EXISTS = 5,
  EXPOSURE_IO_ERROR = 6,
  EXPOSURE_CORRUPT = 7,              /* stored data failed its integrity check */
  EXPOSURE_WRONG_KEY = 8,            /* the storage key does not open the store */
  EXPOSURE_UNSUPPORTED = 9,
  EXPOSURE_RESOURCE_EXHAUSTED = 10,  /* a size limit was hit, the disk is full, out of memory */
  EXPOSURE_FAILED_PRECONDITION = 11, /* not allowed in the current state */
  EXPOSURE_INTERNAL = 12,            /* a bug or a failure of an underlying library */
  EXPOSURE_REJECTED = 13,            /* a server refused the request (HTTP 4xx); do not repeat it */
  EXPOSURE_UNAVAILABLE = 14          /* no reply, or the server failed or is busy; try later */
} exposure_status;

/* The library version, e.g. "0.1.0". Static storage. */
const char* exposure_version(void);

/* The EXPOSURE_ABI_VERSION the library was built with; compare it with the header's. */
uint32_t exposure_abi_version(void);

/* Short lowercase name of a status ("ok", "malformed", ...); "unknown" for another value.
 * Static storage. */
const char* exposure_status_name(exposure_status status);

/* The message of the last call on this thread that failed, "" after a call that succeeded.
 * Thread-local storage, valid until this thread's next call into the library. */
const char* exposure_last_error(void);

/* ---- Keys, metadata, Bluetooth payload ---------------------------------------------------- */

/* A Temporary Exposure Key of the device (secret). */
typedef struct exposure_tek {
  uint8_t key_data[EXPOSURE_TEK_LENGTH];
  uint32_t rolling_start_interval_number; /* 10-minute intervals since the epoch */
  uint32_t rolling_period;                /* 1..144 */
} exposure_tek;

/* The Bluetooth metadata encrypted into the AEM. */
typedef struct exposure_metadata {
  uint8_t major_version;          /* 0..3 */
  uint8_t minor_version;          /* 0..3 */
  uint8_t calibration_confidence; /* 0..3 (lowest..high) */
  int8_t tx_power_dbm;
} exposure_metadata;

/* What one advertisement carries: the Rolling Proximity Identifier and the Associated
 * Encrypted Metadata. */
typedef struct exposure_beacon {
  uint8_t rpi[EXPOSURE_RPI_LENGTH];
  uint8_t aem[EXPOSURE_AEM_LENGTH];
} exposure_beacon;

/* The 10-minute interval number of a unix time: floor(unix_seconds / 600), 0 before 1970. */
uint32_t exposure_interval_number(int64_t unix_seconds);

/* Encodes metadata into its 4 bytes (versions and confidence masked to 2 bits).
 * `out` receives EXPOSURE_METADATA_LENGTH bytes. */
exposure_status exposure_encode_metadata(const exposure_metadata* metadata, uint8_t* out);

/* Decodes 4 metadata bytes (`length` must be EXPOSURE_METADATA_LENGTH). */
exposure_status exposure_decode_metadata(const uint8_t* bytes, size_t length, exposure_metadata* out);

/* The RPI of `tek` for `interval` and its AEM over the 4 bytes of `metadata`
 * (`tek_length` 16, `metadata_length` 4). */
exposure_status exposure_derive_beacon(const uint8_t* tek, size_t tek_length, uint32_t interval,
                                       const uint8_t* metadata, size_t metadata_length,
                                       exposure_beacon* out);

/* Decrypts a beacon's AEM with `tek` (16 bytes) into EXPOSURE_METADATA_LENGTH bytes at `out`. */
exposure_status exposure_decrypt_metadata(const uint8_t* tek, size_t tek_length,
                                          const exposure_beacon* beacon, uint8_t* out);

/* The 31-byte legacy advertising data for a beacon (flags, the 0xFD6F UUID list and service
 * data). `out` receives EXPOSURE_ADVERTISING_DATA_LENGTH bytes. */
exposure_status exposure_build_advertising_data(const exposure_beacon* beacon, uint8_t* out);

/* Parses received advertising data (a sequence of length/type/data structures) and returns
 * the RPI and AEM of its 0xFD6F service data. EXPOSURE_NOT_FOUND when there is no such service
 * data (another kind of advertisement); EXPOSURE_MALFORMED, with the offset, when a structure
 * overruns the data, when there is more than one 0xFD6F service data, or when it is not
 * 20 bytes. Never reads outside data[0..length). */
exposure_status exposure_parse_advertising_data(const uint8_t* data, size_t length,
                                                exposure_beacon* out);

/* Wipes and frees an array of TEKs returned by the library (NULL is ignored). */
void exposure_free_teks(exposure_tek* keys, size_t count);

/* Overwrites `length` bytes at `data` with zeros in a way the compiler cannot elide (for the
 * bindings' own copies of keys). NULL or a length of 0 is ignored. */
void exposure_wipe(void* data, size_t length);

/* ---- Key schedule (the advertiser's side) --------------------------------------------- */

typedef struct exposure_key_schedule exposure_key_schedule;

typedef struct exposure_key_schedule_options {
  int64_t now_unix_seconds;   /* 0 = the system clock; see exposure_key_schedule_set_time */
  exposure_metadata metadata; /* encrypted into every AEM; default v1.1, TX power 0 */
  uint32_t history_days;      /* own keys kept this many days before today, 0..3650; default 14 */
  uint32_t max_keys_per_start; /* keys sharing one start (same-day releases); default 3 */
} exposure_key_schedule_options;

/* Fills `options` with the defaults. */
void exposure_key_schedule_options_init(exposure_key_schedule_options* options);

/* Creates a schedule over the persisted own-key `history` (any order; copied). `options` may
 * be NULL for the defaults. EXPOSURE_INVALID_ARGUMENT when a key's rolling_period is outside
 * 1..144. Free the handle with exposure_key_schedule_free. */
exposure_status exposure_key_schedule_new(const exposure_tek* history, size_t history_count,
                                          const exposure_key_schedule_options* options,
                                          exposure_key_schedule** out);
void exposure_key_schedule_free(exposure_key_schedule* schedule);

/* Sets the time the schedule takes as now (0 = back to the system clock). */
exposure_status exposure_key_schedule_set_time(exposure_key_schedule* schedule,
                                               int64_t now_unix_seconds);

/* The TEK in force now; rolls to a fresh key at UTC midnight and drops keys past retention. */
exposure_status exposure_key_schedule_current_key(exposure_key_schedule* schedule, exposure_tek* out);

typedef struct exposure_advertisement {
  uint32_t interval;
  exposure_beacon beacon;
  uint8_t advertising_data[EXPOSURE_ADVERTISING_DATA_LENGTH];
} exposure_advertisement;

/* The RPI, AEM and ready-to-send advertising payload for the current interval. */
exposure_status exposure_key_schedule_current_advertisement(exposure_key_schedule* schedule,
                                                            exposure_advertisement* out);

/* Unix time at which the broadcast RPI next changes (the next 10-minute boundary). */
exposure_status exposure_key_schedule_next_rotation(const exposure_key_schedule* schedule,
                                                    int64_t* out_unix_seconds);

/* The retained own keys, oldest first: persist them (e.g. exposure_store_save_own_keys)
 * after every call that may change them. Free with exposure_free_teks. */
exposure_status exposure_key_schedule_history(const exposure_key_schedule* schedule,
                                              exposure_tek** out, size_t* out_count);

/* The keys that may be uploaded after a positive test: every retained key except the one in
 * force (today's key only after exposure_key_schedule_release_current_key). Free with
 * exposure_free_teks. */
exposure_status exposure_key_schedule_keys_for_upload(const exposure_key_schedule* schedule,
                                                      exposure_tek** out, size_t* out_count);

/* Same-day release: ends the key in force with the current interval so it can be uploaded now
 * and starts a new key (same start) for the rest of the day. EXPOSURE_FAILED_PRECONDITION
 * when max_keys_per_start keys already share today's start. */
exposure_status exposure_key_schedule_release_current_key(exposure_key_schedule* schedule);

/* ---- Sightings, encrypted store ------------------------------------------------------- */

/* One received advertisement as the scanner records it. */
typedef struct exposure_sighting {
  exposure_beacon beacon;
  uint32_t time;               /* unix seconds of reception */
  uint32_t previous_scan_time; /* unix seconds of the previous scan; 0 = unknown */
  int8_t rssi;                 /* calibrated RSSI, dBm */
} exposure_sighting;

/* Frees an array of sightings returned by the library (NULL is ignored). */
void exposure_free_sightings(exposure_sighting* sightings);

/* Frees a string returned by the library (NULL is ignored). */
void exposure_free_string(char* text);

/* Parses sightings CSV (header rpi,aem,time,rssi[,previous_scan_time]; docs/store.md).
 * EXPOSURE_MALFORMED "line N: ..." on the first bad line. Free with exposure_free_sightings. */
exposure_status exposure_sightings_from_csv(const char* text, size_t length,
                                            exposure_sighting** out, size_t* out_count);
/* Same, from a file; EXPOSURE_IO_ERROR when it cannot be read; messages start with the path. */
exposure_status exposure_sightings_from_csv_file(const char* path, exposure_sighting** out,
                                                 size_t* out_count);
/* Writes sightings as CSV (header and one line each). Free with exposure_free_string. */
exposure_status exposure_sightings_to_csv(const exposure_sighting* sightings, size_t count,
                                          char** out_text);

/* Fills `out` (EXPOSURE_STORAGE_KEY_LENGTH bytes, `out_length` must say so) with a fresh
 * storage key from the CSPRNG. Hosts normally keep theirs in the Keystore / Keychain. */
exposure_status exposure_generate_storage_key(uint8_t* out, size_t out_length);

typedef struct exposure_store exposure_store;

typedef struct exposure_store_options {
  int64_t now_unix_seconds;    /* 0 = the system clock; drives retention */
  uint32_t retention_days;     /* sightings kept this many days before today; default 14 */
  int32_t create_if_missing;   /* non-zero (default): create the store; 0: EXPOSURE_NOT_FOUND */
  uint64_t max_database_bytes; /* 0 (default) = no limit; beyond it EXPOSURE_RESOURCE_EXHAUSTED */
} exposure_store_options;

/* Fills `options` with the defaults. */
void exposure_store_options_init(exposure_store_options* options);

/* Opens (or creates) the encrypted store in `directory` with the host's 32-byte key
 * (`key_length` must be EXPOSURE_STORAGE_KEY_LENGTH; the library keeps its own wiped copy).
 * `options` may be NULL. EXPOSURE_WRONG_KEY when the key does not open the store,
 * EXPOSURE_CORRUPT when the file is not an intact store. Close with exposure_store_close. */
exposure_status exposure_store_open(const char* directory, const uint8_t* key, size_t key_length,
                                    const exposure_store_options* options, exposure_store** out);
void exposure_store_close(exposure_store* store);

/* Sets the time the store takes as now for retention (0 = back to the system clock). */
exposure_status exposure_store_set_time(exposure_store* store, int64_t now_unix_seconds);

typedef struct exposure_ingest_report {
  uint64_t stored;  /* sightings written */
  uint64_t expired; /* sightings skipped: their day is already past retention */
} exposure_ingest_report;

/* Adds a batch of sightings in one transaction (all or nothing). `report` may be NULL. */
exposure_status exposure_store_add_sightings(exposure_store* store, const exposure_sighting* sightings,
                                             size_t count, exposure_ingest_report* report);

/* Every retained sighting. Free with exposure_free_sightings. */
exposure_status exposure_store_load_sightings(exposure_store* store, exposure_sighting** out,
                                              size_t* out_count);

/* Replaces the stored own-key history with `keys` (in that order). */
exposure_status exposure_store_save_own_keys(exposure_store* store, const exposure_tek* keys,
                                             size_t count);
/* The stored own-key history. Free with exposure_free_teks. */
exposure_status exposure_store_load_own_keys(exposure_store* store, exposure_tek** out,
                                             size_t* out_count);

/* Re-encrypts the store under `new_key` (32 bytes); afterwards only it opens the store. */
exposure_status exposure_store_rotate_key(exposure_store* store, const uint8_t* new_key,
                                          size_t new_key_length);

typedef struct exposure_store_stats {
  uint64_t sightings;
  uint64_t chunks;
  uint64_t own_keys;
  uint64_t days_covered;    /* UTC days with at least one sighting */
  int64_t first_day;        /* UTC day number (days since 1970-01-01) of the oldest; -1 if none */
  int64_t last_day;         /* of the newest; -1 if none */
  uint64_t database_bytes;  /* store.db */
  uint64_t wal_bytes;       /* store.db-wal */
} exposure_store_stats;

/* Counts from the store's sealed summary and the sizes of its files. */
exposure_status exposure_store_stats_get(exposure_store* store, exposure_store_stats* out);

/* Deletes the store in `directory` without its key (files overwritten, synced, unlinked;
 * docs/store.md). No store may be open on it. Succeeds when there is nothing to delete. */
exposure_status exposure_store_wipe(const char* directory);

/* ---- Diagnosis-key export files ------------------------------------------------------ */

/* A published diagnosis key. */
typedef struct exposure_diagnosis_key {
  uint8_t key_data[EXPOSURE_TEK_LENGTH];
  uint32_t rolling_start_interval_number;
  uint32_t rolling_period;          /* 1..144 */
  int32_t transmission_risk_level;  /* 0..8 */
  int32_t report_type;              /* 0 unknown, 1 confirmed test, 2 clinical, 3 self report,
                                       4 recursive, 5 revoked */
  int32_t has_days_since_onset;     /* non-zero when days_since_onset_of_symptoms is known */
  int32_t days_since_onset_of_symptoms; /* -14..14 */
} exposure_diagnosis_key;

/* Frees an array of diagnosis keys returned by the library (NULL is ignored). */
void exposure_free_diagnosis_keys(exposure_diagnosis_key* keys);

/* A public key that signs export files. Each key given to a function is its own cosign set:
 * a file passes when a signature of any one of them verifies. */
typedef struct exposure_public_key {
  const char* name;     /* "<verification_key_id>-<verification_key_version>", e.g. "310-v1" */
  const uint8_t* key;   /* PEM, base64 or DER SubjectPublicKeyInfo of a P-256 key */
  size_t key_length;
} exposure_public_key;

/* Streams a signed archive (export.zip) and verifies its signatures under the device rules
 * (docs/keyfile.md). EXPOSURE_VERIFICATION_FAILED naming the key when no key verifies,
 * EXPOSURE_MALFORMED for a broken archive or an invalid key record,
 * EXPOSURE_INVALID_ARGUMENT for a bad public key. */
exposure_status exposure_verify_export_file(const char* path, const exposure_public_key* keys,
                                            size_t key_count);
exposure_status exposure_verify_export_bytes(const uint8_t* data, size_t length,
                                             const exposure_public_key* keys, size_t key_count);

/* Reads the keys (not the revised keys) of an archive or bare export.bin, in file order,
 * without verifying signatures. Fails on the first invalid key. Free with
 * exposure_free_diagnosis_keys. */
exposure_status exposure_read_export_file(const char* path, exposure_diagnosis_key** out,
                                          size_t* out_count);
exposure_status exposure_read_export_bytes(const uint8_t* data, size_t length,
                                           exposure_diagnosis_key** out, size_t* out_count);

/* ---- Matching and risk ---------------------------------------------------------------- */

typedef struct exposure_match_request {
  const exposure_sighting* sightings; /* the device's sightings (copied during the call) */
  size_t sighting_count;
  const exposure_diagnosis_key* keys; /* keys in memory, matched first; may be NULL */
  size_t key_count;
  const char* const* export_paths;    /* export archives, matched after `keys`, in order */
  size_t export_path_count;
  const exposure_public_key* public_keys; /* every archive must verify against one of them */
  size_t public_key_count;
  int32_t skip_verification;  /* non-zero: no signature check; bare export.bin allowed */
  int64_t now_unix_seconds;   /* 0 = the system clock; key ages and window ages count from it */
  uint32_t threads;           /* worker threads, 1..256; default 1 */
} exposure_match_request;

/* Fills `request` with the defaults (nothing to match, verification on, system clock,
 * one thread). */
void exposure_match_request_init(exposure_match_request* request);

typedef struct exposure_match_result exposure_match_result;

/* Matches the keys against the sightings with the platforms' exact filters (docs/matching.md).
 * An archive that does not verify fails the whole call with its path in the message. Free the
 * result with exposure_match_result_free. */
exposure_status exposure_match(const exposure_match_request* request, exposure_match_result** out);
void exposure_match_result_free(exposure_match_result* result);

/* Number of keys that matched at least one sighting. */
exposure_status exposure_match_result_matched_key_count(const exposure_match_result* result,
                                                        uint64_t* out);

/* The match as JSON: the object `exposure match` prints without --config (keys_processed,
 * matched_keys, exposure_windows under the default data mapping, ...). Free with
 * exposure_free_string. */
exposure_status exposure_match_result_json(const exposure_match_result* result, char** out_json);

/* Scores the match with a risk configuration (JSON, docs/risk.md; v1 and/or v2 fields) on
 * `platform` ("android", "ios", or "all" / NULL): the object `exposure match --config` prints,
 * with windows labelled by the configuration's data mapping and "platforms.<name>" holding
 * daily summaries, window scores, the v1 summary and the verdict. EXPOSURE_INVALID_ARGUMENT
 * naming the field for a bad configuration. Free with exposure_free_string. */
exposure_status exposure_match_result_score(const exposure_match_result* result, const char* config_json,
                                            size_t config_length, const char* platform,
                                            char** out_json);

/* Parses a risk configuration: EXPOSURE_OK, or EXPOSURE_INVALID_ARGUMENT / EXPOSURE_MALFORMED
 * with a message naming the field. */
exposure_status exposure_check_risk_config(const char* config_json, size_t config_length);

/* ---- Config linter ------------------------------------------------------------------- */

/* Metadata of a published key that scoring reads. */
typedef struct exposure_key_metadata {
  int32_t transmission_risk_level; /* 0..8 */
  int32_t report_type;             /* 0..5 */
  int32_t has_days_since_onset;
  int32_t days_since_onset;        /* -14..14 */
} exposure_key_metadata;

typedef struct exposure_lint_request {
  const char* config_json;
  size_t config_length;
  const exposure_key_metadata* key_metadata; /* metadata given directly; may be NULL */
  size_t key_metadata_count;
  const char* const* export_paths;           /* and/or the metadata of these files' keys */
  size_t export_path_count;
  const exposure_public_key* public_keys;    /* to verify the files (as in matching) */
  size_t public_key_count;
  int32_t skip_verification;
  const char* platform;                      /* "android", "ios", "all" or NULL (all) */
  int32_t contact_minutes;                   /* reference contact; default 15 */
  double contact_meters;                     /* default 1 */
  double attenuation_at_1m_db;               /* path-loss model; default 55 */
  double path_loss_exponent;                 /* default 2 */
} exposure_lint_request;

/* Fills `request` with the defaults. */
void exposure_lint_request_init(exposure_lint_request* request);

/* Can a reference contact reach the configuration's threshold on each platform with the key
 * metadata given? Returns the object `exposure lint-config` prints (verdicts per platform and
 * API, reasons, "all_platforms_notify"); a configuration that never notifies is a result,
 * not an error. Free with exposure_free_string. */
exposure_status exposure_lint_config(const exposure_lint_request* request, char** out_json);

/* ---- The app's protocol: upload and exposure check (docs/app-sdk.md) ------------------ */

/* The library builds every request and reads every reply; the app sends them with its own
 * HTTP stack. An exchange is run as:
 *
 *     exposure_exchange* x;  exposure_upload_start(...) or exposure_check_start(..., &x);
 *     for (;;) {
 *       exposure_http_request request; int32_t done;
 *       if (exposure_exchange_next_request(x, &request, &done) != EXPOSURE_OK || done) break;
 *       ... send it; status 0 when no reply came ...
 *       if (exposure_exchange_receive(x, status, body, body_length) != EXPOSURE_OK) break;
 *     }
 *     exposure_exchange_result_json(x, &json);   (the outcome, or the error it ended with)
 *     exposure_exchange_free(x);
 *
 * Errors that end an exchange: EXPOSURE_REJECTED (the server refused: do not repeat),
 * EXPOSURE_UNAVAILABLE (no reply, 429 or 5xx: try later), EXPOSURE_MALFORMED (a reply, index
 * or archive that does not parse), EXPOSURE_VERIFICATION_FAILED (an archive's signature).
 * The store is written only when an exchange succeeds, in one transaction. */

typedef struct exposure_http_header {
  const char* name;
  const char* value;
} exposure_http_header;

/* A request to send. Every pointer is owned by the exchange and valid until the next call on
 * it (or its free). */
typedef struct exposure_http_request {
  const char* method;                 /* "GET", "POST" or "PUT" */
  const char* path;                   /* a path on the app's server ("/api/verify"), or an
                                         absolute URL (archives named by list.json) */
  const exposure_http_header* headers;
  size_t header_count;
  const uint8_t* body;                /* JSON text for POST and PUT; NULL for GET */
  size_t body_length;
} exposure_http_request;

/* An upload, an exposure check or a chaff request in progress. */
typedef struct exposure_exchange exposure_exchange;

typedef enum exposure_upload_flow {
  EXPOSURE_UPLOAD_GOOGLE = 0, /* /api/verify -> /api/certificate -> /v1/publish */
  EXPOSURE_UPLOAD_COCOA = 1   /* PUT /api/v3/diagnosis with the processing number */
} exposure_upload_flow;

typedef struct exposure_upload_options {
  int32_t flow;                 /* an exposure_upload_flow; default Google */
  const char* code;             /* the verification code / COCOA processing number (required) */
  const char* app_id;           /* healthAuthorityID / appPackageName; NULL: "com.example.app" */
  const char* const* regions;   /* COCOA: the regions (at least one) */
  size_t region_count;
  const char* platform;         /* COCOA platform field; NULL: "android" */
  const char* onset_date;       /* COCOA onsetOfSymptomOrTestDate (RFC 3339); NULL: none */
  int32_t transmission_risk;    /* 0..8 for every key; 0 (default): the server decides */
  int64_t now_unix_seconds;     /* recorded with the upload; 0 = the system clock */
} exposure_upload_options;

/* Fills `options` with the defaults. */
void exposure_upload_options_init(exposure_upload_options* options);

/* Starts uploading `keys` (from exposure_key_schedule_keys_for_upload). `store` must stay
 * open until the exchange is freed; it records the upload and the revision token when the
 * server accepts the keys, and a later upload sends that token back. EXPOSURE_INVALID_ARGUMENT
 * for no keys, more than 30, no code, or COCOA without a region. */
exposure_status exposure_upload_start(exposure_store* store, const exposure_tek* keys, size_t key_count,
                                      const exposure_upload_options* options, exposure_exchange** out);

typedef struct exposure_check_options {
  const char* region;                     /* e.g. "JP" (required) */
  const char* export_path;                /* NULL: "/exports" */
  int32_t use_list_json;                  /* non-zero: read <region>/list.json, not index.txt */
  const exposure_public_key* public_keys; /* the export signer's keys (at least one) */
  size_t public_key_count;
  const char* config_json;                /* the risk configuration (required; docs/risk.md) */
  size_t config_length;
  const char* platform;                   /* "android" (NULL) or "ios": how to score */
  int64_t now_unix_seconds;               /* 0 = the system clock */
  uint32_t threads;                       /* matching threads, 1..256; default 1 */
} exposure_check_options;

/* Fills `options` with the defaults. */
void exposure_check_options_init(exposure_check_options* options);

/* Starts an incremental exposure check against the store's sightings: the index, then each
 * archive not processed by an earlier check. `store` must stay open until the exchange is
 * freed. EXPOSURE_INVALID_ARGUMENT naming the field for a bad option or configuration. */
exposure_status exposure_check_start(exposure_store* store, const exposure_check_options* options,
                                     exposure_exchange** out);

typedef enum exposure_chaff_route {
  EXPOSURE_CHAFF_VERIFY = 0,
  EXPOSURE_CHAFF_CERTIFICATE = 1,
  EXPOSURE_CHAFF_PUBLISH = 2,
  EXPOSURE_CHAFF_COCOA = 3
} exposure_chaff_route;

/* An exchange of one chaff request shaped like the real requests of `route` (same path, the
 * same padded size, X-Chaff: 1); its reply is ignored. When to send chaff is the app's choice. */
exposure_status exposure_chaff_start(int32_t route, exposure_exchange** out);

/* The request to send now, in `out`; `*out_done` is set to 1 (and `out` left alone) when the
 * exchange has ended, else 0. */
exposure_status exposure_exchange_next_request(exposure_exchange* exchange, exposure_http_request* out,
                                               int32_t* out_done);

/* The reply to the last request: its HTTP status (0 when no reply came) and body (binary for
 * archives). A failure ends the exchange and returns its status and message. */
exposure_status exposure_exchange_receive(exposure_exchange* exchange, int32_t http_status, const uint8_t* body,
                                          size_t body_length);

/* How the exchange ended, as JSON (docs/app-sdk.md): an upload's {"upload": {...}}, a check's
 * {"check": {..., "decision": {"notify", "new_days", "qualifying_days", "reasons"}}}, or, when
 * it failed, {"error": {"status", "message", "http_status", "server_code", "server_message"}}.
 * EXPOSURE_FAILED_PRECONDITION while it is still running. Free with exposure_free_string. */
exposure_status exposure_exchange_result_json(const exposure_exchange* exchange, char** out_json);

/* The decision of a finished, successful check: 1 when the user is to be notified now, else 0.
 * EXPOSURE_FAILED_PRECONDITION for another exchange or one not finished successfully. */
exposure_status exposure_check_notify(const exposure_exchange* exchange, int32_t* out_notify);

void exposure_exchange_free(exposure_exchange* exchange);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXPOSURE_H_ */
