// Options and output pieces shared by `exposure match` and `exposure lint-config`.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_support.h"
#include "exposure/diagnosis_key.h"
#include "exposure/keyfile.h"
#include "exposure/risk.h"

namespace exposure::cli {

// --public-key ID-VERSION=PEM (repeatable; the PEM is a file or the text itself) and
// --insecure-skip-verify; exactly one of them is required.
void add_public_key_options(CLI::App* sub, std::vector<std::string>& public_keys, bool& insecure);
// One cosign set per key. Throws CLI::ValidationError naming --public-key on a bad key.
std::vector<keyfile::CosignSet> parse_public_key_options(const std::vector<std::string>& specs, bool insecure);

// --platform android|ios|all (default all).
void add_platform_option(CLI::App* sub, std::string& platform);
std::vector<const PlatformProfile*> selected_profiles(const std::string& platform);

// "exposure <command>: N <what>" on stderr, rewritten in place, only when stderr is a
// terminal and the run has lasted more than two seconds.
class ProgressLine {
 public:
  ProgressLine(std::string command, std::string what);
  void update(uint64_t count);
  void finish();

 private:
  std::string command_, what_;
  bool terminal_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace exposure::cli
