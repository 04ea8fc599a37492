#pragma once

#include <gtest/gtest.h>

#include "rollup/aggregate.h"

namespace vitals::testing {

// Everything an aggregate answers with, compared field by field (the sketch bin by bin).
inline void expect_same_aggregate(const Aggregate& got, const Aggregate& want) {
  EXPECT_EQ(got.by_status, want.by_status);
  EXPECT_DOUBLE_EQ(got.latency_sum, want.latency_sum);
  EXPECT_EQ(got.latency, want.latency);
  EXPECT_EQ(got.items, want.items);
  EXPECT_EQ(got.first_time, want.first_time);
  EXPECT_EQ(got.last_time, want.last_time);
  EXPECT_EQ(got.last_success, want.last_success);
  EXPECT_EQ(got.last_failure, want.last_failure);
}

}  // namespace vitals::testing
