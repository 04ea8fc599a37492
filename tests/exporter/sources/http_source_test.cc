#include "sources/http_source.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <map>

#include "support/recording_sink.h"

namespace vitals::sources {
namespace {

using testing::RecordingSink;

// Answers GETs from a table of URL → (status, body) and remembers what was asked.
class ScriptedGetter final : public notify::HttpGetter {
 public:
  notify::HttpPage get(const notify::HttpGet& request) override {
    requests.push_back(request);
    if (on_get) on_get();
    const auto it = pages.find(request.url);
    if (it == pages.end()) return {0, "", "connection refused"};
    return {it->second.first, it->second.second, ""};
  }
  std::map<std::string, std::pair<int, std::string>> pages;
  std::vector<notify::HttpGet> requests;
  std::function<void()> on_get;
};

HttpSourceConfig cursor_config() {
  HttpSourceConfig c;
  c.url = "http://127.0.0.1:1/runs?limit=2";
  c.headers = {{"Authorization", "Bearer t"}};
  c.records = "data";
  c.cursor = "meta.next";
  c.cursor_param = "after";
  c.mapping.fields["type"].constant = "sync_run";
  c.mapping.fields["status"].path = "state";
  c.mapping.fields["id"].path = "id";
  return c;
}

constexpr const char* kPage1 = R"({"data": [{"id": "a", "state": "success"},
                                           {"id": "b", "state": "error"}],
                                   "meta": {"next": "c 2"}})";
constexpr const char* kPage2 = R"({"data": [{"id": "c", "state": "success"}], "meta": {}})";
const std::string kPage2Url = "http://127.0.0.1:1/runs?limit=2&after=c%202";

// A service whose first page holds a and b and a cursor to the second, which holds c.
ScriptedGetter two_pages() {
  ScriptedGetter getter;
  getter.pages[cursor_config().url] = {200, kPage1};
  getter.pages[kPage2Url] = {200, kPage2};
  return getter;
}

std::vector<std::string> ids(const RecordingSink& sink) {
  std::vector<std::string> out;
  for (const auto& line : sink.lines) out.push_back(nlohmann::json::parse(line)["id"]);
  return out;
}

TEST(HttpSource, FollowsTheCursorAndStaysOnTheLastPage) {
  ScriptedGetter getter = two_pages();
  RecordingSink sink;
  HttpSource source(cursor_config(), 2500, getter, sink, std::nullopt, "acme");
  PollReport report;
  source.poll(report);
  EXPECT_EQ(ids(sink), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(report.fetches, 2u);
  ASSERT_EQ(getter.requests.size(), 2u);
  EXPECT_EQ(getter.requests[0].timeout, 2500);
  EXPECT_EQ(getter.requests[0].headers[0].second, "Bearer t");
  EXPECT_EQ(source.position().url, kPage2Url);
  EXPECT_EQ(source.position().skip, 1u);
  EXPECT_EQ(nlohmann::json::parse(sink.lines[0])["tenant"], "acme");
}

TEST(HttpSource, ARestartFromTheSavedPositionReadsOnlyWhatIsNew) {
  ScriptedGetter getter = two_pages();
  RecordingSink first;
  {
    HttpSource source(cursor_config(), 1000, getter, first, std::nullopt, "acme");
    PollReport report;
    source.poll(report);
  }
  // The last page grew meanwhile; only the new record is read after the restart.
  getter.pages[kPage2Url] = {200, R"({"data": [{"id": "c", "state": "success"},
                                                {"id": "d", "state": "success"}]})"};
  RecordingSink second;
  HttpSource restarted(cursor_config(), 1000, getter, second, first.position, "acme");
  PollReport report;
  restarted.poll(report);
  EXPECT_EQ(ids(second), (std::vector<std::string>{"d"}));
  EXPECT_EQ(report.fetches, 1u) << "starts from the saved page, not the first";
  const int deliveries = second.deliveries;
  PollReport again;
  restarted.poll(again);
  EXPECT_EQ(ids(second).size(), 1u);
  EXPECT_EQ(second.deliveries, deliveries) << "nothing new: not even a position write";
}

TEST(HttpSource, AChangedUrlStartsOverFromIt) {
  ScriptedGetter getter;
  HttpSourceConfig config = cursor_config();
  const std::string saved = PagePosition{"http://old/x?after=9", 3, "http://old/x", {}}.encode();
  getter.pages[config.url] = {200, kPage2};
  RecordingSink sink;
  HttpSource source(config, 1000, getter, sink, saved, "acme");
  PollReport report;
  source.poll(report);
  EXPECT_EQ(getter.requests.at(0).url, config.url);
  EXPECT_EQ(ids(sink), (std::vector<std::string>{"c"}));
}

TEST(HttpSource, FollowsNextLinksRelativeOrAbsolute) {
  HttpSourceConfig config = cursor_config();
  config.cursor.clear();
  config.cursor_param.clear();
  config.next_url = "links.next";
  config.records = "";
  ScriptedGetter getter;
  getter.pages[config.url] = {200, R"([{"id": "a", "state": "success"}])"};
  RecordingSink sink;
  {
    HttpSource source(config, 1000, getter, sink, std::nullopt, "acme");
    PollReport report;
    source.poll(report);  // a bare array: no links, one page
  }
  config.records = "items";
  getter.pages[config.url] = {200, R"({"items": [{"id": "a", "state": "success"}],
                                       "links": {"next": "/runs?page=2"}})"};
  getter.pages["http://127.0.0.1:1/runs?page=2"] = {200, R"({"items": [], "links": {}})"};
  HttpSource source(config, 1000, getter, sink, std::nullopt, "acme");
  PollReport report;
  source.poll(report);
  EXPECT_EQ(source.position().url, "http://127.0.0.1:1/runs?page=2");
}

TEST(HttpSource, AFailedFetchThrowsAndKeepsThePosition) {
  ScriptedGetter getter;
  getter.pages[cursor_config().url] = {200, kPage1};
  getter.pages[kPage2Url] = {503, "busy"};
  RecordingSink sink;
  HttpSource source(cursor_config(), 1000, getter, sink, std::nullopt, "acme");
  PollReport report;
  EXPECT_THROW(source.poll(report), SourceError);
  EXPECT_EQ(ids(sink), (std::vector<std::string>{"a", "b"})) << "page 1 stays delivered";
  EXPECT_EQ(source.position().url, kPage2Url);
  EXPECT_EQ(report.records.stored, 2u);
  getter.pages[kPage2Url] = {200, "not json"};
  EXPECT_THROW(source.poll(report), SourceError);
  getter.pages[kPage2Url] = {200, R"({"data": {"not": "an array"}})"};
  EXPECT_THROW(source.poll(report), SourceError);
  EXPECT_EQ(source.position().url, kPage2Url);
}

TEST(HttpSource, AStoreFailureLeavesThePositionWhereItWas) {
  ScriptedGetter getter;
  getter.pages[cursor_config().url] = {200, kPage1};
  RecordingSink sink;
  sink.fail_next = true;
  HttpSource source(cursor_config(), 1000, getter, sink, std::nullopt, "acme");
  PollReport report;
  EXPECT_THROW(source.poll(report), std::runtime_error);
  EXPECT_EQ(source.position().url, cursor_config().url);
  EXPECT_EQ(source.position().skip, 0u);
}

TEST(HttpSource, StopsAtMaxPagesAndOnAnEmptyPage) {
  HttpSourceConfig config = cursor_config();
  config.max_pages = 2;
  ScriptedGetter getter;
  // Every page names another: only max_pages are read per poll.
  getter.pages[config.url] = {200, R"({"data": [{"id": "1", "state": "success"}],
                                       "meta": {"next": "2"}})"};
  getter.pages[config.url + "&after=2"] = {200, R"({"data": [{"id": "2", "state": "success"}],
                                                    "meta": {"next": "3"}})"};
  getter.pages[config.url + "&after=3"] = {200, R"({"data": [], "meta": {"next": "4"}})"};
  RecordingSink sink;
  HttpSource source(config, 1000, getter, sink, std::nullopt, "acme");
  PollReport report;
  source.poll(report);
  EXPECT_EQ(report.fetches, 2u);
  PollReport next;
  source.poll(next);
  EXPECT_EQ(next.fetches, 1u) << "an empty page ends the poll even when it names a next one";
  EXPECT_EQ(source.position().url, config.url + "&after=4");
}

// A names B and B names A: without memory of the pages passed, every poll read the cycle again
// and stored its records again (the records here have no id to catch that).
TEST(HttpSource, ANextLinkBackToAPagePassedIsNotFollowed) {
  HttpSourceConfig config = cursor_config();
  config.cursor.clear();
  config.cursor_param.clear();
  config.next_url = "next";
  config.mapping.fields.erase("id");
  const std::string b = "http://127.0.0.1:1/runs?page=b";
  ScriptedGetter getter;
  getter.pages[config.url] = {200, R"({"data": [{"state": "success"}], "next": "/runs?page=b"})"};
  getter.pages[b] = {200, R"({"data": [{"state": "error"}], "next": "/runs?limit=2"})"};
  RecordingSink sink;
  std::optional<std::string> saved;
  for (int poll = 0; poll < 3; ++poll) {
    HttpSource source(config, 1000, getter, sink, saved, "acme");  // a restart between polls
    PollReport report;
    source.poll(report);
    EXPECT_EQ(source.position().url, b) << poll;
    saved = source.position().encode();
  }
  EXPECT_EQ(sink.lines.size(), 2u) << "each record once";
  getter.pages[b] = {200, R"({"data": [{"state": "error"}, {"state": "success"}],
                              "next": "/runs?limit=2"})"};
  HttpSource source(config, 1000, getter, sink, saved, "acme");
  PollReport report;
  source.poll(report);
  EXPECT_EQ(sink.lines.size(), 3u) << "what is added to the page stayed on is still read";
}

TEST(HttpSource, APositionSavedBeforePagesPassedWereKeptStillDecodes) {
  const auto p = PagePosition::decode(R"({"url": "http://h/x", "skip": 3, "base": "http://h/"})");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->url, "http://h/x");
  EXPECT_EQ(p->skip, 3u);
  EXPECT_TRUE(p->passed.empty());
  PagePosition q{"http://h/y", 1, "http://h/", {"http://h/a", "http://h/b"}};
  const auto back = PagePosition::decode(q.encode());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->passed, q.passed);
}

TEST(HttpSource, AStopRequestEndsThePollAfterThePageBeingRead) {
  ScriptedGetter getter = two_pages();
  RecordingSink sink;
  HttpSource source(cursor_config(), 1000, getter, sink, std::nullopt, "acme");
  getter.on_get = [&] { source.request_stop(); };  // arrives while page 1 is being fetched
  PollReport report;
  source.poll(report);
  EXPECT_EQ(report.fetches, 1u);
  EXPECT_EQ(ids(sink), (std::vector<std::string>{"a", "b"})) << "page 1 is still delivered";
  EXPECT_EQ(source.position().url, kPage2Url);
}

TEST(HttpSource, ResolvesLinksAndEncodesParameters) {
  EXPECT_EQ(resolve_link("https://h:8/a/b?x=1", "/c?y=2"), "https://h:8/c?y=2");
  EXPECT_EQ(resolve_link("https://h:8/a/b?x=1", "?y=2"), "https://h:8/a/b?y=2");
  EXPECT_EQ(resolve_link("https://h/a", "https://other/b"), "https://other/b");
  EXPECT_EQ(resolve_link("https://h/a", "relative/b"), std::nullopt);
  EXPECT_EQ(resolve_link("https://h/a", "//evil/b"), std::nullopt);
  EXPECT_EQ(with_query_parameter("http://h/a", "c", "x y&z"), "http://h/a?c=x%20y%26z");
  EXPECT_EQ(with_query_parameter("http://h/a?l=1", "c", "1"), "http://h/a?l=1&c=1");
}

}  // namespace
}  // namespace vitals::sources
