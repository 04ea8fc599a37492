#include "notify/backoff.h"

#include <gtest/gtest.h>

namespace vitals::notify {
namespace {

TEST(Backoff, DoublesFromInitialUpToMax) {
  const Backoff backoff{1'000, 10'000};
  EXPECT_EQ(backoff.delay(1, 0.999999), 999);
  EXPECT_EQ(backoff.delay(2, 0.999999), 1'999);
  EXPECT_EQ(backoff.delay(3, 0.999999), 3'999);
  EXPECT_EQ(backoff.delay(5, 0.999999), 9'999);
  EXPECT_EQ(backoff.delay(60, 0.999999), 9'999) << "capped, and no overflow after many failures";
}

TEST(Backoff, JitterKeepsAtLeastHalfTheStep) {
  const Backoff backoff{1'000, 10'000};
  EXPECT_EQ(backoff.delay(1, 0.0), 500);
  EXPECT_EQ(backoff.delay(3, 0.0), 2'000);
  EXPECT_EQ(backoff.delay(3, 0.5), 3'000);
}

}  // namespace
}  // namespace vitals::notify
