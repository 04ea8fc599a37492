#include "metrics/series_budget.h"

#include <gtest/gtest.h>

namespace vitals {
namespace {

TEST(SeriesBudget, OwnSeriesFitUpToTheLimitAndOverflowSeriesDoNotCount) {
  SeriesBudget budget("f", 3);
  EXPECT_TRUE(budget.fits(3));
  budget.add(2, false);
  budget.add(5, true);
  EXPECT_TRUE(budget.fits(1));
  EXPECT_FALSE(budget.fits(2));
  EXPECT_EQ(budget.series(), 7u);
  budget.release(2, false);
  EXPECT_TRUE(budget.fits(3));
  EXPECT_EQ(budget.series(), 5u);
}

TEST(SeriesBudget, CountsEveryRefusalButWarnsOnceAMinute) {
  SeriesBudget budget("vitals_x", 10);
  const auto first = budget.refuse(2, 1'000);
  ASSERT_TRUE(first.has_value());
  EXPECT_NE(first->find("vitals_x is at limits.max_series_per_family (10 series): 2 new series"),
            std::string::npos)
      << *first;
  EXPECT_FALSE(budget.refuse(1, 1'000 + kMsPerMinute - 1).has_value());
  EXPECT_FALSE(budget.refuse(4, 1'000 + kMsPerMinute - 1).has_value());
  const auto next = budget.refuse(1, 1'000 + kMsPerMinute);
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->find("6 new series went to __overflow__ since the last warning"),
            std::string::npos)
      << *next;
  EXPECT_EQ(budget.dropped(), 8u);
}

}  // namespace
}  // namespace vitals
