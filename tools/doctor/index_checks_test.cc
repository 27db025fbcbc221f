#include "index_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http_fetch.h"

namespace exposure::doctor {
namespace {

using ::testing::HasSubstr;

TEST(ParseIndex, ServerFormIsClean) {
  IndexListing listing =
      parse_index("JP/100-200-00001.zip\nJP/200-300-00001.zip\nJP/200-300-00002.zip");
  EXPECT_TRUE(listing.problems.empty());
  EXPECT_EQ(listing.entries,
            (std::vector<std::string>{"JP/100-200-00001.zip", "JP/200-300-00001.zip",
                                      "JP/200-300-00002.zip"}));
  EXPECT_TRUE(parse_index("").entries.empty());
  EXPECT_TRUE(parse_index("").problems.empty());
}

TEST(ParseIndex, NamesEachProblemWithItsLine) {
  IndexListing listing =
      parse_index("JP/b.zip\nJP/a.zip\n\nJP/b.zip\n../x.zip\n/JP/c.zip\nJP/d e.zip\n");
  EXPECT_EQ(listing.entries, (std::vector<std::string>{"JP/b.zip", "JP/a.zip"}));
  ASSERT_EQ(listing.problems.size(), 7u);
  EXPECT_EQ(listing.problems[0], "index.txt line 2 'JP/a.zip' is out of order (after 'JP/b.zip')");
  EXPECT_EQ(listing.problems[1], "index.txt line 3 is blank");
  EXPECT_EQ(listing.problems[2], "index.txt line 4 duplicates line 1: JP/b.zip");
  EXPECT_EQ(listing.problems[3], "index.txt line 5 '../x.zip' has a '..' path component");
  EXPECT_EQ(listing.problems[4], "index.txt line 6 '/JP/c.zip' starts with '/'");
  EXPECT_EQ(listing.problems[5],
            "index.txt line 7 'JP/d e.zip' holds a character outside [A-Za-z0-9._/-]");
  EXPECT_THAT(listing.problems[6], HasSubstr("ends with a newline"));
}

TEST(ListJson, ConsistentListPasses) {
  const std::vector<std::string> index{"JP/1-2-00001.zip", "JP/2-3-00001.zip"};
  const std::string list =
      R"([{"region":"JP","url":"http://h/exports/JP/1-2-00001.zip","created":1000},
                               {"region":"JP","url":"http://h/exports/JP/2-3-00001.zip","created":2000}])";
  EXPECT_TRUE(list_json_problems(list, index, "JP", "http://h/exports", 10).empty());
}

TEST(ListJson, ReportsMissingExtraDuplicateAndMalformedEntries) {
  const std::vector<std::string> index{"JP/1-2-00001.zip", "JP/2-3-00001.zip"};
  const std::string list =
      R"([{"region":"JP","url":"http://h/exports/JP/1-2-00001.zip","created":1000},
                               {"region":"JP","url":"http://h/exports/JP/1-2-00001.zip","created":1000},
                               {"region":"KR","url":"http://h/exports/JP/9-9-00001.zip","created":"x"},
                               {"region":"JP","url":"http://elsewhere/JP/2-3-00001.zip","created":400000},
                               7])";
  auto problems = list_json_problems(list, index, "JP", "http://h/exports", 10);
  ASSERT_EQ(problems.size(), 7u) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems[0], "list.json[1]: JP/1-2-00001.zip is listed twice");
  EXPECT_EQ(problems[1], "list.json[2]: region 'KR', expected 'JP'");
  EXPECT_EQ(problems[2],
            "list.json[2]: \"created\" missing or not a positive integer (Unix milliseconds)");
  EXPECT_EQ(problems[3], "list.json[2]: JP/9-9-00001.zip is not in index.txt");
  EXPECT_EQ(problems[4], "list.json[3]: created 400000 ms lies in the future");
  EXPECT_THAT(
      problems[5],
      HasSubstr(
          "list.json[3]: url 'http://elsewhere/JP/2-3-00001.zip' is not under http://h/exports/"));
  EXPECT_EQ(problems[6], "list.json[4] is not an object");

  EXPECT_EQ(list_json_problems("[]", index, "JP", "http://h/exports", 10),
            (std::vector<std::string>{"JP/1-2-00001.zip is in index.txt but not in list.json",
                                      "JP/2-3-00001.zip is in index.txt but not in list.json"}));
  EXPECT_EQ(list_json_problems("{}", index, "JP", "http://h", 10),
            (std::vector<std::string>{"list.json is not a JSON array"}));
  EXPECT_EQ(list_json_problems("[", index, "JP", "http://h", 10),
            (std::vector<std::string>{"list.json is not valid JSON"}));
}

TEST(BaseUrl, SplitsOriginAndPath) {
  auto url = parse_base_url("https://cdn.example:8443/exposure/v1/");
  ASSERT_TRUE(url.ok()) << url.status().to_string();
  EXPECT_EQ(url->origin, "https://cdn.example:8443");
  EXPECT_EQ(url->path, "/exposure/v1");
  EXPECT_EQ(parse_base_url("HTTP://h")->text(), "http://h");
  EXPECT_FALSE(parse_base_url("ftp://h/x").ok());
  EXPECT_FALSE(parse_base_url("h/x").ok());
  EXPECT_FALSE(parse_base_url("http:///x").ok());
  EXPECT_FALSE(parse_base_url("http://h/x?y=1").ok());
}

TEST(HttpProblem, NamesStatusTypeAndTransport) {
  Fetched f{"http://h/JP/index.txt", 200, "text/plain; charset=utf-8", "", ""};
  EXPECT_EQ(http_problem(f, "text/plain"), "");
  f.content_type = "text/html";
  EXPECT_EQ(http_problem(f, "text/plain"),
            "GET http://h/JP/index.txt: content type 'text/html', expected 'text/plain'");
  f.status = 404;
  EXPECT_EQ(http_problem(f, "text/plain"), "GET http://h/JP/index.txt: HTTP 404");
  f.status = 0;
  f.error = "no answer: Connection";
  EXPECT_EQ(http_problem(f, "text/plain"), "GET http://h/JP/index.txt: no answer: Connection");
}

}  // namespace
}  // namespace exposure::doctor
