// C ABI: matching, risk scoring and the config linter (exposure.h). Results are the JSON
// objects of report_json.h.
#include <string>
#include <string_view>

#include "capi/capi_convert.h"
#include "capi/capi_support.h"
#include "exposure/report_json.h"
#include "exposure.h"
#include "exposure/config_lint.h"
#include "exposure/export_key_source.h"
#include "exposure/matching.h"
#include "exposure/risk_config.h"

using namespace exposure;
using namespace exposure::capi;
using namespace exposure::report;

struct exposure_match_result {
  MatchResult result;
  ExportKeySourceStats files;
  uint64_t sightings = 0;
  int64_t now = 0;
};

namespace {

constexpr uint32_t kMaxThreads = 256;

// Keys held in memory, then the keys of export files.
class ChainedKeySource final : public DiagnosisKeySource {
 public:
  ChainedKeySource(DiagnosisKeySource& first, DiagnosisKeySource& second) : first_(first), second_(second) {}
  Result<std::optional<DiagnosisKey>> next() override {
    if (!first_done_) {
      auto key = first_.next();
      if (!key.ok() || key->has_value()) return key;
      first_done_ = true;
    }
    return second_.next();
  }

 private:
  DiagnosisKeySource& first_;
  DiagnosisKeySource& second_;
  bool first_done_ = false;
};

// The export files of a request, with the verification the request asks for.
Result<std::unique_ptr<ExportFilesKeySource>> export_source(const char* const* paths, size_t path_count,
                                                            const exposure_public_key* keys, size_t key_count,
                                                            bool skip_verification) {
  EXPOSURE_RETURN_IF_ERROR(require_array(paths, path_count, "export_paths"));
  std::vector<std::string> path_list;
  for (size_t i = 0; i < path_count; ++i) {
    EXPOSURE_RETURN_IF_ERROR(require(paths[i], ("export_paths[" + std::to_string(i) + "]").c_str()));
    path_list.emplace_back(paths[i]);
  }
  auto sets = cosign_sets_from_c(keys, key_count);
  if (!sets.ok()) return sets.status();
  if (!path_list.empty() && sets->empty() && !skip_verification) {
    return invalid_argument("export files given without public_keys to verify them (or skip_verification)");
  }
  return std::make_unique<ExportFilesKeySource>(std::move(path_list), std::move(*sets), skip_verification);
}

Result<RiskConfig> config_from_c(const char* json, size_t length) {
  EXPOSURE_RETURN_IF_ERROR(require(json, "config_json"));
  return parse_risk_config(std::string_view(json, length));
}

Status hand_out_json(const nlohmann::json& value, char** out_json) {
  *out_json = copy_string(value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  return Status::Ok();
}

Status require_result(const exposure_match_result* result, const void* out) {
  EXPOSURE_RETURN_IF_ERROR(require(result, "result"));
  return require(out, "out");
}

Result<KeyMetadata> key_metadata_from_c(const exposure_key_metadata& m, size_t index) {
  const std::string what = "key_metadata[" + std::to_string(index) + "]";
  if (m.transmission_risk_level < 0 || m.transmission_risk_level > kMaxTransmissionRiskLevel)
    return invalid_argument(what + ": transmission_risk_level " + std::to_string(m.transmission_risk_level) +
                            " out of range 0..8");
  if (m.report_type < 0 || m.report_type > static_cast<int32_t>(ReportType::kRevoked))
    return invalid_argument(what + ": report_type " + std::to_string(m.report_type) + " out of range 0..5");
  if (m.has_days_since_onset != 0 && (m.days_since_onset < -kMaxDaysSinceOnset || m.days_since_onset > kMaxDaysSinceOnset))
    return invalid_argument(what + ": days_since_onset " + std::to_string(m.days_since_onset) + " out of range -14..14");
  KeyMetadata out;
  out.transmission_risk_level = m.transmission_risk_level;
  out.report_type = static_cast<ReportType>(m.report_type);
  if (m.has_days_since_onset != 0) out.days_since_onset = m.days_since_onset;
  return out;
}

}  // namespace

extern "C" {

void exposure_match_request_init(exposure_match_request* request) {
  if (request == nullptr) return;
  *request = exposure_match_request{};
  request->threads = 1;
}

exposure_status exposure_match(const exposure_match_request* request, exposure_match_result** out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(request, "request"));
    EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
    const exposure_match_request& r = *request;
    if (r.threads < 1 || r.threads > kMaxThreads)
      return invalid_argument("threads " + std::to_string(r.threads) + " out of range 1..256");
    EXPOSURE_RETURN_IF_ERROR(require_array(r.sightings, r.sighting_count, "sightings"));
    auto memory_keys = diagnosis_keys_from_c(r.keys, r.key_count, "keys");
    if (!memory_keys.ok()) return memory_keys.status();
    auto files = export_source(r.export_paths, r.export_path_count, r.public_keys, r.public_key_count,
                               r.skip_verification != 0);
    if (!files.ok()) return files.status();

    std::vector<Sighting> sightings = sightings_from_c(r.sightings, r.sighting_count);
    Matcher matcher(sightings);
    SpanKeySource in_memory(*memory_keys);
    ChainedKeySource keys(in_memory, **files);
    MatchOptions options;
    options.threads = r.threads;
    auto matched = matcher.match(keys, options);
    if (!matched.ok()) return matched.status();

    auto result = std::make_unique<exposure_match_result>();
    result->result = std::move(*matched);
    result->files = (*files)->stats();
    result->sightings = sightings.size();
    result->now = resolve_now(r.now_unix_seconds);
    *out = result.release();
    return Status::Ok();
  });
}

void exposure_match_result_free(exposure_match_result* result) { delete result; }

exposure_status exposure_match_result_matched_key_count(const exposure_match_result* result, uint64_t* out) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_result(result, out));
    *out = result->result.matches.size();
    return Status::Ok();
  });
}

exposure_status exposure_match_result_json(const exposure_match_result* result, char** out_json) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_result(result, out_json));
    std::vector<ExposureWindow> windows;
    MatchFacts facts{result->result, result->files, result->sightings, result->now};
    return hand_out_json(match_json(facts, DiagnosisKeysDataMapping{}, &windows), out_json);
  });
}

exposure_status exposure_match_result_score(const exposure_match_result* result, const char* config_json,
                                            size_t config_length, const char* platform, char** out_json) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_result(result, out_json));
    auto config = config_from_c(config_json, config_length);
    if (!config.ok()) return config.status();
    auto profiles = platforms_from_c(platform);
    if (!profiles.ok()) return profiles.status();
    std::vector<ExposureWindow> windows;
    MatchFacts facts{result->result, result->files, result->sightings, result->now};
    nlohmann::json report = match_json(facts, config->mapping, &windows);
    report["platforms"] = platforms_json(result->result, windows, *config, *profiles, result->now);
    return hand_out_json(report, out_json);
  });
}

exposure_status exposure_check_risk_config(const char* config_json, size_t config_length) {
  return guarded([&] { return config_from_c(config_json, config_length).status(); });
}

void exposure_lint_request_init(exposure_lint_request* request) {
  if (request == nullptr) return;
  *request = exposure_lint_request{};
  ReferenceContact contact;
  PathLossModel model;
  request->contact_minutes = contact.minutes;
  request->contact_meters = contact.meters;
  request->attenuation_at_1m_db = model.attenuation_at_1m_db;
  request->path_loss_exponent = model.exponent;
}

exposure_status exposure_lint_config(const exposure_lint_request* request, char** out_json) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(request, "request"));
    EXPOSURE_RETURN_IF_ERROR(require(out_json, "out_json"));
    const exposure_lint_request& r = *request;
    auto config = config_from_c(r.config_json, r.config_length);
    if (!config.ok()) return config.status();
    auto profiles = platforms_from_c(r.platform);
    if (!profiles.ok()) return profiles.status();
    if (r.contact_minutes < 1 || r.contact_minutes > 1440)
      return invalid_argument("contact_minutes " + std::to_string(r.contact_minutes) + " out of range 1..1440");
    if (!(r.contact_meters > 0)) return invalid_argument("contact_meters must be above 0");
    if (!(r.path_loss_exponent > 0)) return invalid_argument("path_loss_exponent must be above 0");

    EXPOSURE_RETURN_IF_ERROR(require_array(r.key_metadata, r.key_metadata_count, "key_metadata"));
    KeyMetadataSet metadata;
    for (size_t i = 0; i < r.key_metadata_count; ++i) {
      auto m = key_metadata_from_c(r.key_metadata[i], i);
      if (!m.ok()) return m.status();
      metadata.add(*m);
    }
    auto files = export_source(r.export_paths, r.export_path_count, r.public_keys, r.public_key_count,
                               r.skip_verification != 0);
    if (!files.ok()) return files.status();
    for (;;) {
      auto key = (*files)->next();
      if (!key.ok()) return key.status();
      if (!key->has_value()) break;
      metadata.add(**key);
    }

    std::vector<PlatformProfile> selected;
    for (const PlatformProfile* p : *profiles) selected.push_back(*p);
    ReferenceContact contact{r.contact_minutes, r.contact_meters};
    PathLossModel model{r.attenuation_at_1m_db, r.path_loss_exponent};
    auto report = lint_config(*config, metadata, selected, contact, model);
    if (!report.ok()) return report.status();
    return hand_out_json(lint_json(*report, metadata, contact, model), out_json);
  });
}

}  // extern "C"
