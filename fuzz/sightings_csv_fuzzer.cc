// Sightings CSV text -> read_sightings_csv. A failed read leaves the output as it was; a
// successful one must survive write_sightings_csv -> read_sightings_csv unchanged.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "exposure/sightings_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exposure;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<Sighting> sightings(1);  // one already there: a failed read must keep it alone
  Status read = read_sightings_csv(in, &sightings);
  if (!read.ok()) {
    if (sightings.size() != 1 || read.message().empty()) std::abort();
    return 0;
  }
  sightings.erase(sightings.begin());
  std::stringstream written;
  write_sightings_csv(written, sightings);
  std::vector<Sighting> again;
  if (!read_sightings_csv(written, &again).ok() || again != sightings) std::abort();
  return 0;
}
