#include "core/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <random>

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

TEST(JsonWriter, NestedContainersReadBackAsWritten) {
  JsonWriter w;
  w.begin_object().key("rows").begin_array();
  for (int i = 0; i < 3; ++i) {
    w.begin_object().key("n").value(std::int64_t{i}).key("empty").begin_array().end_array();
    w.end_object();
  }
  w.end_array().key("none").null().key("tail").value("x").end_object();
  const std::string text = w.take();
  EXPECT_EQ(text, R"({"rows":[{"n":0,"empty":[]},{"n":1,"empty":[]},{"n":2,"empty":[]}],)"
                  R"("none":null,"tail":"x"})");
  EXPECT_TRUE(Json::accept(text));
}

TEST(JsonWriter, StringsEscapeWhatJsonRequiresAndKeepUtf8) {
  const std::string hostile = "q\"b\\s/\n\r\t\b\f\x01\x1f é 名前";
  JsonWriter w;
  w.begin_array().value(hostile).end_array();
  const std::string text = w.take();
  EXPECT_EQ(Json::parse(text)[0].get<std::string>(), hostile);
  EXPECT_NE(text.find("\\u0001"), std::string::npos);
  EXPECT_NE(text.find("名前"), std::string::npos);  // not \u-escaped
}

// Escapes are written between runs of plain characters: at either end, back to back, alone.
TEST(JsonWriter, EscapesAnywhereInAStringReadBack) {
  for (const std::string& text :
       {std::string(), std::string("\""), std::string("\"start"), std::string("end\\"),
        std::string("a\"\"b"), std::string("\x01\x02\x1f"), std::string("plain text"),
        std::string("mid\ndle"), std::string(1, '\0')}) {
    JsonWriter w;
    w.begin_array().value(text).end_array();
    const std::string written = w.take();
    EXPECT_EQ(Json::parse(written)[0].get<std::string>(), text) << written;
  }
  JsonWriter w;
  w.begin_object().key("k\"ey").value("v").end_object();
  EXPECT_EQ(w.take(), R"({"k\"ey":"v"})");
}

// Doubles are written as the shortest text that reads back to the same double (nlohmann's dump
// sometimes writes a 17th digit that is not needed), and whole ones keep ".0" as it does.
TEST(JsonWriter, DoublesReadBackExactly) {
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> any(3, 4);
  std::vector<double> values = {0.0, 1.0, -2.5, 100.0, 1e-7, 123456789.125, 0.1, 1e300};
  for (int i = 0; i < 1000; ++i) values.push_back(any(rng));
  for (double x : values) {
    JsonWriter w;
    w.value(x);
    const std::string text = w.take();
    EXPECT_EQ(Json::parse(text).get<double>(), x) << text;
    EXPECT_LE(text.size(), Json(x).dump().size()) << text;
  }
  JsonWriter whole;
  whole.begin_array().value(100.0).value(-3.0).value(0.0).end_array();
  EXPECT_EQ(whole.take(), "[100.0,-3.0,0.0]");
  JsonWriter w;
  w.begin_array()
      .value(std::numeric_limits<double>::quiet_NaN())
      .value(std::numeric_limits<double>::infinity())
      .value(std::uint64_t{18446744073709551615ULL})
      .value(std::int64_t{-42})
      .value(std::optional<double>{})
      .end_array();
  EXPECT_EQ(w.take(), "[null,null,18446744073709551615,-42,null]");
}

}  // namespace
}  // namespace vitals
