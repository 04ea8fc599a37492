#include "store/event_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace vitals {
namespace {

class EventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vitals-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    path_ = (dir_ / "nested" / "vitals.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static Event event(std::string tenant, TimeMs time, std::string id = "") {
    Event e;
    e.tenant_id = std::move(tenant);
    e.type = "webhook";
    e.key = "salesforce";
    e.mode = "default";
    e.status = EventStatus::kVendorError;
    e.time = time;
    e.latency_ms = 12.5;
    e.error_category = "timeout";
    e.error_message = "upstream timed out";
    e.counts = {{"evaluations", 3}, {"custom_events", 0}};
    e.id = std::move(id);
    return e;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(EventStoreTest, CreatesTheDatabaseAndMigratesToTheLatestSchema) {
  EventStore store(path_);
  EXPECT_TRUE(std::filesystem::exists(path_));
  EXPECT_EQ(store.schema_version(), 10);  // events … source positions, events by time
  EXPECT_EQ(store.count(), 0);
}

TEST_F(EventStoreTest, AppendReportsNewEventsInCommitOrderAndKeepsEveryField) {
  EventStore store(path_);
  std::vector<StoredEventRef> seen;
  auto outcome = store.append({event("t1", 1000), event("t1", 2000)},
                              [&](const std::vector<StoredEventRef>& s) { seen = s; });
  EXPECT_EQ(outcome.accepted, 2u);
  EXPECT_EQ(outcome.duplicates, 0u);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_LT(seen[0].seq, seen[1].seq);
  std::vector<Event> scanned;
  store.scan({"t1", 0, 10000}, [&](const Event& e) { scanned.push_back(e); });
  ASSERT_EQ(scanned.size(), 2u);
  const Event& e = scanned[0];
  EXPECT_EQ(e.type, "webhook");
  EXPECT_EQ(e.status, EventStatus::kVendorError);
  EXPECT_EQ(e.time, 1000);
  ASSERT_TRUE(e.latency_ms.has_value());
  EXPECT_EQ(*e.latency_ms, 12.5);
  EXPECT_EQ(e.error_category, "timeout");
  EXPECT_EQ(e.error_message, "upstream timed out");
  EXPECT_EQ(e.counts, (ItemCounts{{"evaluations", 3}, {"custom_events", 0}}));
}

TEST_F(EventStoreTest, DuplicateIdsAreAcknowledgedButStoredOncePerTenant) {
  EventStore store(path_);
  store.append({event("t1", 1000, "evt-1")}, nullptr);
  size_t newly_stored = 0;
  auto outcome =
      store.append({event("t1", 1000, "evt-1"), event("t1", 1000, "evt-2"),
                    event("t1", 1000, "evt-2"), event("t2", 1000, "evt-1")},
                   [&](const std::vector<StoredEventRef>& s) { newly_stored = s.size(); });
  EXPECT_EQ(outcome.accepted, 4u);
  EXPECT_EQ(outcome.duplicates, 2u);
  EXPECT_EQ(newly_stored, 2u);  // evt-2 for t1 and evt-1 for t2
  EXPECT_EQ(store.count(), 3);
}

// Runs of events without an id are inserted many rows to a statement; each stored event must
// still be told its own sequence number, whatever the mix of ids, duplicates and skipped events.
TEST_F(EventStoreTest, AGroupOfMixedBatchesNamesEachStoredEventBySequence) {
  EventStore store(path_);
  store.append({event("t1", 5, "seen-before")}, nullptr);
  std::vector<Event> first, second;
  for (int i = 0; i < 300; ++i) {
    std::string id = i % 97 == 0 ? "id-" + std::to_string(i) : "";
    if (i == 150) id = "seen-before";  // a duplicate in the middle of a run
    first.push_back(event("t1", 1000 + i, id));
  }
  for (int i = 0; i < 70; ++i) second.push_back(event("t2", 5000 + i));
  std::vector<EventStore::GroupedBatch> group(2);
  group[0].events = &first;
  group[0].skip = {0, 64, 65, 299};
  group[1].events = &second;
  const std::vector<StoredEventRef> stored = store.append_group(group);

  EXPECT_EQ(group[0].outcome.accepted, 296u);
  EXPECT_EQ(group[0].outcome.duplicates, 1u);
  EXPECT_EQ(group[1].outcome.accepted, 70u);
  ASSERT_EQ(stored.size(), 295u + 70u);
  for (size_t i = 0; i < stored.size(); ++i) {
    if (i > 0) {
      EXPECT_GT(stored[i].seq, stored[i - 1].seq);
    }
    const auto back = store.event_at(stored[i].seq);
    const auto is_in = [&](const std::vector<Event>& batch) {
      return std::ranges::any_of(batch, [&](const Event& e) { return &e == stored[i].event; });
    };
    EXPECT_TRUE(is_in(first) || is_in(second)) << i << ": the batch's own event, not a copy";
    ASSERT_TRUE(back.has_value()) << i;
    EXPECT_EQ(back->event.tenant_id, stored[i].event->tenant_id) << i;
    EXPECT_EQ(back->event.time, stored[i].event->time) << i;
    EXPECT_EQ(back->event.id, stored[i].event->id) << i;
  }
  EXPECT_EQ(stored.front().event->time, 1001);
  EXPECT_EQ(stored.back().event->time, 5069);
  EXPECT_EQ(store.count(), 1 + 295 + 70);
}

TEST_F(EventStoreTest, ScanHonoursTenantWindowAndSequenceBound) {
  EventStore store(path_);
  std::vector<StoredEventRef> stored;
  store.append({event("t1", 100), event("t1", 200), event("t2", 150), event("t1", 300)},
               [&](const std::vector<StoredEventRef>& s) { stored = s; });
  std::vector<TimeMs> times;
  store.scan({"t1", 100, 300}, [&](const Event& e) { times.push_back(e.time); });
  EXPECT_EQ(times, (std::vector<TimeMs>{100, 200}));
  times.clear();
  store.scan({"t1", 0, 1000, stored[0].seq}, [&](const Event& e) { times.push_back(e.time); });
  EXPECT_EQ(times, (std::vector<TimeMs>{100}));
}

TEST_F(EventStoreTest, EverythingSurvivesReopening) {
  {
    EventStore store(path_);
    store.append({event("t1", 100, "a"), event("t1", 200)}, nullptr);
  }
  EventStore reopened(path_);
  std::vector<StoredEvent> all;
  reopened.scan_all([&](StoredEvent&& e) { all.push_back(std::move(e)); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].event.id, "a");
  EXPECT_EQ(reopened.append({event("t1", 100, "a")}, nullptr).duplicates, 1u);
}

TEST_F(EventStoreTest, PruneDeletesOnlyOlderEvents) {
  EventStore store(path_);
  store.append(
      {event("t1", 100), event("t2", 150), event("t1", 500), event("t3", 50), event("t0", 10)},
      nullptr);
  EXPECT_EQ(store.prune_before(200), 4) << "every tenant's old events";
  EXPECT_EQ(store.count(), 1);
}

TEST_F(EventStoreTest, ReleasingTheCachesKeepsEverythingStoredAndWritable) {
  EventStore store(path_);
  std::vector<Event> batch;
  for (TimeMs t = 0; t < 20'000; ++t) batch.push_back(event("t" + std::to_string(t % 7), t));
  store.append(batch, nullptr);
  const std::int64_t filled = store.cache_bytes();
  ASSERT_GT(filled, 1'000'000) << "the writer's cache holds the pages it wrote";

  store.release_cache_memory();
  EXPECT_LT(store.cache_bytes(), filled / 10);
  EXPECT_EQ(store.count(), 20'000);
  size_t seen = 0;
  store.scan({"t3", 0, 20'000}, [&](const Event&) { ++seen; });
  EXPECT_EQ(seen, 20'000u / 7);
  store.append({event("t3", 30'000)}, nullptr);
  EXPECT_EQ(store.count(), 20'001);
}

TEST_F(EventStoreTest, SequenceNumbersAreNeverReusedAfterPruning) {
  EventStore store(path_);
  std::int64_t last = 0;
  store.append({event("t1", 100)}, [&](const std::vector<StoredEventRef>& s) { last = s[0].seq; });
  store.prune_before(1000);
  std::int64_t next = 0;
  store.append({event("t1", 2000)}, [&](const std::vector<StoredEventRef>& s) { next = s[0].seq; });
  EXPECT_GT(next, last);
}

TEST_F(EventStoreTest, AVersion9StoreKeepsItsEventsAndIsIndexedByTimeAlone) {
  {
    EventStore store(path_);
    store.append({event("t1", 100), event("t2", 200)}, nullptr);
  }
  {
    sqlite::Database db(path_);  // back to what schema version 9 left
    db.exec(
        "DROP INDEX events_by_time; CREATE INDEX events_by_tenant_time ON events (tenant_id, "
        "time_ms); PRAGMA user_version = 9");
  }
  EventStore migrated(path_);
  EXPECT_EQ(migrated.schema_version(), 10);
  EXPECT_EQ(migrated.count(), 2);
  std::vector<TimeMs> times;
  migrated.scan({"t2", 0, 1000}, [&](const Event& e) { times.push_back(e.time); });
  EXPECT_EQ(times, (std::vector<TimeMs>{200}));
  sqlite::Database db(path_);
  sqlite::Statement indexes(db,
                            "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master "
                            "WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL "
                            "ORDER BY name)");
  ASSERT_TRUE(indexes.step());
  EXPECT_EQ(indexes.column_text(0),
            "events_by_time events_idempotency events_warehouse_deliveries");
}

// The writer keeps its INSERT statements from group to group: nothing bound for one group
// (a latency, an id) may reach the next, and a group that failed must not wedge them.
TEST_F(EventStoreTest, KeptInsertStatementsCarryNothingIntoTheNextGroup) {
  EventStore store(path_);
  std::vector<Event> with_latency;
  for (int i = 0; i < 100; ++i) with_latency.push_back(event("t1", i));
  EXPECT_THROW(store.append(with_latency, nullptr,
                            [](sqlite::Database&) { throw std::runtime_error("disk full"); }),
               std::runtime_error);
  EXPECT_EQ(store.count(), 0) << "the failed group rolled back";
  store.append(with_latency, nullptr);
  std::vector<Event> without_latency;
  for (int i = 0; i < 100; ++i) {
    without_latency.push_back(event("t2", i));
    without_latency.back().latency_ms.reset();
  }
  std::vector<StoredEventRef> stored;
  store.append(without_latency, [&](const std::vector<StoredEventRef>& s) { stored = s; });
  ASSERT_EQ(stored.size(), 100u);
  for (size_t i = 1; i < stored.size(); ++i) EXPECT_EQ(stored[i].seq, stored[i - 1].seq + 1);
  size_t scanned = 0;
  store.scan({"t2", 0, 1000}, [&](const Event& e) {
    EXPECT_FALSE(e.latency_ms.has_value()) << e.time;
    ++scanned;
  });
  EXPECT_EQ(scanned, 100u);
  EXPECT_EQ(store.count(), 200);
}

TEST_F(EventStoreTest, RefusesADatabaseFromANewerVitals) {
  std::filesystem::create_directories(dir_ / "nested");
  {
    sqlite::Database db(path_);
    db.exec("PRAGMA user_version = 99");
  }
  EXPECT_THROW(EventStore{path_}, sqlite::Error);
}

TEST(CountsEncoding, RoundTrips) {
  const ItemCounts counts = {{"rows", 5}, {"dlq_depth", 0}, {"a.b:c-d", 9223372036854775807}};
  EXPECT_EQ(decode_counts(encode_counts(counts)), counts);
  EXPECT_TRUE(decode_counts("").empty());
}

}  // namespace
}  // namespace vitals
