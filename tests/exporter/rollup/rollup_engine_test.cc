#include "rollup/rollup_engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/time_format.h"
#include "support/events_in_memory.h"
#include "support/same_aggregate.h"

namespace vitals {
namespace {

const TimeMs kRollupNow = *parse_rfc3339("2026-03-04T10:17:23.456Z");

Aggregate brute_force(const std::vector<StoredEvent>& events, const std::string& tenant,
                      TimeMs from, TimeMs to, std::optional<std::string> type = {}) {
  Aggregate agg;
  for (const auto& s : events) {
    const Event& e = s.event;
    if (e.tenant_id == tenant && e.time >= from && e.time < to && (!type || *type == e.type)) {
      agg.add(e);
    }
  }
  return agg;
}

void expect_same_counts(const Aggregate& got, const Aggregate& want) {
  EXPECT_EQ(got.by_status, want.by_status);
  EXPECT_EQ(got.latency.count(), want.latency.count());
  EXPECT_NEAR(got.latency_sum, want.latency_sum, 1e-6 * std::max(1.0, want.latency_sum));
  EXPECT_EQ(got.item("rows"), want.item("rows"));
  EXPECT_EQ(got.last_time, want.last_time);
  EXPECT_EQ(got.last_success, want.last_success);
  EXPECT_EQ(got.last_failure, want.last_failure);
}

class RollupEngineTest : public ::testing::Test {
 protected:
  RollupEngineTest()
      : engine_({35 * kMsPerDay, 2 * kMsPerDay}, testing::reader_over(events_),
                kRollupNow - 40 * kMsPerDay) {}

  void load(std::vector<StoredEvent> events) {
    events_ = std::move(events);
    engine_.apply(events_);
    engine_.expire(kRollupNow);
  }

  Aggregate total(const std::string& tenant, TimeMs from, TimeMs to) {
    RollupQuery q;
    q.filter.tenant_ids = {tenant};
    q.from = from;
    q.to = to;
    auto result = engine_.query(q);
    return result.empty() ? Aggregate{} : result.begin()->second;
  }

  std::vector<StoredEvent> events_;
  RollupEngine engine_;
};

TEST_F(RollupEngineTest, UnalignedWindowsMatchBruteForce) {
  load(testing::random_events(20000, kRollupNow, 30 * kMsPerDay, 1));
  // Windows with ragged edges inside the minute tier, the hour tier and across both.
  const std::vector<std::pair<TimeMs, TimeMs>> windows = {
      {kRollupNow - 30 * kMsPerDay, kRollupNow},
      {kRollupNow - kMsPerDay, kRollupNow},
      {kRollupNow - 7 * kMsPerDay + 12345, kRollupNow - 3 * kMsPerDay - 999},
      {kRollupNow - 90 * kMsPerMinute - 17, kRollupNow - 30 * kMsPerSecond},
      {kRollupNow - 10 * kMsPerSecond, kRollupNow + 5 * kMsPerMinute},
      {kRollupNow - 25 * kMsPerDay - 1, kRollupNow - 25 * kMsPerDay + 1},
  };
  for (const auto& [from, to] : windows) {
    for (const std::string tenant : {"t1", "t2"}) {
      SCOPED_TRACE(format_rfc3339(from) + " .. " + format_rfc3339(to) + " " + tenant);
      expect_same_counts(total(tenant, from, to), brute_force(events_, tenant, from, to));
    }
  }
}

TEST_F(RollupEngineTest, GroupingAndFiltersMatchBruteForce) {
  load(testing::random_events(5000, kRollupNow, 10 * kMsPerDay, 2));
  RollupQuery q;
  q.filter.tenant_ids = {"t1"};
  q.filter.mode = "batch";
  q.from = kRollupNow - 9 * kMsPerDay - 7;
  q.to = kRollupNow;
  q.group_by = {Dimension::kType};
  const auto result = engine_.query(q);
  ASSERT_EQ(result.size(), 3u);
  for (const auto& [group, agg] : result) {
    Aggregate want;
    for (const auto& s : events_) {
      const Event& e = s.event;
      if (e.tenant_id == "t1" && e.mode == "batch" && e.type == group.labels[0] &&
          e.time >= q.from && e.time < q.to) {
        want.add(e);
      }
    }
    SCOPED_TRACE(group.labels[0]);
    expect_same_counts(agg, want);
  }
}

TEST_F(RollupEngineTest, KeyFilteredQueriesUseTheKeyIndexAndMatchBruteForce) {
  load(testing::random_events(5000, kRollupNow, 10 * kMsPerDay, 7));
  for (const std::string key : {"a", "d", "missing"}) {
    RollupQuery q;
    q.filter.tenant_ids = {"t1", "t2"};
    q.filter.key = key;
    q.from = kRollupNow - 9 * kMsPerDay - 7;
    q.to = kRollupNow;
    q.group_by = {Dimension::kTenant};
    const auto result = engine_.query(q);
    for (const std::string tenant : {"t1", "t2"}) {
      Aggregate want;
      for (const auto& s : events_) {
        const Event& e = s.event;
        if (e.tenant_id == tenant && e.key == key && e.time >= q.from && e.time < q.to) want.add(e);
      }
      auto it = result.find(GroupKey{0, {tenant}});
      SCOPED_TRACE(tenant + "/" + key);
      expect_same_counts(it == result.end() ? Aggregate{} : it->second, want);
    }
  }
  engine_.expire(kRollupNow + 40 * kMsPerDay);  // removing every series also empties the key index
  RollupQuery q;
  q.filter.tenant_ids = {"t1"};
  q.filter.key = "a";
  q.from = 0;
  q.to = kRollupNow + 50 * kMsPerDay;
  EXPECT_TRUE(engine_.query(q).empty());
}

TEST_F(RollupEngineTest, StepBucketsMatchBruteForceForEveryStep) {
  load(testing::random_events(8000, kRollupNow, 20 * kMsPerDay, 3));
  for (Step step : {Step::kMinute, Step::kHour, Step::kDay, Step::kWeek}) {
    RollupQuery q;
    q.filter.tenant_ids = {"t2"};
    q.to = floor_to(kRollupNow, kMsPerDay) + kMsPerDay;
    q.from = step == Step::kMinute ? q.to - 2 * kMsPerDay : q.to - 14 * kMsPerDay;
    q.step = step;
    std::map<TimeMs, Aggregate> want;
    for (const auto& s : events_) {
      const Event& e = s.event;
      if (e.tenant_id == "t2" && e.time >= q.from && e.time < q.to) {
        want[step_floor(e.time, step)].add(e);
      }
    }
    const auto result = engine_.query(q);
    ASSERT_EQ(result.size(), want.size());
    for (const auto& [group, agg] : result) {
      SCOPED_TRACE(format_rfc3339(group.bucket));
      ASSERT_TRUE(want.count(group.bucket));
      expect_same_counts(agg, want[group.bucket]);
    }
  }
}

// Each query below is answered from a different projection (tenant alone, by key, by mode, by
// status and category, or the full table) in day, hour and minute buckets; every one must give
// what the events themselves give.
TEST_F(RollupEngineTest, EveryProjectionAndTierMatchesBruteForce) {
  load(testing::random_events(20000, kRollupNow, 30 * kMsPerDay, 8));
  struct Case {
    std::vector<Dimension> group_by;
    std::optional<std::string> key;
    std::optional<std::string> mode;
    Step step;
  };
  const std::vector<Case> cases = {
      {{}, {}, {}, Step::kNone},
      {{}, {}, {}, Step::kDay},
      {{Dimension::kKey}, {}, {}, Step::kNone},
      {{Dimension::kMode}, {}, {}, Step::kWeek},
      {{Dimension::kCategory}, {}, {}, Step::kNone},
      {{Dimension::kStatus}, {}, {}, Step::kHour},
      {{Dimension::kMode}, "b", {}, Step::kNone},
      {{Dimension::kCategory}, "c", "batch", Step::kDay},
      {{Dimension::kType, Dimension::kKey}, {}, "realtime", Step::kNone},
  };
  const std::vector<std::pair<TimeMs, TimeMs>> windows = {
      {floor_to(kRollupNow, kMsPerDay) - 20 * kMsPerDay, floor_to(kRollupNow, kMsPerDay)},
      {kRollupNow - 30 * kMsPerDay, kRollupNow},
      {kRollupNow - 3 * kMsPerDay - 12345, kRollupNow - 61 * kMsPerMinute},
  };
  for (const Case& c : cases) {
    for (const auto& [from, to] : windows) {
      RollupQuery q;
      q.filter.tenant_ids = {"t1"};
      q.filter.key = c.key;
      q.filter.mode = c.mode;
      q.from = from;
      q.to = to;
      q.group_by = c.group_by;
      q.step = c.step;
      std::map<GroupKey, Aggregate> want;
      for (const auto& s : events_) {
        const Event& e = s.event;
        const SeriesKey key = SeriesKey::of(e);
        if (e.tenant_id != "t1" || e.time < from || e.time >= to || !q.filter.matches(key))
          continue;
        GroupKey group{step_floor(e.time, c.step), {}};
        for (Dimension d : c.group_by) group.labels.emplace_back(key.get(d));
        want[group].add(e);
      }
      const auto got = engine_.query(q);
      SCOPED_TRACE(std::to_string(&c - cases.data()) + " " + format_rfc3339(from) + " .. " +
                   format_rfc3339(to));
      ASSERT_EQ(got.size(), want.size());
      for (const auto& [group, agg] : got) {
        ASSERT_TRUE(want.count(group));
        expect_same_counts(agg, want[group]);
        EXPECT_EQ(agg.latency.quantile(0.95), want[group].latency.quantile(0.95));
      }
    }
  }
}

TEST_F(RollupEngineTest, WeeksStartOnMondayAcrossYearBoundary) {
  // 2025-12-29 is a Monday; the week holds the turn of the year.
  const TimeMs monday = *parse_rfc3339("2025-12-29T00:00:00Z");
  EXPECT_EQ(step_floor(*parse_rfc3339("2026-01-01T13:00:00Z"), Step::kWeek), monday);
  EXPECT_EQ(step_floor(*parse_rfc3339("2026-01-04T23:59:59.999Z"), Step::kWeek), monday);
  EXPECT_EQ(step_floor(*parse_rfc3339("2026-01-05T00:00:00Z"), Step::kWeek),
            monday + 7 * kMsPerDay);
  EXPECT_EQ(step_floor(*parse_rfc3339("1969-12-31T12:00:00Z"), Step::kWeek),
            *parse_rfc3339("1969-12-29T00:00:00Z"));
}

TEST_F(RollupEngineTest, RawEdgesOnlySeeAppliedEvents) {
  auto events = testing::random_events(100, kRollupNow, kMsPerHour, 4);
  events_ = events;
  std::vector<StoredEvent> first_half(events.begin(), events.begin() + 50);
  engine_.apply(first_half);
  // The reader holds all 100, but the engine must read only what it has applied (seq <= 50),
  // or a window would count an event twice once the rest arrives.
  const auto got = total("t1", kRollupNow - 2 * kMsPerHour, kRollupNow + 10 * kMsPerMinute);
  std::vector<StoredEvent> applied(events.begin(), events.begin() + 50);
  expect_same_counts(
      got, brute_force(applied, "t1", kRollupNow - 2 * kMsPerHour, kRollupNow + 10 * kMsPerMinute));
}

TEST_F(RollupEngineTest, ExpireDropsOldBucketsAndEmptySeries) {
  load(testing::random_events(2000, kRollupNow, 30 * kMsPerDay, 5));
  const size_t before = engine_.bucket_count();
  engine_.expire(kRollupNow + 34 * kMsPerDay);
  EXPECT_LT(engine_.bucket_count(), before);
  engine_.expire(kRollupNow + 40 * kMsPerDay);
  EXPECT_EQ(engine_.bucket_count(), 0u);
  EXPECT_EQ(engine_.series_count(), 0u);
}

TEST_F(RollupEngineTest, QueriesNeverCrossTenants) {
  load(testing::random_events(1000, kRollupNow, kMsPerDay, 6));
  RollupQuery q;
  q.filter.tenant_ids = {"t1"};
  q.from = kRollupNow - 2 * kMsPerDay;
  q.to = kRollupNow + kMsPerHour;
  q.group_by = {Dimension::kTenant};
  const auto result = engine_.query(q);
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result.begin()->first.labels[0], "t1");
  q.filter.tenant_ids = {"nobody"};
  EXPECT_TRUE(engine_.query(q).empty());
}

TEST_F(RollupEngineTest, LastSeenIsTheLatestSuccessAndFailureOfEachIntegration) {
  load(testing::random_events(5000, kRollupNow, 20 * kMsPerDay, 8));
  std::map<RollupEngine::IntegrationId, RollupEngine::LastSeen> want;
  for (const auto& s : events_) {
    const Event& e = s.event;
    if (e.tenant_id != "t1") continue;
    auto& seen = want[{e.tenant_id, e.type, e.key}];
    TimeMs& latest = is_failure(e.status) ? seen.failure : seen.success;
    latest = std::max(latest, e.time);
  }
  RollupFilter t1;
  t1.tenant_ids = {"t1"};
  const auto got = engine_.last_seen(t1, kRollupNow - 30 * kMsPerDay, kRollupNow + kMsPerHour);
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [id, seen] : want) {
    ASSERT_TRUE(got.contains(id)) << id[1] << "/" << id[2];
    EXPECT_EQ(got.at(id).success, seen.success);
    EXPECT_EQ(got.at(id).failure, seen.failure);
  }
}

Event series_event(std::string tenant, std::string key, std::string mode = "default",
                   EventStatus status = EventStatus::kSuccess, TimeMs time = kRollupNow) {
  Event e;
  e.tenant_id = std::move(tenant);
  e.type = "sync_run";
  e.key = std::move(key);
  e.mode = std::move(mode);
  e.status = status;
  e.time = time;
  if (status != EventStatus::kSuccess) e.error_category = "timeout";
  return e;
}

TEST_F(RollupEngineTest, ASeriesLimitRefusesOnlyEventsThatWouldStartASeriesPastIt) {
  std::vector<StoredEvent> held;
  for (int k = 0; k < 3; ++k) held.push_back({k + 1, series_event("t1", "k" + std::to_string(k))});
  load(held);
  const std::vector<Event> batch = {
      series_event("t1", "k0"),           // held: always taken
      series_event("t1", "new-a"),        // the 4th series: room for it
      series_event("t1", "new-a"),        // the same new series again
      series_event("t1", "new-b"),        // the 5th: past a limit of 4
      series_event("t1", "k1", "batch"),  // a new mode is a new series
      series_event("t1", "k2", "default", EventStatus::kVendorError),  // so is a new status
      series_event("t2", "k0"),  // another tenant has its own room
  };
  EXPECT_EQ(engine_.past_series_limit(batch, 4), (std::vector<size_t>{3, 4, 5}));
  EXPECT_EQ(engine_.past_series_limit(batch, 3), (std::vector<size_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(engine_.past_series_limit(batch, 7).empty());
}

TEST_F(RollupEngineTest, OnlyATenantWithFewerFreeSeriesThanEventsMayReachItsLimit) {
  std::vector<StoredEvent> held;
  for (int k = 0; k < 3; ++k) held.push_back({k + 1, series_event("t1", "k" + std::to_string(k))});
  load(held);
  EXPECT_FALSE(engine_.may_reach_series_limit({{"t1", 1}, {"t2", 1}}, 5)) << "3 held + 1 < 5";
  EXPECT_TRUE(engine_.may_reach_series_limit({{"t1", 2}, {"t2", 2}}, 5)) << "t1: 3 held + 2";
  EXPECT_TRUE(engine_.may_reach_series_limit({{"t1", 1}}, 4));
  EXPECT_FALSE(engine_.may_reach_series_limit({{"t1", 2}, {"t2", 5}}, 6));
  EXPECT_TRUE(engine_.may_reach_series_limit({{"t2", 6}}, 6)) << "a tenant with none held";
}

TEST_F(RollupEngineTest, ExpiredSeriesMakeRoomUnderTheSeriesLimit) {
  load({{1,
         series_event("t1", "old", "default", EventStatus::kSuccess, kRollupNow - 30 * kMsPerDay)},
        {2, series_event("t1", "recent")}});
  const std::vector<Event> batch = {series_event("t1", "new")};
  EXPECT_EQ(engine_.past_series_limit(batch, 2), (std::vector<size_t>{0}));
  engine_.expire(kRollupNow + 6 * kMsPerDay);  // the old series' buckets leave the 35-day retention
  EXPECT_TRUE(engine_.past_series_limit(batch, 2).empty());
}

// Edges within the recent horizon come from the events kept in memory; older ones from the
// store. Both must answer as brute force does.
class RecentEdgesTest : public ::testing::Test {
 protected:
  explicit RecentEdgesTest(size_t max_recent = 1'000'000)
      : engine_(
            options(max_recent),
            [this](const RawScan& scan, const std::function<void(const Event&)>& visit) {
              ++store_reads_;
              testing::reader_over(events_)(scan, visit);
            },
            kRollupNow - 40 * kMsPerDay) {}

  static RollupOptions options(size_t max_recent) {
    RollupOptions o{35 * kMsPerDay, 2 * kMsPerDay};
    o.recent_horizon = kMsPerHour;
    o.max_recent_events = max_recent;
    return o;
  }

  // 4,000 events over the last 2 hours, dense enough that every edge holds some.
  void load() {
    events_ = testing::random_events(4000, kRollupNow, 2 * kMsPerHour, 11);
    engine_.apply(events_);
    engine_.expire(kRollupNow);
  }

  // The answer for tenant t1 over [from, to), checked against brute force; returns how many
  // times the store was read for it.
  int expect_exact(TimeMs from, TimeMs to) {
    SCOPED_TRACE(format_rfc3339(from) + " .. " + format_rfc3339(to));
    RollupQuery q;
    q.filter.tenant_ids = {"t1"};
    q.from = from;
    q.to = to;
    const int before = store_reads_;
    const RollupResult r = engine_.query(q);
    const Aggregate want = brute_force(events_, "t1", from, to);
    EXPECT_GT(want.total(), 0u);
    expect_same_counts(r.empty() ? Aggregate{} : r.begin()->second, want);
    return store_reads_ - before;
  }

  std::vector<StoredEvent> events_;
  int store_reads_ = 0;
  RollupEngine engine_;
};

TEST_F(RecentEdgesTest, EdgesWithinTheHorizonAreReadFromMemory) {
  load();
  const RollupEngine::RecentState state = engine_.recent_state();
  EXPECT_EQ(state.since, kRollupNow - kMsPerHour);
  EXPECT_GT(state.held, 1000u);
  EXPECT_EQ(state.bound_hits, 0u);
  EXPECT_EQ(expect_exact(kRollupNow - 50 * kMsPerMinute + 1234, kRollupNow - 17), 0);
  EXPECT_EQ(expect_exact(kRollupNow - 10 * kMsPerMinute - 999, kRollupNow + 3 * kMsPerMinute), 0);
  EXPECT_EQ(expect_exact(kRollupNow - 30 * kMsPerSecond, kRollupNow - 20 * kMsPerSecond), 0);
}

TEST_F(RecentEdgesTest, EdgesOlderThanTheHorizonAreReadFromTheStore) {
  load();
  EXPECT_GT(expect_exact(kRollupNow - 100 * kMsPerMinute + 1234, kRollupNow - 17), 0);
}

class BoundedRecentEdgesTest : public RecentEdgesTest {
 protected:
  BoundedRecentEdgesTest() : RecentEdgesTest(100) {}
};

TEST_F(BoundedRecentEdgesTest, PastTheBoundTheOldestGoAndTheirEdgesComeFromTheStore) {
  load();
  // 4,000 events against a bound of 100: what is kept is the latest few minutes.
  const RollupEngine::RecentState state = engine_.recent_state();
  EXPECT_LE(state.held, 100u);
  EXPECT_GT(state.bound_hits, 0u);
  EXPECT_GT(state.since, kRollupNow);
  EXPECT_GT(expect_exact(kRollupNow - 50 * kMsPerMinute + 1234, kRollupNow - 17), 0);
  EXPECT_EQ(expect_exact(kRollupNow + 210 * kMsPerSecond + 1234, kRollupNow + 4 * kMsPerMinute), 0);
}

// The closed-day cache must never change an answer: an engine with it and one without it are
// given the same events, late ones into days already cached among them, and the same
// retention, and must answer every query alike.
class ClosedDayCacheInEngineTest : public ::testing::Test {
 protected:
  ClosedDayCacheInEngineTest()
      : cached_(options(32 << 20), testing::reader_over(events_), kRollupNow - 40 * kMsPerDay),
        uncached_(options(0), testing::reader_over(events_), kRollupNow - 40 * kMsPerDay) {}

  static RollupOptions options(size_t cache_bytes) {
    RollupOptions o{35 * kMsPerDay, 2 * kMsPerDay};
    o.closed_day_cache_bytes = cache_bytes;
    return o;
  }

  // Applies `events` to both engines, numbered after those applied before.
  void apply(std::vector<StoredEvent> events) {
    for (size_t i = 0; i < events.size(); ++i) {
      events[i].seq = static_cast<std::int64_t>(events_.size() + i + 1);
    }
    events_.insert(events_.end(), events.begin(), events.end());
    cached_.apply(events);
    uncached_.apply(events);
  }

  void expire(TimeMs now) {
    cached_.expire(now);
    uncached_.expire(now);
  }

  // Whole days, ragged windows and a window of the month before, every step, several
  // groupings and filters, each tenant alone and both together.
  static std::vector<RollupQuery> probes() {
    const TimeMs today = floor_to(kRollupNow, kMsPerDay);
    const std::vector<std::pair<TimeMs, TimeMs>> windows = {
        {today - 20 * kMsPerDay, today},
        {kRollupNow - 30 * kMsPerDay, kRollupNow},
        {kRollupNow - 29 * kMsPerDay - 12345, kRollupNow - 67890},
        {kRollupNow - 60 * kMsPerDay, kRollupNow - 30 * kMsPerDay},
    };
    const std::vector<std::vector<Dimension>> groupings = {
        {}, {Dimension::kKey}, {Dimension::kMode}, {Dimension::kStatus, Dimension::kCategory}};
    std::vector<RollupQuery> out;
    for (const auto& [from, to] : windows) {
      for (const auto& group_by : groupings) {
        for (Step step : {Step::kNone, Step::kHour, Step::kDay, Step::kWeek}) {
          for (const std::vector<std::string>& tenants :
               {std::vector<std::string>{"t1"}, {"t2"}, {"t1", "t2"}}) {
            RollupQuery q;
            q.filter.tenant_ids = tenants;
            q.from = from;
            q.to = to;
            q.group_by = group_by;
            q.step = step;
            out.push_back(q);
          }
        }
      }
      RollupQuery filtered;
      filtered.filter.tenant_ids = {"t1"};
      filtered.filter.key = "b";
      filtered.filter.mode = "batch";
      filtered.from = from;
      filtered.to = to;
      out.push_back(filtered);
      RollupQuery failures = filtered;
      failures.filter = RollupFilter();
      failures.filter.tenant_ids = {"t1", "t2"};
      failures.filter.status = EventStatus::kVendorError;
      failures.filter.category = "timeout";
      failures.step = Step::kDay;
      out.push_back(failures);
    }
    // Minute steps read the minute tier (its last two days here), whose whole days are cached
    // too.
    for (const std::vector<Dimension>& group_by : {std::vector<Dimension>{}, {Dimension::kKey}}) {
      RollupQuery q;
      q.filter.tenant_ids = {"t1"};
      q.from = today - kMsPerDay;
      q.to = kRollupNow;
      q.group_by = group_by;
      q.step = Step::kMinute;
      out.push_back(q);
    }
    return out;
  }

  void expect_same_answers() {
    for (const RollupQuery& q : probes()) {
      SCOPED_TRACE(format_rfc3339(q.from) + " .. " + format_rfc3339(q.to) + " step " +
                   std::to_string(static_cast<int>(q.step)) + ", " +
                   std::to_string(q.group_by.size()) + " dimensions, " +
                   std::to_string(q.filter.tenant_ids.size()) + " tenants");
      testing::expect_same_result(cached_.query(q), uncached_.query(q), 1e-9);
    }
  }

  Aggregate total(const RollupEngine& engine, TimeMs from, TimeMs to) const {
    RollupFilter filter;
    filter.tenant_ids = {"t1"};
    return engine.total(filter, from, to);
  }

  std::vector<StoredEvent> events_;
  RollupEngine cached_;
  RollupEngine uncached_;
};

TEST_F(ClosedDayCacheInEngineTest, CachedSumsAnswerAsTheBucketsThroughLateEventsAndRetention) {
  apply(testing::random_events(20000, kRollupNow, 30 * kMsPerDay, 21));
  expire(kRollupNow);
  expect_same_answers();
  const ClosedDayCache::Stats filled = cached_.closed_day_cache_stats();
  ASSERT_GT(filled.entries, 0u);
  EXPECT_EQ(uncached_.closed_day_cache_stats().entries, 0u);

  expect_same_answers();
  EXPECT_GT(cached_.closed_day_cache_stats().hits, filled.hits) << "answered from the cache";

  // Late events, all in days the cache holds and more than one lock's worth of them: the next
  // answers count them.
  const TimeMs today = floor_to(kRollupNow, kMsPerDay);
  const std::uint64_t before = total(cached_, today - 20 * kMsPerDay, today).total();
  apply(testing::random_events(5000, today - kMsPerDay - 5 * kMsPerMinute, 18 * kMsPerDay, 22));
  EXPECT_GT(total(cached_, today - 20 * kMsPerDay, today).total(), before);
  expect_same_answers();

  // Retention reaching into the cached days.
  expire(kRollupNow + 10 * kMsPerDay);
  expect_same_answers();
  expire(kRollupNow + 40 * kMsPerDay);
  EXPECT_EQ(cached_.closed_day_cache_stats().entries, 0u);
  expect_same_answers();
}

// The day still receiving events is never cached: a query repeated while they arrive counts
// each one.
TEST_F(ClosedDayCacheInEngineTest, TheNewestDayIsReadFromItsBucketsEveryTime) {
  apply(testing::random_events(2000, kRollupNow, 10 * kMsPerDay, 23));
  const TimeMs today = floor_to(kRollupNow, kMsPerDay);
  const TimeMs from = today - 5 * kMsPerDay;
  const TimeMs to = today + kMsPerDay;
  const std::uint64_t first = total(cached_, from, to).total();
  auto more = testing::random_events(100, kRollupNow - kMsPerHour, kMsPerMinute, 24);
  apply(more);
  const ClosedDayCache::Stats stats = cached_.closed_day_cache_stats();
  const auto of_t1 = std::count_if(more.begin(), more.end(),
                                   [](const StoredEvent& s) { return s.event.tenant_id == "t1"; });
  ASSERT_GT(of_t1, 0);
  EXPECT_EQ(total(cached_, from, to).total(), first + static_cast<std::uint64_t>(of_t1));
  EXPECT_GT(cached_.closed_day_cache_stats().hits, stats.hits) << "the past days still cached";
}

}  // namespace
}  // namespace vitals
