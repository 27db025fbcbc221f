// exposure.verify_export / read_export, exposure.match (-> MatchResult: json, score) and
// exposure.lint_config. Each releases the GIL while the library works.
#include "support.h"

namespace exposure::python {
namespace {

// A path (str / os.PathLike) or the bytes of an archive.
bool is_data(const py::object& source) { return py::isinstance<py::bytes>(source); }

void verify_export(const py::object& source, const py::dict& public_keys) {
  bindings::ExportSources sources;
  export_sources_from(py::list(), public_keys, false, &sources);
  const std::vector<exposure_public_key>& keys = sources.c_public_keys();
  if (is_data(source)) {
    std::string data = source.cast<py::bytes>();
    py::gil_scoped_release unlocked;
    check(exposure_verify_export_bytes(reinterpret_cast<const uint8_t*>(data.data()), data.size(), keys.data(),
                                       keys.size()));
    return;
  }
  std::string path = fspath(source);
  py::gil_scoped_release unlocked;
  check(exposure_verify_export_file(path.c_str(), keys.data(), keys.size()));
}

py::list read_export(const py::object& source) {
  exposure_diagnosis_key* keys = nullptr;
  size_t count = 0;
  if (is_data(source)) {
    std::string data = source.cast<py::bytes>();
    py::gil_scoped_release unlocked;
    check(exposure_read_export_bytes(reinterpret_cast<const uint8_t*>(data.data()), data.size(), &keys, &count));
  } else {
    std::string path = fspath(source);
    py::gil_scoped_release unlocked;
    check(exposure_read_export_file(path.c_str(), &keys, &count));
  }
  py::list out;
  try {
    for (size_t i = 0; i < count; ++i) out.append(diagnosis_key_dict(keys[i]));
  } catch (...) {
    exposure_free_diagnosis_keys(keys);
    throw;
  }
  exposure_free_diagnosis_keys(keys);
  return out;
}

class MatchResult {
 public:
  explicit MatchResult(exposure_match_result* result) : result_(result) {}
  ~MatchResult() { exposure_match_result_free(result_); }
  MatchResult(const MatchResult&) = delete;
  MatchResult& operator=(const MatchResult&) = delete;

  uint64_t matched_key_count() const {
    uint64_t count = 0;
    check(exposure_match_result_matched_key_count(result_, &count));
    return count;
  }
  py::object json() const {
    char* text = nullptr;
    {
      py::gil_scoped_release unlocked;
      check(exposure_match_result_json(result_, &text));
    }
    return take_json(text);
  }
  py::object score(const py::object& config, const std::optional<std::string>& platform) const {
    std::string text = config_text(config);
    char* json = nullptr;
    {
      py::gil_scoped_release unlocked;
      check(exposure_match_result_score(result_, text.data(), text.size(), platform ? platform->c_str() : nullptr,
                                        &json));
    }
    return take_json(json);
  }

 private:
  exposure_match_result* result_;
};

// Exactly one of a list of sighting dicts, CSV text or a CSV file.
std::vector<exposure_sighting> request_sightings(const std::optional<py::iterable>& sightings,
                                                 const std::optional<std::string>& csv, const py::object& csv_path) {
  const int given = (sightings ? 1 : 0) + (csv ? 1 : 0) + (csv_path.is_none() ? 0 : 1);
  if (given != 1) throw py::value_error("give exactly one of sightings, sightings_csv and sightings_csv_path");
  if (sightings) return sightings_from(*sightings);
  exposure_sighting* parsed = nullptr;
  size_t count = 0;
  if (csv) {
    py::gil_scoped_release unlocked;
    check(exposure_sightings_from_csv(csv->data(), csv->size(), &parsed, &count));
  } else {
    std::string path = fspath(csv_path);
    py::gil_scoped_release unlocked;
    check(exposure_sightings_from_csv_file(path.c_str(), &parsed, &count));
  }
  std::vector<exposure_sighting> out(parsed, parsed + count);
  exposure_free_sightings(parsed);
  return out;
}

std::unique_ptr<MatchResult> match(const std::optional<py::iterable>& sightings, const std::optional<std::string>& csv,
                                   const py::object& csv_path, const py::iterable& export_paths,
                                   const std::optional<py::dict>& public_keys, const py::iterable& keys,
                                   bool skip_verification, int64_t now, uint32_t threads) {
  bindings::MatchInputs inputs;
  inputs.sightings = request_sightings(sightings, csv, csv_path);
  for (const py::handle& key : keys) inputs.keys.push_back(diagnosis_key_from(key));
  export_sources_from(export_paths, public_keys, skip_verification, &inputs.exports);
  inputs.now_unix_seconds = now;
  inputs.threads = threads;
  exposure_match_request request = inputs.request();
  exposure_match_result* result = nullptr;
  {
    py::gil_scoped_release unlocked;
    check(exposure_match(&request, &result));
  }
  return std::make_unique<MatchResult>(result);
}

void check_risk_config(const py::object& config) {
  std::string text = config_text(config);
  check(exposure_check_risk_config(text.data(), text.size()));
}

// {"transmission_risk_level", "report_type", "days_since_onset" (optional / None)}
exposure_key_metadata key_metadata_from(const py::handle& item) {
  py::dict d = item.cast<py::dict>();
  exposure_key_metadata m{};
  m.transmission_risk_level = d["transmission_risk_level"].cast<int32_t>();
  m.report_type = d.contains("report_type") ? d["report_type"].cast<int32_t>() : 0;
  if (d.contains("days_since_onset") && !d["days_since_onset"].is_none()) {
    m.has_days_since_onset = 1;
    m.days_since_onset = d["days_since_onset"].cast<int32_t>();
  }
  return m;
}

py::object lint_config(const py::object& config, const py::iterable& key_metadata, const py::iterable& export_paths,
                       const std::optional<py::dict>& public_keys, bool skip_verification,
                       const std::optional<std::string>& platform, int32_t contact_minutes, double contact_meters,
                       double attenuation_at_1m_db, double path_loss_exponent) {
  bindings::LintInputs inputs;
  inputs.config_json = config_text(config);
  for (const py::handle& item : key_metadata) inputs.key_metadata.push_back(key_metadata_from(item));
  export_sources_from(export_paths, public_keys, skip_verification, &inputs.exports);
  inputs.platform = platform;
  inputs.contact_minutes = contact_minutes;
  inputs.contact_meters = contact_meters;
  inputs.attenuation_at_1m_db = attenuation_at_1m_db;
  inputs.path_loss_exponent = path_loss_exponent;
  exposure_lint_request request = inputs.request();
  char* json = nullptr;
  {
    py::gil_scoped_release unlocked;
    check(exposure_lint_config(&request, &json));
  }
  return take_json(json);
}

}  // namespace

void register_matching(py::module_& m) {
  m.def("verify_export", &verify_export, py::arg("archive"), py::arg("public_keys"),
        "Verifies a signed export archive (a path, or its bytes) against {'ID-VERSION': PEM}; raises "
        "ExposureError 'verification failed' naming the key.");
  m.def("read_export", &read_export, py::arg("source"),
        "The keys (dicts) of an export archive or bare export.bin (a path, or its bytes), unverified.");

  py::class_<MatchResult>(m, "MatchResult", "The keys that matched; json() and score() report them.")
      .def_property_readonly("matched_key_count", &MatchResult::matched_key_count)
      .def("json", &MatchResult::json, "The object `exposure match` prints without --config (a dict).")
      .def("score", &MatchResult::score, py::arg("config"), py::arg("platform") = "all",
           "Scores with a risk configuration (JSON text or dict): the object `exposure match --config` prints.");

  m.def("match", &match, py::kw_only(), py::arg("sightings") = py::none(), py::arg("sightings_csv") = py::none(),
        py::arg("sightings_csv_path") = py::none(), py::arg("export_paths") = py::list(),
        py::arg("public_keys") = py::none(), py::arg("keys") = py::list(), py::arg("skip_verification") = false,
        py::arg("now") = 0, py::arg("threads") = 1,
        "Matches sightings (dicts, CSV text or a CSV file) against keys (dicts) and export archives, verified "
        "with public_keys {'ID-VERSION': PEM} unless skip_verification. Returns a MatchResult.");
  m.def("check_risk_config", &check_risk_config, py::arg("config"),
        "Raises ExposureError naming the field when a risk configuration (JSON text or dict) is not valid.");
  m.def("lint_config", &lint_config, py::arg("config"), py::kw_only(), py::arg("key_metadata") = py::list(),
        py::arg("export_paths") = py::list(), py::arg("public_keys") = py::none(),
        py::arg("skip_verification") = false, py::arg("platform") = "all", py::arg("contact_minutes") = 15,
        py::arg("contact_meters") = 1.0, py::arg("attenuation_at_1m_db") = 55.0, py::arg("path_loss_exponent") = 2.0,
        "The report `exposure lint-config` prints (a dict): can a reference contact reach the threshold?");
}

}  // namespace exposure::python
