// Loader for the official GAEN test vectors (tests/data/test-vectors.txt) and the path of
// test data files.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "exposure/interval.h"
#include "support/test_paths.h"

namespace exposure::testing {

inline std::string data_path(const std::string& name) {
  return std::string(exposure_test_data_dir()) + "/" + name;
}

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct VectorLine {
  EnIntervalNumber interval;
  std::string rpi_hex;
  std::string aem_hex;
};

struct OfficialVectors {
  std::string tek, rpik, aemk, metadata;
  EnIntervalNumber start_interval = 0;
  std::vector<VectorLine> lines;
};

// Parses the five header lines (name=value) and the 144 "index rpi aem" lines.
inline OfficialVectors load_official_vectors() {
  OfficialVectors v;
  std::ifstream in(data_path("test-vectors.txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto eq = line.find('=');
    if (eq != std::string::npos) {
      std::string name = line.substr(0, eq), value = line.substr(eq + 1);
      if (name == "tek") v.tek = value;
      if (name == "rpik") v.rpik = value;
      if (name == "aemk") v.aemk = value;
      if (name == "metadata") v.metadata = value;
      if (name == "start_interval") v.start_interval = static_cast<EnIntervalNumber>(std::stoul(value));
      continue;
    }
    std::istringstream fields(line);
    unsigned index = 0;
    VectorLine l;
    fields >> index >> l.rpi_hex >> l.aem_hex;
    l.interval = v.start_interval + index;
    v.lines.push_back(l);
  }
  return v;
}

}  // namespace exposure::testing
