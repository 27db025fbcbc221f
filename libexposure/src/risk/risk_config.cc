// JSON -> RiskConfig with the platform builders' range checks (docs/risk.md).
#include "exposure/risk_config.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace exposure {

const char* report_type_name(ReportType type) {
  switch (type) {
    case ReportType::kUnknown: return "UNKNOWN";
    case ReportType::kConfirmedTest: return "CONFIRMED_TEST";
    case ReportType::kConfirmedClinicalDiagnosis: return "CONFIRMED_CLINICAL_DIAGNOSIS";
    case ReportType::kSelfReport: return "SELF_REPORT";
    case ReportType::kRecursive: return "RECURSIVE";
    case ReportType::kRevoked: return "REVOKED";
  }
  return "UNKNOWN";
}

const char* infectiousness_name(Infectiousness value) {
  switch (value) {
    case Infectiousness::kNone: return "NONE";
    case Infectiousness::kStandard: return "STANDARD";
    case Infectiousness::kHigh: return "HIGH";
  }
  return "NONE";
}

const char* calibration_confidence_name(CalibrationConfidence value) {
  switch (value) {
    case CalibrationConfidence::kLowest: return "LOWEST";
    case CalibrationConfidence::kLow: return "LOW";
    case CalibrationConfidence::kMedium: return "MEDIUM";
    case CalibrationConfidence::kHigh: return "HIGH";
  }
  return "LOWEST";
}

namespace {

using nlohmann::json;

std::string shown(const json& v) {
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

Status range_error(const std::string& field, const json& v, const std::string& range) {
  return invalid_argument(field + ": " + shown(v) + " out of range " + range);
}

Result<int> integer_in(const std::string& field, const json& v, int lo, int hi) {
  if (!v.is_number() || std::floor(v.get<double>()) != v.get<double>())
    return invalid_argument(field + ": expected an integer, got " + shown(v));
  double d = v.get<double>();
  if (d < lo || d > hi) return range_error(field, v, std::to_string(lo) + ".." + std::to_string(hi));
  return static_cast<int>(d);
}

Result<double> number_in(const std::string& field, const json& v, double lo, double hi) {
  if (!v.is_number()) return invalid_argument(field + ": expected a number, got " + shown(v));
  double d = v.get<double>();
  if (!(d >= lo && d <= hi)) {
    std::ostringstream range;
    range << lo << ".." << hi;
    return range_error(field, v, range.str());
  }
  return d;
}

template <size_t N, typename T, typename Parse>
Status fixed_array(const std::string& field, const json& v, std::array<T, N>* out, Parse parse) {
  if (!v.is_array() || v.size() != N)
    return invalid_argument(field + ": expected an array of " + std::to_string(N) + " values, got " + shown(v));
  for (size_t i = 0; i < N; ++i) {
    auto item = parse(field + "[" + std::to_string(i) + "]", v[i]);
    if (!item.ok()) return item.status();
    (*out)[i] = static_cast<T>(*item);
  }
  return Status::Ok();
}

template <size_t N>
Status score_array(const std::string& field, const json& v, std::array<int, N>* out, int lo, int hi) {
  return fixed_array(field, v, out, [&](const std::string& f, const json& x) { return integer_in(f, x, lo, hi); });
}

// An enum given by its API name or its number.
Result<int> enum_value(const std::string& field, const json& v, const std::vector<std::string>& names) {
  if (v.is_string()) {
    for (size_t i = 0; i < names.size(); ++i)
      if (v.get<std::string>() == names[i]) return static_cast<int>(i);
    std::string all;
    for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
    return invalid_argument(field + ": unknown value " + shown(v) + " (expected one of " + all + ")");
  }
  return integer_in(field, v, 0, static_cast<int>(names.size()) - 1);
}

const std::vector<std::string> kReportTypes{"UNKNOWN", "CONFIRMED_TEST", "CONFIRMED_CLINICAL_DIAGNOSIS",
                                            "SELF_REPORT", "RECURSIVE", "REVOKED"};
const std::vector<std::string> kInfectiousness{"NONE", "STANDARD", "HIGH"};

// Weights given as an array indexed by the enum, or as an object keyed by name or number.
template <size_t N>
Status weights(const std::string& field, const json& v, std::array<double, N>* out,
               const std::vector<std::string>& names) {
  auto weight = [](const std::string& f, const json& x) { return number_in(f, x, 0, 2.5); };
  if (v.is_array()) return fixed_array(field, v, out, weight);
  if (!v.is_object()) return invalid_argument(field + ": expected an array or an object, got " + shown(v));
  out->fill(0);
  for (const auto& [name, value] : v.items()) {
    json key = name;
    char* end = nullptr;
    long number = std::strtol(name.c_str(), &end, 10);
    if (!name.empty() && *end == '\0') key = number;
    auto index = enum_value(field, key, names);
    if (!index.ok()) return index.status();
    auto w = weight(field + "." + name, value);
    if (!w.ok()) return w.status();
    (*out)[*index] = *w;
  }
  return Status::Ok();
}

class ConfigParser {
 public:
  Status field(const std::string& name, const json& v) {
    static const std::map<std::string, std::string> kAppleNames{
        {"attenuationLevelValues", "attenuationScores"},
        {"daysSinceLastExposureLevelValues", "daysSinceLastExposureScores"},
        {"durationLevelValues", "durationScores"},
        {"transmissionRiskLevelValues", "transmissionRiskScores"},
        {"attenuationDurationThresholds", "durationAtAttenuationThresholds"}};
    if (auto alias = kAppleNames.find(name); alias != kAppleNames.end()) return field(alias->second, v);
    if (name == "comment" || name == "description") return Status::Ok();
    if (name == "exposureConfiguration" || name == "dailySummariesConfig" || name == "diagnosisKeysDataMapping") {
      if (!v.is_object()) return invalid_argument(name + ": expected an object");
      for (const auto& [inner, value] : v.items()) EXPOSURE_RETURN_IF_ERROR(field(inner, value));
      return Status::Ok();
    }
    if (auto v1 = v1_field(name, v)) {
      has_v1_ = true;
      return *v1;
    }
    if (auto daily = daily_field(name, v)) {
      has_daily_ = true;
      return *daily;
    }
    if (auto mapping = mapping_field(name, v)) return *mapping;
    if (name == "minimumDailyScore") {
      auto d = number_in(name, v, 0, 1e12);
      if (!d.ok()) return d.status();
      if (*d <= 0) return range_error(name, v, "above 0");
      config_.minimum_daily_score = *d;
      return Status::Ok();
    }
    return invalid_argument("unknown field '" + name + "'");
  }

  Result<RiskConfig> finish() {
    if (has_v1_) {
      if (v1_.duration_at_attenuation_thresholds[0] > v1_.duration_at_attenuation_thresholds[1])
        return invalid_argument("durationAtAttenuationThresholds: first must not exceed second");
      config_.v1 = v1_;
    }
    if (has_daily_) {
      if (!thresholds_given_) return invalid_argument("attenuationBucketThresholdDb: required in a v2 configuration");
      if (!bucket_weights_given_) return invalid_argument("attenuationBucketWeights: required in a v2 configuration");
      const auto& th = daily_.attenuation_bucket_threshold_db;
      if (!(th[0] < th[1] && th[1] < th[2]))
        return invalid_argument("attenuationBucketThresholdDb: must be strictly increasing");
      config_.daily = daily_;
    }
    if (config_.mapping.report_type_when_missing == ReportType::kUnknown)
      return invalid_argument("reportTypeWhenMissing: must not be UNKNOWN");
    return config_;
  }

 private:
  std::optional<Status> v1_field(const std::string& name, const json& v) {
    if (name == "minimumRiskScore") {
      auto i = integer_in(name, v, 1, 4096);
      if (i.ok()) v1_.minimum_risk_score = *i;
      return i.status();
    }
    if (name == "attenuationScores") return score_array(name, v, &v1_.attenuation_scores, 0, 8);
    if (name == "daysSinceLastExposureScores") return score_array(name, v, &v1_.days_since_last_exposure_scores, 0, 8);
    if (name == "durationScores") return score_array(name, v, &v1_.duration_scores, 0, 8);
    if (name == "transmissionRiskScores") return score_array(name, v, &v1_.transmission_risk_scores, 0, 8);
    if (name == "durationAtAttenuationThresholds")
      return score_array(name, v, &v1_.duration_at_attenuation_thresholds, 0, 255);
    if (name == "attenuationWeight" || name == "daysSinceLastExposureWeight" || name == "durationWeight" ||
        name == "transmissionRiskWeight") {
      return integer_in(name, v, 0, 100).status();  // accepted, unused by the platforms
    }
    return std::nullopt;
  }

  std::optional<Status> daily_field(const std::string& name, const json& v) {
    if (name == "attenuationBucketThresholdDb") {
      thresholds_given_ = true;
      return score_array(name, v, &daily_.attenuation_bucket_threshold_db, 0, 255);
    }
    if (name == "attenuationBucketWeights") {
      bucket_weights_given_ = true;
      return fixed_array(name, v, &daily_.attenuation_bucket_weights,
                         [](const std::string& f, const json& x) { return number_in(f, x, 0, 2.5); });
    }
    if (name == "reportTypeWeights") return weights(name, v, &daily_.report_type_weights, kReportTypes);
    if (name == "infectiousnessWeights") return weights(name, v, &daily_.infectiousness_weights, kInfectiousness);
    if (name == "daysSinceExposureThreshold") {
      auto i = integer_in(name, v, 0, 1000000);
      if (i.ok()) daily_.days_since_exposure_threshold = *i;
      return i.status();
    }
    if (name == "minimumWindowScore") {
      auto d = number_in(name, v, 0, 1e12);
      if (d.ok()) daily_.minimum_window_score = *d;
      return d.status();
    }
    return std::nullopt;
  }

  std::optional<Status> mapping_field(const std::string& name, const json& v) {
    DiagnosisKeysDataMapping& m = config_.mapping;
    if (name == "reportTypeWhenMissing") {
      auto t = enum_value(name, v, kReportTypes);
      if (t.ok()) m.report_type_when_missing = static_cast<ReportType>(*t);
      return t.status();
    }
    if (name == "infectiousnessWhenDaysSinceOnsetMissing") {
      auto i = enum_value(name, v, kInfectiousness);
      if (i.ok()) m.infectiousness_when_days_since_onset_missing = static_cast<Infectiousness>(*i);
      return i.status();
    }
    if (name == "daysSinceOnsetToInfectiousness") {
      if (!v.is_object()) return invalid_argument(name + ": expected an object of day -> infectiousness");
      m.days_since_onset_to_infectiousness.fill(Infectiousness::kNone);  // days not given: NONE
      for (const auto& [day_text, value] : v.items()) {
        char* end = nullptr;
        long day = std::strtol(day_text.c_str(), &end, 10);
        if (day_text.empty() || *end != '\0' || day < -14 || day > 14)
          return invalid_argument(name + ": day '" + day_text + "' is not an integer in -14..14");
        auto i = enum_value(name + "." + day_text, value, kInfectiousness);
        if (!i.ok()) return i.status();
        m.days_since_onset_to_infectiousness[static_cast<size_t>(day + 14)] = static_cast<Infectiousness>(*i);
      }
      return Status::Ok();
    }
    return std::nullopt;
  }

  RiskConfig config_;
  ExposureConfiguration v1_;
  DailySummariesConfig daily_;
  bool has_v1_ = false, has_daily_ = false, thresholds_given_ = false, bucket_weights_given_ = false;
};

}  // namespace

Result<RiskConfig> parse_risk_config(std::string_view text) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    return malformed("not valid JSON at byte " + std::to_string(e.byte));
  } catch (const json::exception&) {  // out_of_range 406: a number beyond a double's range
    return malformed("not valid JSON: a number is out of range");
  }
  if (!document.is_object()) return malformed("expected a JSON object");
  ConfigParser parser;
  for (const auto& [name, value] : document.items()) EXPOSURE_RETURN_IF_ERROR(parser.field(name, value));
  return parser.finish();
}

Result<RiskConfig> load_risk_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  auto config = parse_risk_config(text.str());
  if (!config.ok()) return Status(config.status().code(), path + ": " + config.status().message());
  return config;
}

}  // namespace exposure
