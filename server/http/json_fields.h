// Strict JSON request decoding, shared by every JSON endpoint and callable on its own (by
// tests and fuzzers): the body must be exactly one JSON object, field names match
// case-insensitively (as Go's decoder does, so "hmackey" == "hmacKey"), null means absent,
// a field given twice is an error, and a field nobody reads is an error ("unknown field").
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/status.h"

namespace exposure::server {

// Deepest nesting of arrays/objects a request may have.
inline constexpr int kMaxJsonDepth = 16;

// Parses `body` as one JSON object (nothing but whitespace around it). kMalformed with the
// parser's position on a syntax error, too deep nesting, invalid UTF-8 or a non-object.
Result<nlohmann::json> parse_json_object(std::string_view body);

class FieldReader {
 public:
  // `object` must outlive the reader. `where` prefixes messages ("temporaryExposureKeys[2]").
  // A non-object value makes every read fail and finish() report it.
  FieldReader(const nlohmann::json& object, std::string where);

  // Each read leaves *out unchanged when the field is absent or null and returns whether a
  // value was read. A value of the wrong type records an error (see finish()).
  bool read(std::string_view name, std::string* out);
  bool read(std::string_view name, int32_t* out);  // integral, within int32
  bool read(std::string_view name, int64_t* out);  // integral, within int64
  bool read(std::string_view name, bool* out);
  bool read(std::string_view name, std::vector<std::string>* out);
  // An array field's elements (nullptr when absent or null; an error when not an array).
  const nlohmann::json* read_array(std::string_view name);

  // Ok, or the first problem: a duplicate field, a wrong type, or an unknown field.
  Status finish() const;

 private:
  const nlohmann::json* find(std::string_view name);
  void fail(const std::string& message);

  const nlohmann::json& object_;
  std::string where_;
  std::map<std::string, const nlohmann::json*> fields_;  // lower-cased name -> value
  std::map<std::string, std::string> original_names_;   // lower-cased -> as sent
  std::set<std::string> consumed_;
  std::string first_error_;
};

}  // namespace exposure::server
