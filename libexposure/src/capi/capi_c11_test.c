/* exposure.h compiled as strict C11 (-std=c11 -pedantic), driving one round through the
 * shared library: keys, an advertisement, the store, an export archive, matching, scoring and
 * the linter. Prints what failed and exits 1. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exposure.h"
#include "support/test_paths.h"

static int failures = 0;

#define CHECK(condition)                                                                 \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      fprintf(stderr, "%s:%d: %s failed (last error: %s)\n", __FILE__, __LINE__, #condition, \
              exposure_last_error());                                                    \
      ++failures;                                                                        \
    }                                                                                    \
  } while (0)
#define CHECK_OK(call) CHECK((call) == EXPOSURE_OK)

static char* read_whole_file(const char* path, size_t* length) {
  FILE* file = fopen(path, "rb");
  char* text = NULL;
  long size;
  if (file == NULL) return NULL;
  if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 && fseek(file, 0, SEEK_SET) == 0) {
    text = malloc((size_t)size + 1);
    if (text != NULL) {
      *length = fread(text, 1, (size_t)size, file);
      text[*length] = '\0';
    }
  }
  fclose(file);
  return text;
}

/* The official test vectors: TEK 75c734c6dd1a782de7a965da5eb93125, interval 2642976. */
static void check_official_vector(void) {
  static const uint8_t tek[16] = {0x75, 0xc7, 0x34, 0xc6, 0xdd, 0x1a, 0x78, 0x2d,
                                  0xe7, 0xa9, 0x65, 0xda, 0x5e, 0xb9, 0x31, 0x25};
  static const uint8_t metadata[4] = {0x40, 0x08, 0x00, 0x00};
  static const uint8_t rpi[16] = {0x8b, 0xe6, 0xcd, 0x37, 0x1c, 0x5c, 0x89, 0x16,
                                  0x04, 0xbf, 0xbe, 0x49, 0xdf, 0x84, 0x50, 0x96};
  exposure_beacon beacon;
  CHECK_OK(exposure_derive_beacon(tek, sizeof tek, 2642976, metadata, sizeof metadata, &beacon));
  CHECK(memcmp(beacon.rpi, rpi, sizeof rpi) == 0);
}

static void check_advertisement(void) {
  exposure_key_schedule_options options;
  exposure_key_schedule* schedule = NULL;
  exposure_advertisement ad;
  exposure_beacon parsed;
  exposure_tek* upload = NULL;
  size_t upload_count = 99;
  exposure_key_schedule_options_init(&options);
  options.now_unix_seconds = 1600000000;
  CHECK_OK(exposure_key_schedule_new(NULL, 0, &options, &schedule));
  CHECK_OK(exposure_key_schedule_current_advertisement(schedule, &ad));
  CHECK(ad.interval == exposure_interval_number(1600000000));
  CHECK_OK(exposure_parse_advertising_data(ad.advertising_data, sizeof ad.advertising_data, &parsed));
  CHECK(memcmp(&parsed, &ad.beacon, sizeof parsed) == 0);
  CHECK_OK(exposure_key_schedule_release_current_key(schedule));
  CHECK_OK(exposure_key_schedule_keys_for_upload(schedule, &upload, &upload_count));
  CHECK(upload_count == 1 && upload != NULL && upload[0].rolling_period == ad.interval % 144 + 1);
  exposure_free_teks(upload, upload_count);
  exposure_key_schedule_free(schedule);
}

/* Four scans of the server example's key K2MFOsSDI43hdhaehh89zQ== (start 2649866), -47 dBm. */
static void contact(exposure_sighting* out) {
  static const uint8_t tek[16] = {0x2b, 0x63, 0x05, 0x3a, 0xc4, 0x83, 0x23, 0x8d,
                                  0xe1, 0x76, 0x16, 0x9e, 0x86, 0x1f, 0x3d, 0xcd};
  static const uint8_t metadata[4] = {0x40, 0x08, 0x00, 0x00};
  int i;
  for (i = 0; i < 4; ++i) {
    out[i].time = (2649866u + 30u) * 600u + 10u + 300u * (uint32_t)i;
    out[i].previous_scan_time = out[i].time - 300u;
    out[i].rssi = -47;
    CHECK_OK(exposure_derive_beacon(tek, sizeof tek, exposure_interval_number(out[i].time), metadata,
                                    sizeof metadata, &out[i].beacon));
  }
}

int main(void) {
  char archive[4096], pem_path[4096], config_path[4096];
  char directory[] = "/tmp/exposure-c11-test-XXXXXX";
  uint8_t key[EXPOSURE_STORAGE_KEY_LENGTH];
  exposure_store_options store_options;
  exposure_store* store = NULL;
  exposure_sighting sightings[4];
  exposure_sighting* loaded = NULL;
  size_t loaded_count = 0, pem_length = 0, config_length = 0;
  char* pem = NULL;
  char* config = NULL;
  exposure_public_key public_key;
  exposure_match_request request;
  exposure_match_result* result = NULL;
  exposure_lint_request lint;
  char* json = NULL;
  const char* paths[1];
  const int64_t now = 2649866LL * 600 + 2 * 86400;

  CHECK(exposure_abi_version() == EXPOSURE_ABI_VERSION);
  CHECK(strlen(exposure_version()) > 0);
  snprintf(archive, sizeof archive, "%s/server-example-2-keys.zip", exposure_test_data_dir());
  snprintf(pem_path, sizeof pem_path, "%s/server-example-2-keys.public.pem", exposure_test_data_dir());
  snprintf(config_path, sizeof config_path, "%s/sane-v2-config.json", exposure_test_data_dir());
  pem = read_whole_file(pem_path, &pem_length);
  config = read_whole_file(config_path, &config_length);
  CHECK(pem != NULL && config != NULL);
  check_official_vector();
  check_advertisement();

  contact(sightings);
  CHECK(mkdtemp(directory) != NULL);
  CHECK_OK(exposure_generate_storage_key(key, sizeof key));
  exposure_store_options_init(&store_options);
  store_options.now_unix_seconds = now;
  CHECK_OK(exposure_store_open(directory, key, sizeof key, &store_options, &store));
  CHECK_OK(exposure_store_add_sightings(store, sightings, 4, NULL));
  CHECK_OK(exposure_store_load_sightings(store, &loaded, &loaded_count));
  CHECK(loaded_count == 4);
  exposure_store_close(store);
  CHECK_OK(exposure_store_wipe(directory));

  public_key.name = "some_id-1";
  public_key.key = (const uint8_t*)pem;
  public_key.key_length = pem_length;
  CHECK_OK(exposure_verify_export_file(archive, &public_key, 1));

  paths[0] = archive;
  exposure_match_request_init(&request);
  request.sightings = loaded;
  request.sighting_count = loaded_count;
  request.export_paths = paths;
  request.export_path_count = 1;
  request.public_keys = &public_key;
  request.public_key_count = 1;
  request.now_unix_seconds = now;
  CHECK_OK(exposure_match(&request, &result));
  exposure_free_sightings(loaded);
  CHECK_OK(exposure_match_result_score(result, config, config_length, "android", &json));
  CHECK(json != NULL && strstr(json, "\"verdict\": \"notify\"") != NULL);
  CHECK(json != NULL && strstr(json, "2b63053ac483238de176169e861f3dcd") != NULL);
  exposure_free_string(json);
  exposure_match_result_free(result);

  exposure_lint_request_init(&lint);
  lint.config_json = config;
  lint.config_length = config_length;
  lint.export_paths = paths;
  lint.export_path_count = 1;
  lint.public_keys = &public_key;
  lint.public_key_count = 1;
  json = NULL;
  CHECK_OK(exposure_lint_config(&lint, &json));
  CHECK(json != NULL && strstr(json, "\"all_platforms_notify\"") != NULL);
  exposure_free_string(json);

  CHECK(exposure_verify_export_file(archive, &public_key, 0) == EXPOSURE_INVALID_ARGUMENT);
  CHECK(strcmp(exposure_last_error(), "no public key given to verify with") == 0);

  free(pem);
  free(config);
  if (failures > 0) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("C11 round through libexposure_c %s: ok\n", exposure_version());
  return 0;
}
