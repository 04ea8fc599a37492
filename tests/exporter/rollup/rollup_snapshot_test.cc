#include "rollup/rollup_snapshot.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/time_format.h"
#include "support/events_in_memory.h"
#include "support/same_aggregate.h"

namespace vitals {
namespace {

const TimeMs kSnapshotNow = *parse_rfc3339("2026-03-04T10:17:23.456Z");
const RollupOptions kOptions{35 * kMsPerDay, 2 * kMsPerDay};

class RollupSnapshotTest : public ::testing::Test {
 protected:
  RollupSnapshotTest()
      : events_(testing::random_events(20000, kSnapshotNow, 30 * kMsPerDay, 3)),
        path_((std::filesystem::temp_directory_path() /
               ("vitals-snapshot-" + std::to_string(::getpid()) + ".rollups"))
                  .string()) {}
  ~RollupSnapshotTest() override {
    std::filesystem::remove(path_);
    std::filesystem::remove(path_ + ".tmp");
  }

  RollupEngine engine() const {
    return RollupEngine(kOptions, testing::reader_over(events_), kSnapshotNow - 40 * kMsPerDay);
  }

  // The queries that reach every table and tier: grouped by each dimension and by all, at
  // every step, over ragged windows.
  static std::vector<RollupQuery> probes() {
    std::vector<RollupQuery> out;
    const std::vector<std::vector<Dimension>> groupings = {
        {},
        {Dimension::kKey},
        {Dimension::kMode},
        {Dimension::kStatus, Dimension::kCategory},
        {Dimension::kType, Dimension::kKey, Dimension::kMode, Dimension::kStatus}};
    for (const auto& group_by : groupings) {
      for (Step step : {Step::kNone, Step::kMinute, Step::kHour, Step::kDay}) {
        RollupQuery q;
        q.filter.tenant_ids = {"t1", "t2"};
        q.group_by = group_by;
        q.group_by.insert(q.group_by.begin(), Dimension::kTenant);
        q.step = step;
        q.from = kSnapshotNow - (step == Step::kMinute ? kMsPerDay : 29 * kMsPerDay) - 12345;
        q.to = kSnapshotNow - 67890;
        out.push_back(q);
      }
    }
    return out;
  }

  static void expect_same_answers(const RollupEngine& got, const RollupEngine& want) {
    EXPECT_EQ(got.applied_seq(), want.applied_seq());
    EXPECT_EQ(got.bucket_count(), want.bucket_count());
    // Series may be merged in another order after loading: latency sums agree to rounding.
    for (const RollupQuery& q : probes())
      testing::expect_same_result(got.query(q), want.query(q), 1e-9);
  }

  SnapshotLoad load_into(RollupEngine& target, const std::string& fingerprint = "store-1") {
    return load_rollup_snapshot(
        target, path_, [&](std::int64_t, const std::string& f) { return f == fingerprint; });
  }

  void apply_and_save(RollupEngine& rollups, const std::vector<StoredEvent>& events) {
    rollups.apply(events);
    save_rollup_snapshot(rollups, path_, "store-1");
  }

  void expect_loads(RollupEngine& target, std::int64_t applied_seq) {
    const SnapshotLoad load = load_into(target);
    ASSERT_TRUE(load.loaded) << load.problem;
    EXPECT_EQ(load.applied_seq, applied_seq);
  }

  void damage(std::streamoff at) {
    std::fstream file(path_, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(at);
    char c = 0;
    file.get(c);
    file.seekp(at);
    file.put(static_cast<char>(c ^ 0x01));
  }

  // Flips a bit of the file at `at`, expects the load to refuse it and change nothing, and
  // flips it back.
  void expect_refused_when_damaged_at(std::streamoff at) {
    damage(at);
    RollupEngine target = engine();
    const SnapshotLoad load = load_into(target);
    EXPECT_FALSE(load.loaded) << "byte " << at;
    EXPECT_NE(load.problem.find("damaged"), std::string::npos) << load.problem;
    EXPECT_EQ(target.bucket_count(), 0u);
    damage(at);
  }

  std::vector<StoredEvent> events_;
  std::string path_;
};

TEST_F(RollupSnapshotTest, ALoadedSnapshotAnswersExactlyAsTheRollupsItWasTakenFrom) {
  RollupEngine original = engine();
  apply_and_save(original, events_);

  RollupEngine restored = engine();
  expect_loads(restored, 20000);
  original.expire(kSnapshotNow);
  restored.expire(kSnapshotNow);
  expect_same_answers(restored, original);
}

// The recent events that edges are read from are not in the snapshot: after loading one,
// edges over its events must come from the store again, or they would count nothing.
TEST_F(RollupSnapshotTest, EdgesOverALoadedSnapshotsRecentEventsAreReadFromTheStore) {
  events_ = testing::random_events(3000, kSnapshotNow, 30 * kMsPerMinute, 7);
  RollupEngine original = engine();
  apply_and_save(original, events_);
  RollupEngine restored = engine();
  expect_loads(restored, 3000);
  RollupQuery q;
  q.filter.tenant_ids = {"t1"};
  q.from = kSnapshotNow - 20 * kMsPerMinute - 12345;
  q.to = kSnapshotNow - 6789;
  const RollupResult got = restored.query(q);
  const RollupResult want = original.query(q);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(want.size(), 1u);
  EXPECT_EQ(got.begin()->second.by_status, want.begin()->second.by_status);
  EXPECT_EQ(got.begin()->second.last_time, want.begin()->second.last_time);
}

TEST_F(RollupSnapshotTest, ASnapshotInManyPartsLoadsTheSameOnEveryThreadAndChecksEachPart) {
  RollupEngine original = engine();
  original.apply(events_);
  ASSERT_GT(original.bucket_count(), 20 * 500u) << "enough buckets for many parts";
  save_rollup_snapshot(original, path_, "store-1", 500);

  RollupEngine restored = engine();
  expect_loads(restored, 20000);
  original.expire(kSnapshotNow);
  restored.expire(kSnapshotNow);
  expect_same_answers(restored, original);

  const auto size = static_cast<std::streamoff>(std::filesystem::file_size(path_));
  for (std::streamoff at : {size / 4, size / 2, 3 * size / 4}) expect_refused_when_damaged_at(at);
}

TEST_F(RollupSnapshotTest, EventsAfterTheSnapshotAreAppliedOnTop) {
  const std::vector<StoredEvent> first(events_.begin(), events_.begin() + 12000);
  const std::vector<StoredEvent> rest(events_.begin() + 12000, events_.end());
  RollupEngine partial = engine();
  apply_and_save(partial, first);

  RollupEngine restored = engine();
  expect_loads(restored, 12000);
  restored.apply(rest);

  RollupEngine whole = engine();
  whole.apply(events_);
  restored.expire(kSnapshotNow);
  whole.expire(kSnapshotNow);
  expect_same_answers(restored, whole);
}

// Sums cached from what the engine held before are not answers about the snapshot's events.
TEST_F(RollupSnapshotTest, ALoadedSnapshotReplacesTheSumsCachedBeforeIt) {
  RollupEngine original = engine();
  apply_and_save(original, events_);

  RollupEngine target = engine();
  target.apply(std::vector<StoredEvent>(events_.begin(), events_.begin() + 5000));
  for (const RollupQuery& q : probes()) target.query(q);
  ASSERT_GT(target.closed_day_cache_stats().entries, 0u);
  expect_loads(target, 20000);
  original.expire(kSnapshotNow);
  target.expire(kSnapshotNow);
  expect_same_answers(target, original);
}

TEST_F(RollupSnapshotTest, ASnapshotOfAnotherStoreIsRefusedAndChangesNothing) {
  RollupEngine original = engine();
  apply_and_save(original, events_);

  RollupEngine other = engine();
  const SnapshotLoad load = load_into(other, "store-2");
  EXPECT_FALSE(load.loaded);
  EXPECT_EQ(load.problem, "it does not match the event store");
  EXPECT_EQ(other.bucket_count(), 0u);
  EXPECT_EQ(other.applied_seq(), 0);
}

TEST_F(RollupSnapshotTest, ADamagedOrTruncatedSnapshotIsRefusedAndChangesNothing) {
  RollupEngine original = engine();
  apply_and_save(original, events_);
  const auto size = static_cast<std::streamoff>(std::filesystem::file_size(path_));

  for (std::streamoff at : {std::streamoff{40}, size / 2, size - 2}) {
    expect_refused_when_damaged_at(at);
  }
  std::filesystem::resize_file(path_, static_cast<std::uintmax_t>(size / 3));
  RollupEngine target = engine();
  const SnapshotLoad load = load_into(target);
  EXPECT_FALSE(load.loaded);
  EXPECT_NE(load.problem.find("ends early"), std::string::npos) << load.problem;
  EXPECT_EQ(target.bucket_count(), 0u);
}

TEST_F(RollupSnapshotTest, NoFileIsNoSnapshotAndNoProblem) {
  RollupEngine target = engine();
  const SnapshotLoad load = load_into(target);
  EXPECT_FALSE(load.loaded);
  EXPECT_TRUE(load.problem.empty());
}

TEST_F(RollupSnapshotTest, SomethingElseAtThePathIsRefused) {
  std::ofstream(path_) << "not a snapshot at all";
  RollupEngine target = engine();
  const SnapshotLoad load = load_into(target);
  EXPECT_FALSE(load.loaded);
  EXPECT_FALSE(load.problem.empty());
}

}  // namespace
}  // namespace vitals
