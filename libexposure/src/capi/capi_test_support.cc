#include "capi_test_support.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include "support/test_paths.h"

namespace exposure::capi_test {

std::string data_path(const std::string& name) { return std::string(exposure_test_data_dir()) + "/" + name; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string to_hex(const uint8_t* data, size_t length) {
  std::string out;
  char digits[3];
  for (size_t i = 0; i < length; ++i) {
    std::snprintf(digits, sizeof digits, "%02x", data[i]);
    out += digits;
  }
  return out;
}

std::vector<exposure_tek> take_teks(exposure_tek* keys, size_t count) {
  std::vector<exposure_tek> out(keys, keys + count);
  exposure_free_teks(keys, count);
  return out;
}

std::vector<exposure_sighting> take_sightings(exposure_sighting* sightings, size_t count) {
  std::vector<exposure_sighting> out(sightings, sightings + count);
  exposure_free_sightings(sightings);
  return out;
}

std::vector<exposure_diagnosis_key> take_diagnosis_keys(exposure_diagnosis_key* keys, size_t count) {
  std::vector<exposure_diagnosis_key> out(keys, keys + count);
  exposure_free_diagnosis_keys(keys);
  return out;
}

std::string server_example_archive() { return data_path("server-example-2-keys.zip"); }

const std::string& server_example_public_pem() {
  static const std::string pem = read_file(data_path("server-example-2-keys.public.pem"));
  return pem;
}

exposure_public_key server_example_public_key() {
  const std::string& pem = server_example_public_pem();
  return {kServerExampleKeyName, reinterpret_cast<const uint8_t*>(pem.data()), pem.size()};
}

std::vector<exposure_sighting> contact_sightings(const std::string& tek_hex, uint32_t first_time, int scans,
                                                 int8_t rssi) {
  const std::vector<uint8_t> tek = from_hex(tek_hex);
  const uint8_t metadata[4] = {0x40, 0x08, 0x00, 0x00};
  std::vector<exposure_sighting> out;
  for (int i = 0; i < scans; ++i) {
    exposure_sighting s{};
    s.time = first_time + 300 * static_cast<uint32_t>(i);
    s.previous_scan_time = s.time - 300;
    s.rssi = rssi;
    EXPECT_C_OK(exposure_derive_beacon(tek.data(), tek.size(), exposure_interval_number(s.time), metadata,
                                       sizeof metadata, &s.beacon));
    out.push_back(s);
  }
  return out;
}

std::vector<exposure_sighting> server_example_contact() {
  // Interval start + 30 of the key, four scans (20 minutes) at -47 dBm: attenuation 8 + 47 = 55.
  return contact_sightings(kServerExampleKeyHex, (kServerExampleKeyStart + 30) * 600 + 10, 4, -47);
}

int64_t server_example_now() { return int64_t{kServerExampleKeyStart} * 600 + 2 * 86400; }

}  // namespace exposure::capi_test
