#include "http/json_fields.h"

#include <gtest/gtest.h>

namespace exposure::server {
namespace {

TEST(JsonFields, ReadsFieldsCaseInsensitivelyAndTreatsNullAsAbsent) {
  auto json = parse_json_object(R"({"HMACKEY":"abc","count":3,"flag":true,"list":["a","b"],"gone":null})");
  ASSERT_TRUE(json.ok());
  FieldReader f(*json, "");
  std::string key = "unset", gone = "unset";
  int32_t count = 0;
  bool flag = false;
  std::vector<std::string> list;
  EXPECT_TRUE(f.read("hmacKey", &key));
  EXPECT_TRUE(f.read("count", &count));
  EXPECT_TRUE(f.read("flag", &flag));
  EXPECT_TRUE(f.read("list", &list));
  EXPECT_FALSE(f.read("gone", &gone));
  EXPECT_TRUE(f.finish().ok()) << f.finish().to_string();
  EXPECT_EQ(key, "abc");
  EXPECT_EQ(count, 3);
  EXPECT_TRUE(flag);
  EXPECT_EQ(list, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(gone, "unset");
}

TEST(JsonFields, UnknownDuplicateAndMistypedFieldsAreErrors) {
  {
    auto json = parse_json_object(R"({"known":"x","extra":1})");
    FieldReader f(*json, "");
    std::string known;
    f.read("known", &known);
    EXPECT_EQ(f.finish().message(), "unknown field \"extra\"");
  }
  {
    auto json = parse_json_object(R"({"hmacKey":"a","hmackey":"b"})");
    FieldReader f(*json, "");
    std::string v;
    f.read("hmacKey", &v);
    EXPECT_NE(f.finish().message().find("duplicate field"), std::string::npos);
  }
  {
    // Exact repeats, which the JSON parser alone would collapse to the last value, at any
    // depth; the same name in sibling objects is fine.
    EXPECT_EQ(parse_json_object(R"({"code":"1","code":"2"})").status().message(), "duplicate field \"code\"");
    EXPECT_FALSE(parse_json_object(R"({"keys":[{"key":"a","key":"b"}]})").ok());
    EXPECT_TRUE(parse_json_object(R"({"keys":[{"key":"a"},{"key":"b"}],"o":{"key":1}})").ok());
  }
  {
    auto json = parse_json_object(R"({"n":1.5,"s":7,"big":4294967296})");
    FieldReader f(*json, "keys[2]");
    int32_t n = 0, big = 0;
    std::string s;
    f.read("n", &n);
    f.read("s", &s);
    f.read("big", &big);
    EXPECT_EQ(f.finish().message(), "keys[2]: n: expected an integer, got a number");
  }
  {
    auto json = parse_json_object(R"({"big":4294967296})");
    FieldReader f(*json, "");
    int32_t big = 0;
    f.read("big", &big);
    EXPECT_NE(f.finish().message().find("out of int32 range"), std::string::npos);
  }
}

TEST(JsonFields, BodyMustBeExactlyOneObject) {
  EXPECT_FALSE(parse_json_object("").ok());
  EXPECT_FALSE(parse_json_object("[]").ok());
  EXPECT_FALSE(parse_json_object("{} {}").ok());
  EXPECT_FALSE(parse_json_object("{\"a\":").ok());
  EXPECT_FALSE(parse_json_object("{\"a\":\"\xff\"}").ok());  // invalid UTF-8
  EXPECT_TRUE(parse_json_object("  {}\n").ok());
  std::string deep(100, '[');
  EXPECT_NE(parse_json_object("{\"a\":" + deep + "}").status().message().find("nested deeper"), std::string::npos);
  // Brackets inside strings do not count as nesting.
  EXPECT_TRUE(parse_json_object("{\"a\":\"" + deep + "\"}").ok());
}

TEST(JsonFields, NonObjectElementsReportTheirPosition) {
  auto json = parse_json_object(R"({"keys":[{"key":"a"}, 5]})");
  FieldReader f(*json, "");
  const nlohmann::json* keys = f.read_array("keys");
  ASSERT_NE(keys, nullptr);
  FieldReader second((*keys)[1], "keys[1]");
  std::string key;
  EXPECT_FALSE(second.read("key", &key));
  EXPECT_EQ(second.finish().message(), "keys[1]: expected an object, got a number");
}

}  // namespace
}  // namespace exposure::server
