// Helpers shared by the fuzz targets: fixed inputs read once at start-up from tests/data.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include "support/test_paths.h"

namespace exposure::fuzz {

// The bytes of tests/data/<name>; aborts (a broken fuzz set-up, not a finding) when missing.
inline std::string read_test_data(const std::string& name) {
  const std::string path = std::string(exposure_test_data_dir()) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz set-up: cannot read %s\n", path.c_str());
    std::abort();
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Aborts with `what` when a set-up step failed.
inline void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz set-up: %s\n", what);
    std::abort();
  }
}

}  // namespace exposure::fuzz
