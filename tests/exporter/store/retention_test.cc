#include "store/retention.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/time_format.h"

namespace vitals {
namespace {

const TimeMs kStart = *parse_rfc3339("2026-05-01T00:00:00Z");

class RetentionTest : public ::testing::Test {
 protected:
  RetentionTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("vitals-retention-" + std::to_string(::getpid()))),
        clock_(kStart) {
    std::filesystem::remove_all(dir_);
    store_ = std::make_unique<EventStore>((dir_ / "vitals.db").string());
    rollups_ = std::make_unique<RollupEngine>(
        RollupOptions{35 * kMsPerDay, 2 * kMsPerDay},
        [this](const RawScan& s, const std::function<void(const Event&)>& visit) {
          store_->scan({s.tenant_id, s.from, s.to, s.max_seq}, visit);
        },
        clock_.now_ms());
  }
  ~RetentionTest() override { std::filesystem::remove_all(dir_); }

  void ingest_at(TimeMs t) {
    Event e;
    e.tenant_id = "t";
    e.type = e.key = "webhook";
    e.mode = "default";
    e.time = t;
    store_->append({e}, [this](const std::vector<StoredEvent>& s) { rollups_->apply(s); });
  }

  std::uint64_t rollup_total() {
    RollupQuery q;
    q.filter.tenant_ids = {"t"};
    q.from = kStart - 400 * kMsPerDay;
    q.to = kStart + 400 * kMsPerDay;
    auto r = rollups_->query(q);
    return r.empty() ? 0 : r.begin()->second.total();
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<RollupEngine> rollups_;
};

TEST_F(RetentionTest, EventsLeaveStoreAndRollupsOnceOlderThanTheRetention) {
  ingest_at(kStart);
  ingest_at(kStart + 10 * kMsPerDay);
  Retention retention(*store_, *rollups_, 35 * kMsPerDay);

  clock_.advance(30 * kMsPerDay);
  EXPECT_EQ(retention.apply(clock_.now_ms()), 0);
  EXPECT_EQ(rollup_total(), 2u);

  clock_.advance(6 * kMsPerDay);  // the first event is now 36 days old
  EXPECT_EQ(retention.apply(clock_.now_ms()), 1);
  EXPECT_EQ(store_->count(), 1);
  EXPECT_EQ(rollup_total(), 1u);

  clock_.advance(20 * kMsPerDay);
  EXPECT_EQ(retention.apply(clock_.now_ms()), 1);
  EXPECT_EQ(store_->count(), 0);
  EXPECT_EQ(rollup_total(), 0u);
  EXPECT_EQ(rollups_->series_count(), 0u);
}

}  // namespace
}  // namespace vitals
