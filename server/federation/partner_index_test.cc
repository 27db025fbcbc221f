#include "federation/partner_index.h"

#include <gtest/gtest.h>

namespace exposure::server {
namespace {

TEST(PartnerIndex, ListsNamesInOrderWithoutBlanksRepeatsOrLineEndings) {
  PartnerIndex index = parse_partner_index(
      "JP/1-2-00001.zip\r\n\n  JP/3-4-00001.zip \nJP/1-2-00001.zip\nUS/x/y.zip");
  EXPECT_EQ(index.files,
            (std::vector<std::string>{"JP/1-2-00001.zip", "JP/3-4-00001.zip", "US/x/y.zip"}));
  EXPECT_TRUE(index.rejected.empty());
}

TEST(PartnerIndex, RejectsNamesThatLeaveTheTreeOrAreNoArchives) {
  const std::string lines[] = {"../JP/a.zip", "/JP/a.zip", "JP//a.zip",
                               "JP/./a.zip",  "JP/a.txt",  "http://other.example/a.zip",
                               "JP/a b.zip",  ".zip",      std::string(300, 'a') + ".zip"};
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  PartnerIndex index = parse_partner_index(text);
  EXPECT_TRUE(index.files.empty());
  EXPECT_EQ(index.rejected.size(), std::size(lines));
}

TEST(PartnerIndex, AnEmptyIndexListsNothing) {
  EXPECT_TRUE(parse_partner_index("").files.empty());
  EXPECT_TRUE(parse_partner_index("\n\n").rejected.empty());
}

}  // namespace
}  // namespace exposure::server
