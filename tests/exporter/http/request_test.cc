#include "http/request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace vitals {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

std::optional<std::string> text(const char* s) {
  return std::string(s);
}

// --- url_decode -------------------------------------------------------------------------------

TEST(UrlDecode, PlainTextIsUnchanged) {
  EXPECT_EQ(url_decode("abc-123_~.", false), text("abc-123_~."));
  EXPECT_EQ(url_decode("", false), text(""));
}

TEST(UrlDecode, PercentEscapes) {
  EXPECT_EQ(url_decode("a%2Fb", false), text("a/b"));
  EXPECT_EQ(url_decode("a%2fb", false), text("a/b")) << "hex digits in either case";
  EXPECT_EQ(url_decode("%41%42%43", false), text("ABC"));
  EXPECT_EQ(url_decode("100%25", false), text("100%"));
  EXPECT_EQ(url_decode("caf%C3%A9", false), text("caf\xc3\xa9"));
}

TEST(UrlDecode, EscapedNulIsKept) {
  const auto out = url_decode("a%00b", false);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, std::string("a\0b", 3));
}

TEST(UrlDecode, PlusIsASpaceOnlyWhenAsked) {
  EXPECT_EQ(url_decode("a+b", true), text("a b"));
  EXPECT_EQ(url_decode("a+b", false), text("a+b"));
  EXPECT_EQ(url_decode("a%2Bb", true), text("a+b")) << "an escaped plus stays a plus";
  EXPECT_EQ(url_decode("a%20b", false), text("a b"));
}

TEST(UrlDecode, BadEscapesAreRejected) {
  for (const char* bad : {"%zz", "%4", "%", "abc%", "abc%4", "%g0", "%0g", "a%%20"}) {
    EXPECT_FALSE(url_decode(bad, false).has_value()) << "'" << bad << "'";
    EXPECT_FALSE(url_decode(bad, true).has_value()) << "'" << bad << "'";
  }
}

TEST(UrlDecode, EscapeAtTheVeryEnd) {
  EXPECT_EQ(url_decode("ab%41", false), text("abA"));
}

// --- parse_query_string
// ---------------------------------------------------------------------------

TEST(ParseQueryString, NamesAndValuesInOrder) {
  const auto q = parse_query_string("from=2026-02-01&to=2026-02-17&limit=50");
  ASSERT_TRUE(q.has_value());
  EXPECT_THAT(
      *q, ElementsAre(Pair("from", "2026-02-01"), Pair("to", "2026-02-17"), Pair("limit", "50")));
}

TEST(ParseQueryString, RepeatsAreKept) {
  const auto q = parse_query_string("type=a&type=b&type=c");
  ASSERT_TRUE(q.has_value());
  EXPECT_THAT(*q, ElementsAre(Pair("type", "a"), Pair("type", "b"), Pair("type", "c")));
}

TEST(ParseQueryString, EmptyValuesAndMissingEquals) {
  const auto q = parse_query_string("a=&flag&b=1");
  ASSERT_TRUE(q.has_value());
  EXPECT_THAT(*q, ElementsAre(Pair("a", ""), Pair("flag", ""), Pair("b", "1")));
}

TEST(ParseQueryString, EmptyPartsAreSkipped) {
  const auto q = parse_query_string("&&a=1&&b=2&");
  ASSERT_TRUE(q.has_value());
  EXPECT_THAT(*q, ElementsAre(Pair("a", "1"), Pair("b", "2")));
}

TEST(ParseQueryString, EmptyString) {
  const auto q = parse_query_string("");
  ASSERT_TRUE(q.has_value());
  EXPECT_THAT(*q, IsEmpty());
}

TEST(ParseQueryString, OnlyTheFirstEqualsSplits) {
  const auto q = parse_query_string("expr=a=b");
  ASSERT_TRUE(q.has_value());
  EXPECT_THAT(*q, ElementsAre(Pair("expr", "a=b")));
}

TEST(ParseQueryString, NamesAndValuesAreDecoded) {
  const auto q = parse_query_string("q=hello+world&k%20ey=a%26b%3Dc&tenant=acme%2Fprod");
  ASSERT_TRUE(q.has_value());
  EXPECT_THAT(*q, ElementsAre(Pair("q", "hello world"), Pair("k ey", "a&b=c"),
                              Pair("tenant", "acme/prod")));
}

TEST(ParseQueryString, BadEscapeRejectsTheWholeQuery) {
  EXPECT_FALSE(parse_query_string("a=1&b=%zz").has_value());
  EXPECT_FALSE(parse_query_string("a%4=1").has_value());
  EXPECT_FALSE(parse_query_string("a=%").has_value());
}

// --- Request ----------------------------------------------------------------------------------

TEST(Request, QueryParamReturnsTheLastValue) {
  Request r;
  r.query = {{"limit", "10"}, {"type", "a"}, {"limit", "20"}, {"limit", "30"}};
  EXPECT_EQ(r.query_param("limit"), text("30"));
  EXPECT_EQ(r.query_param("type"), text("a"));
}

TEST(Request, QueryParamAbsentAndEmpty) {
  Request r;
  r.query = {{"flag", ""}};
  EXPECT_FALSE(r.query_param("missing").has_value());
  EXPECT_EQ(r.query_param("flag"), text("")) << "present but empty is not absent";
  EXPECT_FALSE(r.query_param("FLAG").has_value()) << "names are case-sensitive";
}

TEST(Request, QueryParamFromAParsedQueryString) {
  Request r;
  r.query = parse_query_string("window=1h&window=24h").value();
  EXPECT_EQ(r.query_param("window"), text("24h"));
}

TEST(Request, HeaderLookup) {
  Request r;
  r.headers = {{"content-type", "application/json"}, {"x-api-key", "k"}};
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("x-api-key"), "k");
  EXPECT_EQ(r.header("authorization"), "");
}

TEST(Response, JsonAndNoContent) {
  const Response json = Response::json(404, R"({"error":"not_found"})");
  EXPECT_EQ(json.status, 404);
  EXPECT_EQ(json.content_type, "application/json");
  EXPECT_EQ(json.body, R"({"error":"not_found"})");
  const Response empty = Response::no_content();
  EXPECT_EQ(empty.status, 204);
  EXPECT_EQ(empty.body, "");
  EXPECT_EQ(empty.content_type, "");
}

}  // namespace
}  // namespace vitals
