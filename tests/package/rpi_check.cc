// Derives the 144 RPIs and AEMs of the official GAEN test vector (tests/data/test-vectors.txt,
// given as argv[1]) through the installed C++ API and compares each with the file. Exit 0 when
// all match; prints the first mismatch otherwise.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "exposure/bytes.h"
#include "exposure/keys.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: rpi_check_cpp TEST_VECTORS_FILE\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::map<std::string, std::string> header;
  std::string line;
  int checked = 0;
  exposure::RollingProximityIdKey rpik;
  exposure::AssociatedEncryptedMetadataKey aemk;
  exposure::MetadataBytes metadata{};
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (auto eq = line.find('='); eq != std::string::npos) {
      header[line.substr(0, eq)] = line.substr(eq + 1);
      continue;
    }
    if (checked == 0) {
      auto tek = exposure::fixed_from_hex<16>(header["tek"], "tek");
      auto meta = exposure::fixed_from_hex<4>(header["metadata"], "metadata");
      if (!tek.ok() || !meta.ok()) {
        std::cerr << "test vector header: tek or metadata missing\n";
        return 1;
      }
      rpik = exposure::derive_rpi_key(tek.value());
      aemk = exposure::derive_aem_key(tek.value());
      metadata = meta.value();
    }
    std::istringstream fields(line);
    unsigned index = 0;
    std::string rpi_hex, aem_hex;
    fields >> index >> rpi_hex >> aem_hex;
    auto interval =
        static_cast<exposure::EnIntervalNumber>(std::stoul(header["start_interval"]) + index);
    auto rpi = exposure::rolling_proximity_id(rpik, interval);
    auto aem = exposure::encrypt_metadata(aemk, rpi, metadata);
    if (exposure::to_hex(rpi) != rpi_hex || exposure::to_hex(aem) != aem_hex) {
      std::cerr << "interval " << interval << ": got " << exposure::to_hex(rpi) << " "
                << exposure::to_hex(aem) << ", expected " << rpi_hex << " " << aem_hex << "\n";
      return 1;
    }
    ++checked;
  }
  if (checked != 144) {
    std::cerr << "expected 144 vector lines, read " << checked << "\n";
    return 1;
  }
  std::cout << "C++ API: " << checked << " RPIs and AEMs match the official test vector\n";
  return 0;
}
