#include "tests/malformed_cases.h"

#include <cctype>

namespace exposure::server::testing {
namespace {

using nlohmann::json;

// Values of every type but `kind`'s (and out-of-range numbers for integers).
std::vector<json> wrong_types(FieldKind kind) {
  switch (kind) {
    case FieldKind::kString:
      return {7, 1.5, true, json::array(), json::object(), json::array({"a"})};
    case FieldKind::kInteger:
      return {"7", 1.5, true, json::array(), json::object(), 1e300, json(UINT64_MAX), json(-1e20)};
    case FieldKind::kBool:
      return {"true", 1, 0, json::array(), json::object()};
    case FieldKind::kStringArray:
      return {"a",
              7,
              json::object(),
              json::array({7}),
              json::array({json::array()}),
              json::array({json::object()}),
              json::array({true})};
    case FieldKind::kObjectArray:
      return {"a",
              7,
              json::object(),
              json::array({7}),
              json::array({"a"}),
              json::array({json::array()}),
              json::array({true})};
  }
  return {};
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// `body` (a dumped object) with `"name":value,` inserted first: a repeated field.
std::string with_leading_field(const std::string& body, const std::string& name,
                               const json& value) {
  return "{" + json(name).dump() + ":" + value.dump() + "," + body.substr(1);
}

class CaseList {
 public:
  CaseList(const EndpointSpec& spec, std::vector<MalformedCase>& out) : spec_(spec), out_(out) {}

  void add(std::string what, std::string body, std::string content_type = "application/json",
           std::string method = "") {
    MalformedCase c;
    c.endpoint = spec_.path;
    c.method = method.empty() ? spec_.method : std::move(method);
    c.path = spec_.path;
    c.body = std::move(body);
    c.content_type = std::move(content_type);
    c.headers = spec_.headers;
    c.what = std::move(what);
    out_.push_back(std::move(c));
  }

  // Every mutation of field `f` inside `parent` (the object at `place` in a copy of the
  // valid body, written back by `wrap`).
  template <typename Wrap>
  void mutate_field(const FieldSpec& f, const json& parent, const std::string& where, Wrap wrap) {
    const std::string label = where + f.name;
    auto with_value = [&](const json& value) {
      json changed = parent;
      changed[f.name] = value;
      return wrap(changed);
    };
    for (const json& v : wrong_types(f.kind))
      add(label + " = " + v.dump().substr(0, 40), with_value(v).dump());
    for (const json& v : f.bad_values)
      add(label + " = " + v.dump().substr(0, 40), with_value(v).dump());
    if (f.required) {
      json removed = parent;
      removed.erase(f.name);
      add(label + " missing", wrap(removed).dump());
      add(label + " null", with_value(nullptr).dump());
    }
    if (parent.contains(f.name)) {
      const json& value = parent.at(f.name);
      add(label + " twice", wrap_raw(parent, wrap, f.name, value));
      add(label + " twice (other case)", wrap_raw(parent, wrap, upper(f.name), value));
    }
  }

 private:
  // The body with `name` repeated in the object `parent` (raw text: json objects cannot
  // hold a name twice).
  template <typename Wrap>
  std::string wrap_raw(const json& parent, Wrap wrap, const std::string& name, const json& value) {
    const std::string marker = "__repeated_field_marker__";
    json marked = parent;
    marked[marker] = 0;
    std::string text = wrap(marked).dump();
    std::string key = json(marker).dump() + ":0";
    size_t at = text.find(key);
    // The marker sorts anywhere in the object: replace it and keep the commas right.
    return text.substr(0, at) + json(name).dump() + ":" + value.dump() +
           text.substr(at + key.size());
  }

  const EndpointSpec& spec_;
  std::vector<MalformedCase>& out_;
};

}  // namespace

std::vector<MalformedCase> field_cases(const EndpointSpec& spec) {
  std::vector<MalformedCase> out;
  CaseList list(spec, out);
  auto top = [](const json& body) { return body; };
  for (const FieldSpec& f : spec.fields) list.mutate_field(f, spec.valid, "", top);
  if (!spec.element_array.empty()) {
    const json& first = spec.valid.at(spec.element_array).at(0);
    auto into_first = [&spec](const json& element) {
      json body = spec.valid;
      body[spec.element_array][0] = element;
      return body;
    };
    for (const FieldSpec& f : spec.element_fields) {
      list.mutate_field(f, first, spec.element_array + "[0].", into_first);
    }
    json extra = first;
    extra["unknownKeyField"] = 1;
    list.add(spec.element_array + "[0] unknown field", into_first(extra).dump());
  }
  return out;
}

std::vector<MalformedCase> body_cases(const EndpointSpec& spec, size_t body_limit) {
  std::vector<MalformedCase> out;
  CaseList list(spec, out);
  const std::string valid = spec.valid.dump();

  list.add("empty body", "");
  list.add("only whitespace", std::string(100, ' '));
  for (const char* not_object : {"null", "[]", "\"text\"", "1", "true", "[{}]", "{}"}) {
    list.add(std::string("body ") + not_object, not_object);
  }
  for (size_t cut :
       {size_t{1}, valid.size() / 4, valid.size() / 2, valid.size() * 3 / 4, valid.size() - 1}) {
    list.add("truncated at " + std::to_string(cut), valid.substr(0, cut));
  }
  list.add("trailing garbage", valid + "x");
  list.add("two objects", valid + valid);
  list.add("trailing comma", valid.substr(0, valid.size() - 1) + ",}");
  std::string single_quoted = valid;
  for (char& c : single_quoted) c = c == '"' ? '\'' : c;
  list.add("single quotes", single_quoted);
  list.add("comment", "/* c */" + valid);
  // The valid body with the value of "padding" (every template has one) replaced by `raw`.
  auto padding_as = [&spec](const std::string& raw) {
    json marked = spec.valid;
    marked["padding"] = "__value__";
    std::string text = marked.dump();
    return text.replace(text.find("\"__value__\""), 11, raw);
  };
  list.add("NaN", padding_as("NaN"));
  list.add("unknown field", with_leading_field(valid, "unknownField", 1));
  list.add("nested 100 deep", padding_as(std::string(100, '[') + std::string(100, ']')));
  list.add("nested 30000 deep", std::string(30000, '[') + std::string(30000, ']'));
  list.add("object nested 5000 deep", [] {
    std::string s;
    for (int i = 0; i < 5000; ++i) s += "{\"a\":";
    return s + "1" + std::string(5000, '}');
  }());
  list.add("invalid UTF-8", padding_as("\"\xff\xfe\""));
  list.add("overlong UTF-8", padding_as("\"\xc0\xaf\""));
  list.add("lone surrogate escape", padding_as("\"\\ud800\""));
  list.add("NUL byte", padding_as(std::string("\"a\0b\"", 5)));
  list.add("raw control character", padding_as("\"a\x01\""));
  list.add("oversized body", padding_as("\"" + std::string(body_limit + 100, 'A') + "\""));
  list.add("oversized whitespace", valid + std::string(body_limit, ' '));

  for (const char* type :
       {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "text/json", "application/xml", "json", "application/jso"}) {
    list.add(std::string("Content-Type ") + type, valid, type);
  }
  const bool is_post = spec.method == "POST";
  for (const char* method :
       {"GET", "DELETE", "PATCH", "OPTIONS", "FOO", is_post ? "PUT" : "POST"}) {
    std::string m = method;
    list.add("method " + m, m == "GET" || m == "DELETE" || m == "OPTIONS" ? "" : valid,
             "application/json", m);
  }
  return out;
}

std::vector<MalformedCase> distribution_cases() {
  std::vector<MalformedCase> out;
  auto add = [&out](std::string endpoint, std::string method, std::string path,
                    std::string body = "") {
    MalformedCase c;
    c.endpoint = std::move(endpoint);
    c.method = std::move(method);
    c.what = c.method + " " + path.substr(0, 60);
    c.path = std::move(path);
    c.body = std::move(body);
    c.content_type = c.body.empty() ? "" : "application/json";
    out.push_back(std::move(c));
  };
  const std::vector<std::string> export_paths = {"/exports/JP/index.txt",
                                                 "/exports/JP/list.json",
                                                 "/exports/JP/2949120-2949126-00001.zip",
                                                 "/exports/JP/../../secret",
                                                 "/exports/..%2F..%2Fsecret",
                                                 "/exports/JP/%2e%2e/index.txt",
                                                 "/exports/",
                                                 "/exports",
                                                 "/exports/JP",
                                                 "/exports/JP/",
                                                 "/exports//index.txt",
                                                 "/exports/JP/index.txt.bak",
                                                 "/exports/JP/abc.zip",
                                                 "/exports/JP/1-2-1.zip",
                                                 "/exports/JP/index.txt%00",
                                                 "/exports/JP/../JP/index.txt",
                                                 "/exports/" + std::string(40, 'A') + "/index.txt",
                                                 "/exports/J%20P/index.txt",
                                                 "/exports/JP/99999999999999999999-1-00001.zip",
                                                 "/exports/" + std::string(9000, 'a')};
  for (const std::string& p : export_paths) {
    add("/exports", "GET", p);
  }
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
    add("/exports", method, "/exports/JP/index.txt", std::string(method) == "DELETE" ? "" : "{}");
  }
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "FOO"}) {
    const std::string body = std::string(method) == "DELETE" ? "" : "{}";
    add("/health", method, "/health", body);
    add("/metrics", method, "/metrics", body);
  }
  for (const char* p :
       {"/", "/v1/publish/extra", "/v2/publish", "/API/VERIFY", "/api//verify", "/api/verify/",
        "/api/v1/diagnosis", "/health/x", "/metrics.json", "/admin", "/.env", "/%ff"}) {
    add("other", "GET", p);
    add("other", "POST", p, "{}");
  }
  return out;
}

httplib::Result send_case(httplib::Client& client, const MalformedCase& c) {
  httplib::Request req;
  req.method = c.method;
  req.path = c.path;
  req.headers = c.headers;
  req.body = c.body;
  if (!c.content_type.empty()) req.set_header("Content-Type", c.content_type);
  return client.send(req);
}

}  // namespace exposure::server::testing
