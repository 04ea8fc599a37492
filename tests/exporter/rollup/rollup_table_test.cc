#include "rollup/rollup_table.h"

#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <tuple>

#include "core/time_format.h"
#include "support/events_in_memory.h"

namespace vitals {
namespace {

const TimeMs kTableNow = *parse_rfc3339("2026-03-04T10:17:23.456Z");
const std::array<TimeMs, kTiers.size()> kCutoffs = {
    kTableNow - 10 * kMsPerDay, kTableNow - 10 * kMsPerDay, kTableNow - 10 * kMsPerDay};

RollupTable full_table() {
  return RollupTable(kAllDimensions, {Tier::kHour, Tier::kMinute});
}

void add(RollupTable& table, const std::vector<StoredEvent>& events) {
  for (const StoredEvent& e : events) {
    table.add(HashedEvent(e.event), kTableNow - 40 * kMsPerDay, kTableNow + kMsPerDay);
  }
}

// A whole pass, or parts of `max_series` until it is done; returns the parts taken.
int expire(RollupTable& table, size_t max_series = std::numeric_limits<size_t>::max()) {
  int parts = 0;
  for (RollupTable::ExpiryCursor next;;) {
    ++parts;
    if (table.expire_some(kCutoffs, kNoTime, next, max_series)) return parts;
  }
}

// Every series of both tenants with its buckets' starts, tier by tier.
std::set<std::tuple<std::string, std::string, std::string, std::string, std::vector<TimeMs>>>
contents(const RollupTable& table) {
  RollupFilter filter;
  filter.tenant_ids = {"t1", "t2"};
  std::set<std::tuple<std::string, std::string, std::string, std::string, std::vector<TimeMs>>> out;
  for (const RollupTable::Series* s : table.matching(filter)) {
    std::vector<TimeMs> starts;
    for (const BucketList& tier : s->tiers) {
      for (const BucketList::Bucket& b : tier.all()) starts.push_back(b.start);
      starts.push_back(-1);
    }
    out.emplace(s->key.tenant_id, s->key.type + "/" + s->key.key, s->key.mode,
                std::string(status_name(s->key.status)) + "/" + s->key.category, starts);
  }
  return out;
}

TEST(RollupTable, ARetentionPassInPartsDropsWhatOnePassDrops) {
  const auto events = testing::random_events(3000, kTableNow, 20 * kMsPerDay, 31);
  RollupTable whole = full_table();
  RollupTable in_parts = full_table();
  add(whole, events);
  add(in_parts, events);
  const size_t buckets_before = whole.bucket_count();
  const size_t series_before = whole.series_count();
  ASSERT_EQ(expire(whole), 1);
  EXPECT_GT(expire(in_parts, 7), 10);
  // Old buckets went, and series left with none.
  EXPECT_LT(whole.bucket_count(), buckets_before);
  EXPECT_LT(whole.series_count(), series_before);
  EXPECT_GT(whole.bucket_count(), 0u);
  EXPECT_EQ(in_parts.series_count(), whole.series_count());
  EXPECT_EQ(in_parts.bucket_count(), whole.bucket_count());
  EXPECT_EQ(contents(in_parts), contents(whole));
}

// Series that arrive between the parts of a pass (as batches do while the lock is free) may be
// visited or not; the next pass leaves the table as one pass after all of them would.
TEST(RollupTable, SeriesAddedBetweenPartsAreExpiredByThisPassOrTheNext) {
  const auto first = testing::random_events(1500, kTableNow, 20 * kMsPerDay, 32);
  auto later = testing::random_events(1500, kTableNow, 20 * kMsPerDay, 33);
  for (StoredEvent& e : later) e.event.key += "-new";  // new series, which may rehash the set
  RollupTable in_parts = full_table();
  add(in_parts, first);
  RollupTable::ExpiryCursor next;
  size_t added = 0;
  while (!in_parts.expire_some(kCutoffs, kNoTime, next, 5)) {
    const size_t more = std::min<size_t>(100, later.size() - added);
    add(in_parts, {later.begin() + added, later.begin() + added + more});
    added += more;
  }
  add(in_parts, {later.begin() + added, later.end()});
  expire(in_parts);

  RollupTable whole = full_table();
  add(whole, first);
  add(whole, later);
  expire(whole);
  EXPECT_EQ(contents(in_parts), contents(whole));
  EXPECT_EQ(in_parts.bucket_count(), whole.bucket_count());
}

Event series_event(const std::string& key, TimeMs time) {
  Event e;
  e.tenant_id = "t1";
  e.type = "sync";
  e.key = key;
  e.mode = "default";
  e.time = time;
  return e;
}

// A growing set moves every series; one pushed past the pass's slot by its probe run may move
// back behind it. The pass must still drop every series that had expired when it began, or
// they count against the tenant's series limit until the next pass.
TEST(RollupTable, ASetThatGrowsBetweenPartsStillLosesEveryExpiredSeries) {
  for (int round = 0; round < 200; ++round) {
    RollupTable table = full_table();
    std::vector<StoredEvent> events;
    for (int i = 0; i < 23; ++i) {  // 23 series in 32 slots, every other one expired
      const bool expired = i % 2 == 1;
      const std::string key = (expired ? "old-" : "live-") + std::to_string(round * 100 + i);
      events.push_back({i + 1, series_event(key, kTableNow - (expired ? 20 : 0) * kMsPerDay)});
    }
    add(table, events);
    RollupTable::ExpiryCursor cursor;
    bool done = false;
    while (!done && cursor.next_slot < 16) done = table.expire_some(kCutoffs, kNoTime, cursor, 2);
    std::vector<StoredEvent> fresh;
    for (int i = 0; i < 30; ++i) {  // enough to grow the set
      fresh.push_back({1000 + i, series_event("new-" + std::to_string(i), kTableNow)});
    }
    add(table, fresh);
    while (!done) done = table.expire_some(kCutoffs, kNoTime, cursor, 2);

    RollupFilter filter;
    filter.tenant_ids = {"t1"};
    for (const RollupTable::Series* s : table.matching(filter)) {
      EXPECT_NE(s->key.key.rfind("old-", 0), 0u) << "round " << round << ": " << s->key.key;
    }
    EXPECT_EQ(table.series_count(), 12u + 30u) << "round " << round;
  }
}

}  // namespace
}  // namespace vitals
