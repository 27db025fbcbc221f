#include "http/json_fields.h"

#include <limits>
#include <set>
#include <vector>

#include "common/text.h"

namespace exposure::server {
namespace {

// Rejects documents nested deeper than kMaxJsonDepth before the parser sees them.
bool nesting_within_limit(std::string_view body) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

const char* type_name(const nlohmann::json& v) {
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

}  // namespace

Result<nlohmann::json> parse_json_object(std::string_view body) {
  if (body.empty()) return malformed("request body is empty");
  if (!nesting_within_limit(body)) {
    return malformed("JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  // The parser keeps the last of repeated names: note them while parsing (exact repeats;
  // FieldReader catches repeats that differ in letter case).
  std::vector<std::set<std::string>> names_per_object;
  std::string repeated;
  auto note_names = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      names_per_object.emplace_back();
    } else if (event == Event::object_end) {
      names_per_object.pop_back();
    } else if (event == Event::key && repeated.empty() && !names_per_object.empty() &&
               !names_per_object.back().insert(parsed.get<std::string>()).second) {
      repeated = parsed.get<std::string>();
    }
    return true;
  };
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(body.begin(), body.end(), note_names);
  } catch (const nlohmann::json::parse_error& e) {
    return malformed("malformed JSON at byte " + std::to_string(e.byte));
  } catch (const std::exception&) {
    return malformed("malformed JSON");
  }
  if (!repeated.empty()) return malformed("duplicate field \"" + printable(repeated) + "\"");
  if (!value.is_object()) return malformed(std::string("request body must be a JSON object, got ") + type_name(value));
  return value;
}

FieldReader::FieldReader(const nlohmann::json& object, std::string where) : object_(object), where_(std::move(where)) {
  if (!object_.is_object()) {
    fail(std::string("expected an object, got ") + type_name(object_));
    return;
  }
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    std::string lower = to_lower(it.key());
    if (fields_.count(lower)) {
      fail("duplicate field \"" + printable(it.key()) + "\"");
      continue;
    }
    fields_[lower] = &it.value();
    original_names_[lower] = it.key();
  }
}

void FieldReader::fail(const std::string& message) {
  if (first_error_.empty()) first_error_ = where_.empty() ? message : where_ + ": " + message;
}

const nlohmann::json* FieldReader::find(std::string_view name) {
  std::string lower = to_lower(name);
  consumed_.insert(lower);
  auto it = fields_.find(lower);
  if (it == fields_.end() || it->second->is_null()) return nullptr;
  return it->second;
}

bool FieldReader::read(std::string_view name, std::string* out) {
  const nlohmann::json* v = find(name);
  if (!v) return false;
  if (!v->is_string()) {
    fail(std::string(name) + ": expected a string, got " + type_name(*v));
    return false;
  }
  *out = v->get<std::string>();
  return true;
}

bool FieldReader::read(std::string_view name, int64_t* out) {
  const nlohmann::json* v = find(name);
  if (!v) return false;
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      fail(std::string(name) + ": number out of range");
      return false;
    }
    *out = static_cast<int64_t>(u);
    return true;
  }
  if (!v->is_number_integer()) {
    fail(std::string(name) + ": expected an integer, got " + type_name(*v));
    return false;
  }
  *out = v->get<int64_t>();
  return true;
}

bool FieldReader::read(std::string_view name, int32_t* out) {
  int64_t wide = 0;
  if (!read(name, &wide)) return false;
  if (wide < std::numeric_limits<int32_t>::min() || wide > std::numeric_limits<int32_t>::max()) {
    fail(std::string(name) + ": " + std::to_string(wide) + " out of int32 range");
    return false;
  }
  *out = static_cast<int32_t>(wide);
  return true;
}

bool FieldReader::read(std::string_view name, bool* out) {
  const nlohmann::json* v = find(name);
  if (!v) return false;
  if (!v->is_boolean()) {
    fail(std::string(name) + ": expected a boolean, got " + type_name(*v));
    return false;
  }
  *out = v->get<bool>();
  return true;
}

bool FieldReader::read(std::string_view name, std::vector<std::string>* out) {
  const nlohmann::json* v = find(name);
  if (!v) return false;
  if (!v->is_array()) {
    fail(std::string(name) + ": expected an array of strings, got " + type_name(*v));
    return false;
  }
  std::vector<std::string> values;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      fail(std::string(name) + "[" + std::to_string(i) + "]: expected a string, got " + type_name((*v)[i]));
      return false;
    }
    values.push_back((*v)[i].get<std::string>());
  }
  *out = std::move(values);
  return true;
}

const nlohmann::json* FieldReader::read_array(std::string_view name) {
  const nlohmann::json* v = find(name);
  if (!v) return nullptr;
  if (!v->is_array()) {
    fail(std::string(name) + ": expected an array, got " + type_name(*v));
    return nullptr;
  }
  return v;
}

Status FieldReader::finish() const {
  if (!first_error_.empty()) return malformed(first_error_);
  for (const auto& [lower, value] : fields_) {
    if (!consumed_.count(lower)) {
      std::string message = "unknown field \"" + printable(original_names_.at(lower)) + "\"";
      return malformed(where_.empty() ? message : where_ + ": " + message);
    }
  }
  return Status::Ok();
}

}  // namespace exposure::server
