#include "core/bounded_json.h"

#include <gtest/gtest.h>

#include <string>

namespace vitals {
namespace {

std::string nested_arrays(int levels, const std::string& inside = "") {
  return std::string(levels, '[') + inside + std::string(levels, ']');
}

TEST(BoundedJson, AcceptsNestingUpToTheLimit) {
  nlohmann::json out;
  EXPECT_EQ(parse_bounded_json(nested_arrays(kMaxJsonDepth, "1"), out), JsonParse::kOk);
  EXPECT_EQ(out.dump(), nested_arrays(kMaxJsonDepth, "1"));
}

TEST(BoundedJson, RefusesOneLevelMore) {
  nlohmann::json out;
  EXPECT_EQ(parse_bounded_json(nested_arrays(kMaxJsonDepth + 1), out), JsonParse::kTooDeep);
  std::string objects;
  for (int i = 0; i <= kMaxJsonDepth; ++i) objects += R"({"k":)";
  objects += "1" + std::string(kMaxJsonDepth + 1, '}');
  EXPECT_EQ(parse_bounded_json(objects, out), JsonParse::kTooDeep);
}

// An entity's attributes or an alert's metadata 100,000 levels deep used to reach dump(), which
// recursed once per level and crashed the server with a stack overflow.
TEST(BoundedJson, HundredThousandLevelsAreRefusedWithoutBuildingThem) {
  nlohmann::ordered_json out;
  const std::string body = R"({"name":"n","attributes":{"a":)" + nested_arrays(100'000) + "}}";
  EXPECT_EQ(parse_bounded_json(body, out), JsonParse::kTooDeep);
}

TEST(BoundedJson, InvalidTextIsInvalidEvenWhenDeep) {
  nlohmann::json out;
  EXPECT_EQ(parse_bounded_json(R"({"a":[1,)", out), JsonParse::kInvalid);
  EXPECT_EQ(parse_bounded_json(std::string(100'000, '['), out), JsonParse::kInvalid);
  EXPECT_EQ(parse_bounded_json("\xff", out), JsonParse::kInvalid);
}

TEST(BoundedJson, MessageNamesTheLimit) {
  EXPECT_EQ(too_deep_text(), "nests deeper than 64 levels");
}

}  // namespace
}  // namespace vitals
