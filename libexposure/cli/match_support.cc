#include "match_support.h"

#include <unistd.h>

#include <cstdio>

#include "exposure/risk_config.h"

namespace exposure::cli {

void add_public_key_options(CLI::App* sub, std::vector<std::string>& public_keys, bool& insecure) {
  auto* keys = sub->add_option("--public-key", public_keys,
                               "ID-VERSION=PEM (a file, or PEM/base64 text); each key is its own cosign set");
  auto* skip = sub->add_flag("--insecure-skip-verify", insecure, "Do not check signatures (allows bare export.bin)");
  keys->excludes(skip);
}

std::vector<keyfile::CosignSet> parse_public_key_options(const std::vector<std::string>& specs, bool insecure) {
  if (specs.empty() && !insecure)
    throw CLI::ValidationError("--public-key", "required (or --insecure-skip-verify)");
  std::vector<keyfile::CosignSet> sets;
  for (const std::string& spec : specs) {
    sets.emplace_back();
    sets.back().push_back(parse_public_key_spec(spec));
  }
  return sets;
}

void add_platform_option(CLI::App* sub, std::string& platform) {
  sub->add_option("--platform", platform, "Platform profile: android, ios or all")
      ->check(CLI::IsMember({"android", "ios", "all"}))
      ->capture_default_str();
}

std::vector<const PlatformProfile*> selected_profiles(const std::string& platform) {
  std::vector<const PlatformProfile*> out;
  for (const PlatformProfile& p : all_platform_profiles())
    if (platform == "all" || platform == p.name) out.push_back(&p);
  return out;
}

ProgressLine::ProgressLine(std::string command, std::string what)
    : command_(std::move(command)),
      what_(std::move(what)),
      terminal_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void ProgressLine::update(uint64_t count) {
  if (!terminal_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - start_ < std::chrono::seconds(2) || now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  shown_ = true;
  std::fprintf(stderr, "\rexposure %s: %llu %s", command_.c_str(), static_cast<unsigned long long>(count), what_.c_str());
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (shown_) std::fprintf(stderr, "\n");
  shown_ = false;
}

}  // namespace exposure::cli
