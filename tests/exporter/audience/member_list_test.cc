#include "audience/member_list.h"

#include <gtest/gtest.h>

namespace vitals {
namespace {

TEST(MemberListTest, ReadsNdjsonStringsSkippingBlankLines) {
  const auto list = parse_member_list("\"a\"\n\n\"b\"\r\n  \n\"c\"", BodyFormat::kNdjson);
  EXPECT_EQ(list.problem_count, 0u);
  EXPECT_EQ(list.members, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(MemberListTest, ReadsAJsonArrayAndUnescapes) {
  const auto list = parse_member_list(R"(["a","caf\u00e9","x\/y"])", BodyFormat::kJson);
  EXPECT_EQ(list.problem_count, 0u);
  EXPECT_EQ(list.members, (std::vector<std::string>{"a", "café", "x/y"}));
}

TEST(MemberListTest, AnEmptyListIsValid) {
  EXPECT_EQ(parse_member_list("[]", BodyFormat::kJson).problem_count, 0u);
  EXPECT_TRUE(parse_member_list("", BodyFormat::kNdjson).members.empty());
}

TEST(MemberListTest, ReportsEveryBadEntryWithItsLine) {
  const std::string long_id(257, 'x');
  const auto list =
      parse_member_list("\"ok\"\n42\n\"\"\n\"" + long_id + "\"\n\"tab\\there\"\n{not json\n\"" +
                            std::string(256, 'y') + "\"",
                        BodyFormat::kNdjson);
  EXPECT_EQ(list.problem_count, 5u);
  ASSERT_EQ(list.problems.size(), 5u);
  EXPECT_EQ(list.problems[0].position, 2u);
  EXPECT_EQ(list.problems[0].message, "a member id must be a JSON string");
  EXPECT_EQ(list.problems[1].position, 3u);
  EXPECT_EQ(list.problems[2].position, 4u);
  EXPECT_EQ(list.problems[2].message, "a member id must be 1 to 256 bytes");
  EXPECT_EQ(list.problems[3].message, "a member id must not contain control characters");
  EXPECT_EQ(list.problems[4].position, 6u);
  EXPECT_NE(list.problems[4].message.find("invalid JSON"), std::string::npos);
}

TEST(MemberListTest, RejectsBodiesThatAreNotArraysOfStrings) {
  EXPECT_EQ(parse_member_list(R"({"members":["a"]})", BodyFormat::kJson).problem_count, 1u);
  EXPECT_EQ(parse_member_list(R"(["a", null, 3])", BodyFormat::kJson).problem_count, 2u);
  EXPECT_EQ(parse_member_list("[\"a\"", BodyFormat::kJson).problem_count, 1u);
  EXPECT_EQ(parse_member_list("\"\xff\xfe\"", BodyFormat::kNdjson).problem_count, 1u)
      << "invalid UTF-8";
}

TEST(MemberListTest, KeepsOnlyTheFirstTenProblemsButCountsAll) {
  std::string body;
  for (int i = 0; i < 25; ++i) body += "1\n";
  const auto list = parse_member_list(body, BodyFormat::kNdjson);
  EXPECT_EQ(list.problem_count, 25u);
  EXPECT_EQ(list.problems.size(), 10u);
}

}  // namespace
}  // namespace vitals
