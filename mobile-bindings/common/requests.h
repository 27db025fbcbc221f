// The inputs of the C ABI's verify, match and lint calls as every binding collects them from
// its host language (Java, Python): owned strings and arrays, and the C request structs that
// point into them. Filling exposure_match_request / exposure_lint_request happens here once.
//
// The C views (c_paths(), c_public_keys(), request()) stay valid while the object lives and is
// not modified.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exposure.h"

namespace exposure::bindings {

// Export archives and the public keys ("ID-VERSION" -> PEM, base64 or DER) that verify them.
class ExportSources {
 public:
  std::vector<std::string> paths;
  bool skip_verification = false;

  void add_public_key(std::string name, std::string key) {
    key_names_.push_back(std::move(name));
    key_texts_.push_back(std::move(key));
  }

  const std::vector<const char*>& c_paths() {
    path_pointers_.clear();
    for (const std::string& path : paths) path_pointers_.push_back(path.c_str());
    return path_pointers_;
  }

  const std::vector<exposure_public_key>& c_public_keys() {
    public_keys_.clear();
    for (size_t i = 0; i < key_names_.size(); ++i) {
      public_keys_.push_back({key_names_[i].c_str(), reinterpret_cast<const uint8_t*>(key_texts_[i].data()),
                              key_texts_[i].size()});
    }
    return public_keys_;
  }

  // Sets the export and verification fields of a match or lint request.
  template <typename Request>
  void fill(Request* request) {
    const std::vector<const char*>& path_views = c_paths();
    const std::vector<exposure_public_key>& key_views = c_public_keys();
    request->export_paths = path_views.data();
    request->export_path_count = path_views.size();
    request->public_keys = key_views.data();
    request->public_key_count = key_views.size();
    request->skip_verification = skip_verification ? 1 : 0;
  }

 private:
  std::vector<std::string> key_names_, key_texts_;
  std::vector<const char*> path_pointers_;
  std::vector<exposure_public_key> public_keys_;
};

// exposure_match: sightings against keys given directly and keys read from export archives.
struct MatchInputs {
  std::vector<exposure_sighting> sightings;
  std::vector<exposure_diagnosis_key> keys;
  ExportSources exports;
  int64_t now_unix_seconds = 0;
  uint32_t threads = 1;

  exposure_match_request request() {
    exposure_match_request request;
    exposure_match_request_init(&request);
    request.sightings = sightings.data();
    request.sighting_count = sightings.size();
    request.keys = keys.data();
    request.key_count = keys.size();
    exports.fill(&request);
    request.now_unix_seconds = now_unix_seconds;
    request.threads = threads;
    return request;
  }
};

// exposure_lint_config: a risk configuration against key metadata given directly and read
// from export archives. A missing config or platform stays null (the C ABI names the error
// or uses its default).
struct LintInputs {
  std::optional<std::string> config_json;
  std::vector<exposure_key_metadata> key_metadata;
  ExportSources exports;
  std::optional<std::string> platform;
  int32_t contact_minutes = 15;
  double contact_meters = 1.0;
  double attenuation_at_1m_db = 55.0;
  double path_loss_exponent = 2.0;

  exposure_lint_request request() {
    exposure_lint_request request;
    exposure_lint_request_init(&request);
    request.config_json = config_json ? config_json->data() : nullptr;
    request.config_length = config_json ? config_json->size() : 0;
    request.key_metadata = key_metadata.data();
    request.key_metadata_count = key_metadata.size();
    exports.fill(&request);
    request.platform = platform ? platform->c_str() : nullptr;
    request.contact_minutes = contact_minutes;
    request.contact_meters = contact_meters;
    request.attenuation_at_1m_db = attenuation_at_1m_db;
    request.path_loss_exponent = path_loss_exponent;
    return request;
  }
};

}  // namespace exposure::bindings
