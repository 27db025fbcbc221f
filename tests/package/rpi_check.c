/* Derives the 144 beacons (RPI and AEM) of the official GAEN test vector
 * (tests/data/test-vectors.txt, given as argv[1]) through the installed C ABI and compares
 * each with the file. Exit 0 when all match; prints the first mismatch otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exposure.h"

static int parse_hex(const char* hex, uint8_t* out, size_t length) {
  if (strlen(hex) != 2 * length) return 0;
  for (size_t i = 0; i < length; ++i) {
    unsigned value = 0;
    if (sscanf(hex + 2 * i, "%2x", &value) != 1) return 0;
    out[i] = (uint8_t)value;
  }
  return 1;
}

static void print_hex(const uint8_t* bytes, size_t length, char* out) {
  for (size_t i = 0; i < length; ++i) sprintf(out + 2 * i, "%02x", bytes[i]);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: rpi_check_c TEST_VECTORS_FILE\n");
    return 2;
  }
  if (exposure_abi_version() != EXPOSURE_ABI_VERSION) {
    fprintf(stderr, "library ABI %u, header ABI %d\n", (unsigned)exposure_abi_version(),
            EXPOSURE_ABI_VERSION);
    return 1;
  }
  FILE* in = fopen(argv[1], "r");
  if (!in) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  uint8_t tek[EXPOSURE_TEK_LENGTH], metadata[EXPOSURE_METADATA_LENGTH];
  int have_tek = 0, have_metadata = 0, checked = 0;
  unsigned long start_interval = 0;
  char line[256], value[128];
  while (fgets(line, sizeof line, in)) {
    unsigned index = 0;
    char rpi_hex[64], aem_hex[64];
    if (sscanf(line, "tek=%127s", value) == 1) {
      have_tek = parse_hex(value, tek, sizeof tek);
    } else if (sscanf(line, "metadata=%127s", value) == 1) {
      have_metadata = parse_hex(value, metadata, sizeof metadata);
    } else if (sscanf(line, "start_interval=%lu", &start_interval) == 1) {
    } else if (sscanf(line, "%u %63s %63s", &index, rpi_hex, aem_hex) == 3) {
      if (!have_tek || !have_metadata || start_interval == 0) {
        fprintf(stderr, "test vector header: tek, metadata or start_interval missing\n");
        return 1;
      }
      exposure_beacon beacon;
      memset(&beacon, 0, sizeof beacon);
      exposure_status status = exposure_derive_beacon(
          tek, sizeof tek, (uint32_t)(start_interval + index), metadata, sizeof metadata, &beacon);
      char got_rpi[2 * EXPOSURE_RPI_LENGTH + 1], got_aem[2 * EXPOSURE_AEM_LENGTH + 1];
      print_hex(beacon.rpi, EXPOSURE_RPI_LENGTH, got_rpi);
      print_hex(beacon.aem, EXPOSURE_AEM_LENGTH, got_aem);
      if (status != EXPOSURE_OK || strcmp(got_rpi, rpi_hex) != 0 || strcmp(got_aem, aem_hex) != 0) {
        fprintf(stderr, "index %u: %s, got %s %s, expected %s %s\n", index,
                exposure_status_name(status), got_rpi, got_aem, rpi_hex, aem_hex);
        return 1;
      }
      ++checked;
    }
  }
  fclose(in);
  if (checked != 144) {
    fprintf(stderr, "expected 144 vector lines, read %d\n", checked);
    return 1;
  }
  printf("C ABI %s (ABI %u): %d beacons match the official test vector\n", exposure_version(),
         (unsigned)exposure_abi_version(), checked);
  return 0;
}
