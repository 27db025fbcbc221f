// exposure export inspect|verify|sign: diagnosis-key export files from the command line.
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "exposure/keyfile.h"
#include "exposure/report_json.h"
#include "exposure/secure.h"

namespace exposure::cli {
namespace {

using nlohmann::json;

// ---- inspect ---------------------------------------------------------------------------

json optional_json(const std::optional<int32_t>& v) { return v ? json(*v) : json(nullptr); }

json signature_info_json(const keyfile::SignatureInfo& info) {
  return {
      {"key_id", info.key_id}, {"key_version", info.key_version}, {"algorithm", info.algorithm}};
}

int run_inspect(const std::string& file, bool with_keys) {
  auto reader = keyfile::ExportReader::open_path(file);
  if (!reader.ok()) {
    print_error(file + ": " + reader.status().message());
    return kExitFailure;
  }
  json keys = json::array(), revised = json::array();
  size_t key_count = 0, revised_count = 0;
  for (;;) {
    auto record = (*reader)->next();
    if (!record.ok()) {
      print_error(file + ": " + record.status().message());
      return kExitFailure;
    }
    if (!record->has_value()) break;
    bool is_key = (*record)->list == keyfile::KeyList::kKeys;
    ++(is_key ? key_count : revised_count);
    if (with_keys) (is_key ? keys : revised).push_back(report::key_json((*record)->key));
  }
  const keyfile::ExportMetadata& m = (*reader)->metadata();
  json out = {{"format", (*reader)->is_archive() ? "zip" : "export.bin"},
              {"region", m.region},
              {"start_timestamp", m.start_timestamp},
              {"end_timestamp", m.end_timestamp},
              {"batch_num", optional_json(m.batch_num)},
              {"batch_size", optional_json(m.batch_size)},
              {"key_count", key_count},
              {"revised_key_count", revised_count},
              {"signature_infos", json::array()},
              {"export_bin_sha256", to_hex((*reader)->digests().sha256)}};
  for (const auto& info : m.signature_infos)
    out["signature_infos"].push_back(signature_info_json(info));
  if ((*reader)->is_archive()) {
    out["signatures"] = json::array();
    for (const auto& s : (*reader)->signatures()) {
      json j = signature_info_json(s.info);
      j["batch_num"] = optional_json(s.batch_num);
      j["batch_size"] = optional_json(s.batch_size);
      j["signature"] = to_hex(s.signature);
      out["signatures"].push_back(j);
    }
  }
  if (with_keys) {
    out["keys"] = std::move(keys);
    out["revised_keys"] = std::move(revised);
  }
  std::cout << out.dump(2) << "\n";
  return kExitOk;
}

// ---- verify ----------------------------------------------------------------------------

int run_verify(const std::string& file, const std::vector<std::string>& public_keys) {
  std::vector<keyfile::CosignSet> sets;
  for (const auto& spec : public_keys) {
    sets.emplace_back();
    sets.back().push_back(parse_public_key_spec(spec));
  }
  Status status = keyfile::verify_export_path(file, sets);
  if (!status.ok()) {
    print_error(file + ": " + status.message());
    return kExitFailure;
  }
  std::cout << "valid\n";
  return kExitOk;
}

// ---- sign ------------------------------------------------------------------------------

// Report types as the publish API and the key server name them, or their numbers.
Result<ReportType> report_type_from_json(const json& j) {
  if (j.is_number_integer()) {
    int64_t v = j.get<int64_t>();
    if (v < 0 || v > 5) return invalid_argument("out of range 0..5");
    return static_cast<ReportType>(v);
  }
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s == "confirmed") return ReportType::kConfirmedTest;
    if (s == "likely") return ReportType::kConfirmedClinicalDiagnosis;
    if (s == "user-report") return ReportType::kSelfReport;
    if (s == "negative") return ReportType::kRevoked;
  }
  return invalid_argument("expected confirmed, likely, user-report, negative or 0..5");
}

Result<int64_t> integer_field(const json& key, const char* name, int64_t lo, int64_t hi) {
  const json& v = key.at(name);
  if (!v.is_number_integer()) return invalid_argument(std::string(name) + ": not an integer");
  int64_t x = v.get<int64_t>();
  if (x < lo || x > hi) {
    return invalid_argument(std::string(name) + ": " + std::to_string(x) + " out of range " +
                            std::to_string(lo) + ".." + std::to_string(hi));
  }
  return x;
}

Result<DiagnosisKey> key_from_json(const json& j) {
  if (!j.is_object()) return invalid_argument("not an object");
  static const char* const kFields[] = {"key",           "rollingStartNumber",
                                        "rollingPeriod", "transmissionRisk",
                                        "reportType",    "daysSinceOnsetOfSymptoms"};
  for (const auto& [name, value] : j.items()) {
    if (std::find(std::begin(kFields), std::end(kFields), name) == std::end(kFields)) {
      return invalid_argument("unknown field '" + name + "'");
    }
  }
  for (const char* required : {"key", "rollingStartNumber", "rollingPeriod"}) {
    if (!j.contains(required)) return invalid_argument(std::string(required) + ": missing");
  }
  DiagnosisKey key;
  if (!j["key"].is_string()) return invalid_argument("key: not a string");
  auto bytes = from_base64(j["key"].get<std::string>());
  if (!bytes.ok() || bytes->size() != 16) return invalid_argument("key: not base64 of 16 bytes");
  std::copy(bytes->begin(), bytes->end(), key.key_data.begin());
  auto start = integer_field(j, "rollingStartNumber", 0, INT32_MAX);
  if (!start.ok()) return start.status();
  key.rolling_start_interval_number = static_cast<EnIntervalNumber>(*start);
  auto period = integer_field(j, "rollingPeriod", 1, 144);
  if (!period.ok()) return period.status();
  key.rolling_period = static_cast<uint32_t>(*period);
  if (j.contains("transmissionRisk")) {
    auto risk = integer_field(j, "transmissionRisk", 0, kMaxTransmissionRiskLevel);
    if (!risk.ok()) return risk.status();
    key.transmission_risk_level = static_cast<int32_t>(*risk);
  }
  if (j.contains("reportType")) {
    auto type = report_type_from_json(j["reportType"]);
    if (!type.ok()) return invalid_argument("reportType: " + type.status().message());
    key.report_type = *type;
  }
  if (j.contains("daysSinceOnsetOfSymptoms")) {
    auto days =
        integer_field(j, "daysSinceOnsetOfSymptoms", -kMaxDaysSinceOnset, kMaxDaysSinceOnset);
    if (!days.ok()) return days.status();
    key.days_since_onset_of_symptoms = static_cast<int32_t>(*days);
  }
  return key;
}

// KEYS.json in the publish-API form: {"temporaryExposureKeys": [...]}; other top-level
// fields of a publish request are ignored.
Result<std::vector<DiagnosisKey>> keys_from_publish_json(const std::string& text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return invalid_argument(std::string("invalid JSON: ") + e.what());
  } catch (const json::exception&) {  // out_of_range 406: a number beyond a double's range
    return invalid_argument("invalid JSON: a number is out of range");
  }
  if (!doc.is_object() || !doc.contains("temporaryExposureKeys") ||
      !doc["temporaryExposureKeys"].is_array()) {
    return invalid_argument("expected an object with a temporaryExposureKeys array");
  }
  std::vector<DiagnosisKey> keys;
  const json& list = doc["temporaryExposureKeys"];
  for (size_t i = 0; i < list.size(); ++i) {
    auto key = key_from_json(list[i]);
    if (!key.ok()) {
      return invalid_argument("temporaryExposureKeys[" + std::to_string(i) +
                              "]: " + key.status().message());
    }
    keys.push_back(*key);
  }
  return keys;
}

struct SignOptions {
  std::string keys_path, private_key_path, key_id, key_version, region, out;
  std::optional<uint64_t> start, end;
  size_t max_records = keyfile::kDefaultMaxRecordsPerFile;
};

// OUT.zip for one file; OUT-00001.zip, OUT-00002.zip, ... when split.
std::string output_path(const std::string& out, size_t index, size_t files) {
  if (files == 1) return out;
  std::string stem = out;
  if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".zip") == 0)
    stem.resize(stem.size() - 4);
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "-%05zu.zip", index + 1);
  return stem + suffix;
}

int run_sign(const SignOptions& o) {
  if (!keyfile::is_key_name_part(o.key_id))
    throw CLI::ValidationError("--key-id", "letters, digits or '_' only");
  if (!keyfile::is_key_name_part(o.key_version))
    throw CLI::ValidationError("--key-version", "letters, digits or '_' only");
  if (o.start.has_value() != o.end.has_value()) {
    throw CLI::ValidationError("--start", "--start and --end go together");
  }
  keyfile::ExportBatch batch;
  batch.region = o.region;
  batch.max_records_per_file = o.max_records;
  if (o.start) {
    if (*o.start > *o.end) throw CLI::ValidationError("--start", "must not be after --end");
    batch.start_timestamp = *o.start;
    batch.end_timestamp = *o.end;
  } else {  // the 24 hours up to now
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    batch.end_timestamp = static_cast<uint64_t>(now);
    batch.start_timestamp = batch.end_timestamp - kSecondsPerDay;
  }
  std::string pem;
  if (!read_whole_file(o.private_key_path, &pem))
    throw CLI::ValidationError("--private-key", "cannot read " + o.private_key_path);
  auto private_key = crypto::EcPrivateKey::parse_pem(pem);
  secure_wipe(pem.data(), pem.size());
  if (!private_key.ok())
    throw CLI::ValidationError("--private-key", private_key.status().message());

  std::string text;
  if (!read_whole_file(o.keys_path, &text))
    throw CLI::ValidationError("--keys", "cannot read " + o.keys_path);
  auto keys = keys_from_publish_json(text);
  if (!keys.ok()) {
    print_error(o.keys_path + ": " + keys.status().message());
    return kExitFailure;
  }
  keyfile::SigningKey signer{o.key_id, o.key_version, std::move(*private_key)};
  auto archives =
      keyfile::build_export_archives(batch, std::move(*keys), {}, std::span(&signer, 1));
  if (!archives.ok()) {
    print_error(archives.status().message());
    return kExitFailure;
  }
  if (archives->empty()) {
    print_error(o.keys_path + ": no keys to export");
    return kExitFailure;
  }
  for (size_t i = 0; i < archives->size(); ++i) {
    std::string path = output_path(o.out, i, archives->size());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const Bytes& zip = (*archives)[i];
    out.write(reinterpret_cast<const char*>(zip.data()), static_cast<std::streamsize>(zip.size()));
    out.close();
    if (!out) {
      print_error(path + ": cannot write");
      return kExitFailure;
    }
    std::cout << path << "\n";
  }
  return kExitOk;
}

}  // namespace

Command add_export_command(CLI::App& app) {
  CLI::App* sub =
      app.add_subcommand("export", "Inspect, verify and sign diagnosis-key export files");
  sub->require_subcommand(1);

  auto inspect_file = std::make_shared<std::string>();
  auto inspect_keys = std::make_shared<bool>(false);
  CLI::App* inspect =
      sub->add_subcommand("inspect", "Print a key file's contents as one JSON object");
  inspect->add_option("FILE", *inspect_file, "export.zip or bare export.bin")
      ->required()
      ->check(CLI::ExistingFile);
  inspect->add_flag("--keys", *inspect_keys, "Include every key");

  auto verify_file = std::make_shared<std::string>();
  auto verify_keys = std::make_shared<std::vector<std::string>>();
  CLI::App* verify = sub->add_subcommand("verify", "Check an archive's signature");
  verify->add_option("FILE", *verify_file, "export.zip")->required()->check(CLI::ExistingFile);
  verify
      ->add_option("--public-key", *verify_keys,
                   "ID-VERSION=PEM (a file, or PEM/base64 text); each key is its own cosign set")
      ->required();

  auto sign_options = std::make_shared<SignOptions>();
  SignOptions& o = *sign_options;
  CLI::App* sign = sub->add_subcommand("sign", "Write signed archives from publish-form keys");
  sign->add_option("--keys", o.keys_path, "KEYS.json ({\"temporaryExposureKeys\": [...]})")
      ->required()
      ->check(CLI::ExistingFile);
  sign->add_option("--private-key", o.private_key_path, "Signing key PEM")
      ->required()
      ->check(CLI::ExistingFile);
  sign->add_option("--key-id", o.key_id, "verification_key_id, e.g. 310")->required();
  sign->add_option("--key-version", o.key_version, "verification_key_version, e.g. v1")->required();
  sign->add_option("--region", o.region, "Region, e.g. US")->required();
  sign->add_option("--start", o.start, "Window start, UNIX seconds (default: 24 h before now)");
  sign->add_option("--end", o.end, "Window end, UNIX seconds (default: now)");
  sign->add_option("--max-records", o.max_records, "Records per file")
      ->check(CLI::Range(size_t{1}, size_t{100000000}))
      ->capture_default_str();
  sign->add_option("-o,--output", o.out, "OUT.zip (OUT-00001.zip... when split)")->required();

  return {sub, [=] {
            if (inspect->parsed()) return run_inspect(*inspect_file, *inspect_keys);
            if (verify->parsed()) return run_verify(*verify_file, *verify_keys);
            return run_sign(*sign_options);
          }};
}

}  // namespace exposure::cli
