// A fresh directory under /tmp, removed with everything in it when the object is destroyed.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace exposure::testing {

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/exposure-test-XXXXXX";
    const char* made = mkdtemp(pattern);
    path_ = made != nullptr ? made : "";
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // `name` inside the directory.
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace exposure::testing
