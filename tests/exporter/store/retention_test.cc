#include "store/retention.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "support/store_and_rollups.h"

namespace vitals {
namespace {

const TimeMs kRetentionStart = *parse_rfc3339("2026-05-01T00:00:00Z");

class RetentionTest : public ::testing::Test {
 protected:
  RetentionTest()
      : clock_(kRetentionStart), data_({35 * kMsPerDay, 2 * kMsPerDay}, kRetentionStart) {}

  void ingest_at(TimeMs t) {
    Event e;
    e.tenant_id = "t";
    e.type = e.key = "webhook";
    e.mode = "default";
    e.time = t;
    data_.append({e});
  }

  std::uint64_t rollup_total() {
    RollupQuery q;
    q.filter.tenant_ids = {"t"};
    q.from = kRetentionStart - 400 * kMsPerDay;
    q.to = kRetentionStart + 400 * kMsPerDay;
    auto r = data_.rollups().query(q);
    return r.empty() ? 0 : r.begin()->second.total();
  }

  ManualClock clock_;
  testing::StoreAndRollups data_;
};

TEST_F(RetentionTest, EventsLeaveStoreAndRollupsOnceOlderThanTheRetention) {
  ingest_at(kRetentionStart);
  ingest_at(kRetentionStart + 10 * kMsPerDay);
  Retention retention(data_.store(), data_.rollups(), 35 * kMsPerDay);

  clock_.advance(30 * kMsPerDay);
  EXPECT_EQ(retention.apply(clock_.now_ms()), 0);
  EXPECT_EQ(rollup_total(), 2u);

  clock_.advance(6 * kMsPerDay);  // the first event is now 36 days old
  EXPECT_EQ(retention.apply(clock_.now_ms()), 1);
  EXPECT_EQ(data_.store().count(), 1);
  EXPECT_EQ(rollup_total(), 1u);

  clock_.advance(20 * kMsPerDay);
  EXPECT_EQ(retention.apply(clock_.now_ms()), 1);
  EXPECT_EQ(data_.store().count(), 0);
  EXPECT_EQ(rollup_total(), 0u);
  EXPECT_EQ(data_.rollups().series_count(), 0u);
}

}  // namespace
}  // namespace vitals
