// Generator of malformed HTTP requests for the malformed-request suite. From one valid
// request per JSON endpoint it derives, field by field, requests that must be refused:
// missing required fields, values of every wrong type, nulls, duplicated fields (also in
// another letter case), known-bad values of the right type (bad base64, wrong lengths,
// huge values); and, for the body as a whole, non-objects, truncations, syntax errors,
// deep nesting, invalid UTF-8, oversized bodies, wrong content types and wrong methods.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace exposure::server::testing {

// One request to send; `endpoint` groups cases in the per-endpoint counts.
struct MalformedCase {
  std::string endpoint;
  std::string method;
  std::string path;
  std::string body;
  std::string content_type = "application/json";
  httplib::Headers headers;
  std::string what;  // short description for failure messages
};

enum class FieldKind { kString, kInteger, kBool, kStringArray, kObjectArray };

struct FieldSpec {
  std::string name;
  FieldKind kind = FieldKind::kString;
  bool required = false;  // absent or null makes the request bad
  // Values of the right type that make the request bad.
  std::vector<nlohmann::json> bad_values;
};

struct EndpointSpec {
  std::string method;  // "POST" or "PUT"
  std::string path;
  nlohmann::json valid;      // a body the endpoint accepts
  httplib::Headers headers;  // headers the valid request needs (e.g. X-API-Key)
  std::vector<FieldSpec> fields;
  // An array-of-objects field whose first element is mutated with `element_fields`.
  std::string element_array;
  std::vector<FieldSpec> element_fields;
};

// Mutations of each field of spec.valid (and of its element array's first element).
std::vector<MalformedCase> field_cases(const EndpointSpec& spec);
// Mutations of the body as a whole, content types and methods. `body_limit` is the
// server's --body-limit.
std::vector<MalformedCase> body_cases(const EndpointSpec& spec, size_t body_limit);
// Bad GETs and methods on the distribution and operations routes.
std::vector<MalformedCase> distribution_cases();

// Sends `c` (any method) and returns the response, or an error result.
httplib::Result send_case(httplib::Client& client, const MalformedCase& c);

}  // namespace exposure::server::testing
