#pragma once

#include <gtest/gtest.h>

#include <cmath>

#include "rollup/aggregate.h"
#include "rollup/rollup_query.h"

namespace vitals::testing {

// Everything an aggregate answers with, compared field by field (the sketch bin by bin). Sums
// of latencies added in another order may differ by rounding: `latency_sum_tolerance` is the
// relative difference allowed (0: equal to a few units in the last place).
inline void expect_same_aggregate(const Aggregate& got, const Aggregate& want,
                                  double latency_sum_tolerance = 0) {
  EXPECT_EQ(got.by_status, want.by_status);
  if (latency_sum_tolerance == 0) {
    EXPECT_DOUBLE_EQ(got.latency_sum, want.latency_sum);
  } else {
    EXPECT_NEAR(got.latency_sum, want.latency_sum,
                latency_sum_tolerance * std::abs(want.latency_sum));
  }
  EXPECT_EQ(got.latency, want.latency);
  EXPECT_EQ(got.items, want.items);
  EXPECT_EQ(got.first_time, want.first_time);
  EXPECT_EQ(got.last_time, want.last_time);
  EXPECT_EQ(got.last_success, want.last_success);
  EXPECT_EQ(got.last_failure, want.last_failure);
}

// The same groups and buckets, each with the same aggregate as above.
inline void expect_same_result(const RollupResult& got, const RollupResult& want,
                               double latency_sum_tolerance = 0) {
  ASSERT_EQ(got.size(), want.size());
  for (auto i = got.begin(), j = want.begin(); i != got.end(); ++i, ++j) {
    ASSERT_EQ(i->first, j->first);
    expect_same_aggregate(i->second, j->second, latency_sum_tolerance);
  }
}

}  // namespace vitals::testing
