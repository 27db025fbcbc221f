#include "app/app_state.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "exposure/secure.h"

namespace exposure::app_internal {

using nlohmann::json;

namespace {

Status corrupt(const std::string& what) { return {ErrorCode::kCorrupt, what}; }

// Wipes a json value's text members that held keys (best effort: strings we wrote).
void wipe_strings(json& j) {
  if (j.is_string()) {
    auto& s = j.get_ref<std::string&>();
    secure_wipe(s.data(), s.size());
  } else if (j.is_structured()) {
    for (auto& child : j) wipe_strings(child);
  }
}

// Reads a base64 16-byte key.
bool key_from(const json& j, KeyData* out) {
  if (!j.is_string()) return false;
  auto bytes = from_base64(j.get<std::string>());
  if (!bytes.ok() || bytes->size() != out->size()) return false;
  std::memcpy(out->data(), bytes->data(), out->size());
  secure_wipe(bytes->data(), bytes->size());
  return true;
}

template <typename T>
bool number_from(const json& object, const char* name, T* out) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) return false;
  *out = it->get<T>();
  return true;
}

// Parses a record's JSON object; kCorrupt when it is not one.
Result<json> parse_record(ByteView bytes, const char* what) {
  json j = json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (!j.is_object()) return corrupt(std::string(what) + " state record is not a JSON object");
  return j;
}

}  // namespace

SecretText::~SecretText() { secure_wipe(text_.data(), text_.size()); }

SecretText encode_upload_state(const app::UploadState& state) {
  json uploads = json::array();
  for (const app::UploadHistoryEntry& e : state.uploads) {
    json keys = json::array();
    for (const TemporaryExposureKey& k : e.keys) {
      keys.push_back({{"key", to_base64(k.key_data.view())},
                      {"start", k.rolling_start_interval_number},
                      {"period", k.rolling_period}});
    }
    uploads.push_back({{"time", e.time}, {"flow", e.flow}, {"test_type", e.test_type}, {"keys", std::move(keys)}});
  }
  json j = {{"revision_token", state.revision_token}, {"uploads", std::move(uploads)}};
  std::string text = j.dump();
  wipe_strings(j);
  return SecretText(std::move(text));
}

Status decode_upload_state(ByteView bytes, app::UploadState* out) {
  auto parsed = parse_record(bytes, "upload");
  if (!parsed.ok()) return parsed.status();
  json& j = *parsed;
  app::UploadState state;
  Status status = Status::Ok();
  auto token = j.find("revision_token");
  auto uploads = j.find("uploads");
  if (token == j.end() || !token->is_string() || uploads == j.end() || !uploads->is_array()) {
    status = corrupt("upload state record lacks revision_token or uploads");
  } else {
    state.revision_token = token->get<std::string>();
    for (const json& e : *uploads) {
      app::UploadHistoryEntry entry;
      if (!e.is_object() || !number_from(e, "time", &entry.time) || !e.contains("keys") || !e["keys"].is_array()) {
        status = corrupt("upload state record has a malformed upload");
        break;
      }
      entry.flow = e.value("flow", std::string());
      entry.test_type = e.value("test_type", std::string());
      for (const json& k : e["keys"]) {
        TemporaryExposureKey key;
        if (!k.is_object() || !key_from(k.value("key", json()), &key.key_data.array()) ||
            !number_from(k, "start", &key.rolling_start_interval_number) ||
            !number_from(k, "period", &key.rolling_period)) {
          status = corrupt("upload state record has a malformed key");
          break;
        }
        entry.keys.push_back(key);
      }
      if (!status.ok()) break;
      state.uploads.push_back(std::move(entry));
    }
  }
  wipe_strings(j);
  if (status.ok()) *out = std::move(state);
  return status;
}

SecretText encode_check_state(const app::CheckState& state) {
  json matched = json::array();
  for (const DiagnosisKey& k : state.matched_keys) {
    matched.push_back({{"key", to_base64(k.key_data)},
                       {"start", k.rolling_start_interval_number},
                       {"period", k.rolling_period},
                       {"trl", k.transmission_risk_level},
                       {"report_type", static_cast<int32_t>(k.report_type)},
                       {"dso", k.days_since_onset_of_symptoms ? json(*k.days_since_onset_of_symptoms) : json(nullptr)}});
  }
  json j = {{"region", state.region},
            {"processed", state.processed_archives},
            {"notified_days", state.notified_days},
            {"last_check", state.last_check},
            {"matched", std::move(matched)}};
  std::string text = j.dump();
  wipe_strings(j);
  return SecretText(std::move(text));
}

Status decode_check_state(ByteView bytes, app::CheckState* out) {
  auto parsed = parse_record(bytes, "check");
  if (!parsed.ok()) return parsed.status();
  const json& j = *parsed;
  app::CheckState state;
  try {
    state.region = j.at("region").get<std::string>();
    state.processed_archives = j.at("processed").get<std::set<std::string>>();
    state.notified_days = j.at("notified_days").get<std::set<int64_t>>();
    state.last_check = j.at("last_check").get<int64_t>();
    for (const json& k : j.at("matched")) {
      DiagnosisKey key;
      if (!key_from(k.at("key"), &key.key_data)) return corrupt("check state record has a malformed key");
      key.rolling_start_interval_number = k.at("start").get<uint32_t>();
      key.rolling_period = k.at("period").get<uint32_t>();
      key.transmission_risk_level = k.at("trl").get<int32_t>();
      key.report_type = static_cast<ReportType>(k.at("report_type").get<int32_t>());
      if (!k.at("dso").is_null()) key.days_since_onset_of_symptoms = k.at("dso").get<int32_t>();
      state.matched_keys.push_back(key);
    }
  } catch (const json::exception& e) {
    return corrupt(std::string("check state record is malformed: ") + e.what());
  }
  *out = std::move(state);
  return Status::Ok();
}

}  // namespace exposure::app_internal
