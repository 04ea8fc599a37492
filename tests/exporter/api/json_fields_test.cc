#include "api/json_fields.h"

#include <gtest/gtest.h>

#include <array>
#include <functional>

namespace vitals {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 2> kColours = {"red", "blue"};

TEST(JsonFields, ReadsEveryKindOfField) {
  const json body = {
      {"name", "n"}, {"colour", "blue"}, {"link", nullptr}, {"on", true}, {"meta", {{"a", 1}}}};
  JsonFields fields(body);
  EXPECT_EQ(fields.text("name", 4), "n");
  EXPECT_EQ(fields.choice("colour", kColours), "blue");
  EXPECT_EQ(fields.nullable_text("link", 4), std::nullopt);
  EXPECT_EQ(fields.nullable_text("absent", 4), std::nullopt);
  EXPECT_TRUE(fields.flag("on"));
  EXPECT_FALSE(fields.flag("absent"));
  EXPECT_EQ(fields.object("meta", 100), (json{{"a", 1}}));
  EXPECT_EQ(fields.object("absent", 100), json::object());
  EXPECT_FALSE(fields.problem());
}

TEST(JsonFields, NamesTheFirstProblemOnly) {
  const json body = {{"name", ""}, {"colour", "green"}};
  JsonFields fields(body);
  fields.text("name", 4);
  fields.choice("colour", kColours);
  EXPECT_EQ(fields.problem(), "name: must be a string of 1 to 4 bytes");
}

TEST(JsonFields, EachWrongTypeOrSizeIsAProblem) {
  const json body = {{"long", "12345"}, {"number", 5},    {"colour", "green"},
                     {"flag", "true"},  {"list", {1, 2}}, {"big", {{"k", "0123456789"}}}};
  const std::vector<std::pair<std::function<void(JsonFields&)>, std::string>> cases = {
      {[](JsonFields& f) { f.text("long", 4); }, "long: must be a string of 1 to 4 bytes"},
      {[](JsonFields& f) { f.text("missing", 4); }, "missing: must be a string of 1 to 4 bytes"},
      {[](JsonFields& f) { f.nullable_text("number", 4); },
       "number: must be null or a string of 1 to 4 bytes"},
      {[](JsonFields& f) { f.choice("colour", kColours); }, "colour: must be one of red, blue"},
      {[](JsonFields& f) { f.flag("flag"); }, "flag: must be true or false"},
      {[](JsonFields& f) { f.object("list", 100); },
       "list: must be an object of at most 100 bytes as JSON"},
      {[](JsonFields& f) { f.object("big", 10); },
       "big: must be an object of at most 10 bytes as JSON"},
  };
  for (const auto& [read, problem] : cases) {
    JsonFields fields(body);
    read(fields);
    EXPECT_EQ(fields.problem(), problem);
  }
}

}  // namespace
}  // namespace vitals
