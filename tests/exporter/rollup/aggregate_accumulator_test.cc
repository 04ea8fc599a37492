#include "rollup/aggregate_accumulator.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "support/same_aggregate.h"

namespace vitals {
namespace {

constexpr TimeMs kStart = 1'700'000'000'000;

Event random_event(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> status(0, 9);
  std::uniform_int_distribution<TimeMs> offset(0, kMsPerDay);
  std::lognormal_distribution<double> latency(4, 1.5);
  Event e;
  e.time = kStart + offset(rng);
  e.status = status(rng) == 0
                 ? EventStatus::kVendorError
                 : (status(rng) == 1 ? EventStatus::kException : EventStatus::kSuccess);
  if (status(rng) != 0) e.latency_ms = latency(rng);
  if (status(rng) == 2) e.counts = {{"rows", 3}, {"bytes", 700}};
  return e;
}

// Buckets merged and single events added, as a query mixes whole buckets and raw edges.
TEST(AggregateAccumulator, SumsBucketsAndEventsAsAggregateDoes) {
  std::mt19937_64 rng(17);
  Aggregate expected;
  AggregateAccumulator sum;
  for (int bucket = 0; bucket < 300; ++bucket) {
    Aggregate b;
    for (int i = 0; i < 25; ++i) b.add(random_event(rng));
    expected.merge(b);
    sum.merge(b);
    const Event e = random_event(rng);
    expected.add(e);
    sum.add(e);
    expected.add_one(EventStatus::kSuccess, e.time + 1, 42.0);
    sum.add_one(EventStatus::kSuccess, e.time + 1, 42.0);
  }
  testing::expect_same_aggregate(sum.take(), expected);
}

TEST(AggregateAccumulator, IsEmptyAgainAfterTake) {
  std::mt19937_64 rng(5);
  AggregateAccumulator sum;
  for (int i = 0; i < 100; ++i) sum.add(random_event(rng));
  EXPECT_EQ(sum.take().total(), 100u);
  testing::expect_same_aggregate(sum.take(), Aggregate{});
}

}  // namespace
}  // namespace vitals
