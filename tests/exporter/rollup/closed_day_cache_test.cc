#include "rollup/closed_day_cache.h"

#include <gtest/gtest.h>

namespace vitals {
namespace {

constexpr TimeMs kDay = kMsPerDay;

RollupQuery query_of(std::vector<std::string> tenants) {
  RollupQuery q;
  q.filter.tenant_ids = std::move(tenants);
  return q;
}

// A result of `groups` groups, each holding one event with latency.
RollupResult sums_of(size_t groups, TimeMs time = 5 * kDay) {
  RollupResult out;
  for (size_t i = 0; i < groups; ++i) {
    Event e;
    e.time = time;
    e.latency_ms = 10.0 * double(i + 1);
    out[GroupKey{0, {"key-" + std::to_string(i)}}].add(e);
  }
  return out;
}

Event event_of(std::string tenant, TimeMs time) {
  Event e;
  e.tenant_id = std::move(tenant);
  e.time = time;
  return e;
}

TEST(ClosedDayCache, FindsOnlyTheSameQueryOverTheSameDays) {
  ClosedDayCache cache(1 << 20);
  const RollupQuery q = query_of({"t1"});
  EXPECT_EQ(cache.find(q, 2 * kDay, 9 * kDay), nullptr);
  cache.insert(q, 2 * kDay, 9 * kDay, sums_of(3));

  const ClosedDayCache::Sums hit = cache.find(q, 2 * kDay, 9 * kDay);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->size(), 3u);

  RollupQuery grouped = q;
  grouped.group_by = {Dimension::kKey};
  RollupQuery stepped = q;
  stepped.step = Step::kDay;
  RollupQuery filtered = q;
  filtered.filter.mode = "batch";
  RollupQuery by_status = q;
  by_status.filter.status = EventStatus::kSuccess;
  for (const RollupQuery& other :
       {grouped, stepped, filtered, by_status, query_of({"t2"}), query_of({"t1", "t2"})}) {
    EXPECT_EQ(cache.find(other, 2 * kDay, 9 * kDay), nullptr);
  }
  EXPECT_EQ(cache.find(q, 2 * kDay, 8 * kDay), nullptr);
  EXPECT_EQ(cache.find(q, 3 * kDay, 9 * kDay), nullptr);

  const ClosedDayCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 9u);
}

// Keys are written with lengths, so fields that read alike when joined stay apart.
TEST(ClosedDayCache, FiltersThatReadAlikeWhenJoinedAreDifferentKeys) {
  ClosedDayCache cache(1 << 20);
  cache.insert(query_of({"a,b"}), 0, kDay, sums_of(1));
  EXPECT_EQ(cache.find(query_of({"a", "b"}), 0, kDay), nullptr);

  RollupQuery empty_mode = query_of({"t1"});
  empty_mode.filter.mode = "";
  cache.insert(empty_mode, 0, kDay, sums_of(1));
  EXPECT_EQ(cache.find(query_of({"t1"}), 0, kDay), nullptr);

  RollupQuery type_x = query_of({"t1"});
  type_x.filter.type = "x";
  cache.insert(type_x, 0, kDay, sums_of(1));
  RollupQuery key_x = query_of({"t1"});
  key_x.filter.key = "x";
  EXPECT_EQ(cache.find(key_x, 0, kDay), nullptr);
}

TEST(ClosedDayCache, AnEventOfAnEntrysTenantInItsDaysDropsIt) {
  ClosedDayCache cache(1 << 20);
  const RollupQuery t1 = query_of({"t1"});
  const RollupQuery both = query_of({"t1", "t2"});
  const RollupQuery t3 = query_of({"t3"});
  cache.insert(t1, 2 * kDay, 9 * kDay, sums_of(1));
  cache.insert(both, 2 * kDay, 9 * kDay, sums_of(1));
  cache.insert(t3, 2 * kDay, 9 * kDay, sums_of(1));
  EXPECT_EQ(cache.end(), 9 * kDay);

  // Outside the days, or of another tenant: nothing changes.
  const Event before = event_of("t2", 2 * kDay - 1);
  const Event after = event_of("t2", 9 * kDay);
  const Event other = event_of("t4", 5 * kDay);
  for (const Event* e : {&before, &after, &other}) cache.forget(std::span(&e, 1));
  EXPECT_EQ(cache.stats().entries, 3u);

  const Event late = event_of("t2", 8 * kDay + 1);
  cache.forget(std::vector<const Event*>{&late});
  EXPECT_NE(cache.find(t1, 2 * kDay, 9 * kDay), nullptr);
  EXPECT_EQ(cache.find(both, 2 * kDay, 9 * kDay), nullptr);
  EXPECT_NE(cache.find(t3, 2 * kDay, 9 * kDay), nullptr);

  const Event first_day = event_of("t1", 2 * kDay);
  const Event on_t3 = event_of("t3", 3 * kDay);
  cache.forget(std::vector<const Event*>{&first_day, &on_t3});
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.end(), kNoTime);
}

// Events are taken by tenant and the span of their times: two events of a tenant on either
// side of an entry's days drop it too, which costs a read, never an answer.
TEST(ClosedDayCache, ATenantsEventsAroundAnEntrysDaysDropItToo) {
  ClosedDayCache cache(1 << 20);
  const RollupQuery q = query_of({"t1"});
  cache.insert(q, 2 * kDay, 9 * kDay, sums_of(1));
  const Event before = event_of("t1", kDay);
  const Event after = event_of("t1", 10 * kDay);
  cache.forget(std::vector<const Event*>{&before, &after});
  EXPECT_EQ(cache.find(q, 2 * kDay, 9 * kDay), nullptr);
}

TEST(ClosedDayCache, RetentionDropsEntriesThatStartBeforeItsCutoff) {
  ClosedDayCache cache(1 << 20);
  const RollupQuery q = query_of({"t1"});
  cache.insert(q, 2 * kDay, 9 * kDay, sums_of(1));
  cache.insert(q, 3 * kDay, 4 * kDay, sums_of(1));
  cache.forget_before(3 * kDay);
  EXPECT_EQ(cache.find(q, 2 * kDay, 9 * kDay), nullptr);
  EXPECT_NE(cache.find(q, 3 * kDay, 4 * kDay), nullptr);
  EXPECT_EQ(cache.end(), 4 * kDay);
  cache.clear();
  EXPECT_EQ(cache.find(q, 3 * kDay, 4 * kDay), nullptr);
}

TEST(ClosedDayCache, PastItsBoundTheLeastRecentlyUsedEntriesGo) {
  const RollupQuery q = query_of({"t1"});
  // Days 100 to 104: times of as many digits, so every entry's key is as long.
  auto day = [](TimeMs d) { return (100 + d) * kDay; };
  ClosedDayCache probe(1 << 20);
  probe.insert(q, day(0), day(1), sums_of(10));
  const size_t entry_bytes = probe.stats().bytes;
  ASSERT_GT(entry_bytes, 0u);

  ClosedDayCache cache(3 * entry_bytes);
  for (TimeMs d = 0; d < 3; ++d) cache.insert(q, day(d), day(d + 1), sums_of(10));
  EXPECT_EQ(cache.stats().bytes, 3 * entry_bytes);
  ASSERT_NE(cache.find(q, day(0), day(1)), nullptr);  // now the most recently used
  cache.insert(q, day(3), day(4), sums_of(10));
  EXPECT_NE(cache.find(q, day(0), day(1)), nullptr);
  EXPECT_EQ(cache.find(q, day(1), day(2)), nullptr);
  EXPECT_NE(cache.find(q, day(2), day(3)), nullptr);
  EXPECT_NE(cache.find(q, day(3), day(4)), nullptr);
  EXPECT_EQ(cache.stats().bytes, 3 * entry_bytes);

  // Sums bigger than the whole bound are answered but not kept.
  const ClosedDayCache::Sums big = cache.insert(q, day(5), day(6), sums_of(100));
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->size(), 100u);
  EXPECT_EQ(cache.find(q, day(5), day(6)), nullptr);
  EXPECT_EQ(cache.stats().entries, 3u);
}

TEST(ClosedDayCache, ACacheOfNoBytesKeepsNothing) {
  ClosedDayCache cache(0);
  const RollupQuery q = query_of({"t1"});
  cache.insert(q, 0, kDay, RollupResult{});
  EXPECT_EQ(cache.find(q, 0, kDay), nullptr);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(ClosedDayCache, InsertingTheSameDaysAgainReplacesTheEntry) {
  ClosedDayCache cache(1 << 20);
  const RollupQuery q = query_of({"t1"});
  cache.insert(q, 0, kDay, sums_of(1));
  cache.insert(q, 0, kDay, sums_of(2));
  EXPECT_EQ(cache.stats().entries, 1u);
  EXPECT_EQ(cache.find(q, 0, kDay)->size(), 2u);
}

}  // namespace
}  // namespace vitals
