#include "rollup/bucket_list.h"

#include <gtest/gtest.h>

#include <vector>

namespace vitals {
namespace {

std::vector<TimeMs> starts(std::span<const BucketList::Bucket> buckets) {
  std::vector<TimeMs> out;
  for (const auto& b : buckets) out.push_back(b.start);
  return out;
}

Event at_time(TimeMs t) {
  Event e;
  e.time = t;
  return e;
}

TEST(BucketList, KeepsBucketsSortedWhateverTheArrivalOrder) {
  BucketList list;
  for (TimeMs t : {300, 100, 500, 100, 200, 500, 400}) list.at(t).add(at_time(t), t);
  EXPECT_EQ(starts(list.range(0, 1000)), (std::vector<TimeMs>{100, 200, 300, 400, 500}));
  EXPECT_EQ(list.range(100, 101)[0].value.aggregate(100).total(), 2u);
  EXPECT_EQ(list.range(500, 501)[0].value.aggregate(500).total(), 2u);
}

TEST(BucketList, RangeIsHalfOpen) {
  BucketList list;
  for (TimeMs t : {100, 200, 300}) list.at(t);
  EXPECT_EQ(starts(list.range(100, 300)), (std::vector<TimeMs>{100, 200}));
  EXPECT_EQ(starts(list.range(101, 301)), (std::vector<TimeMs>{200, 300}));
  EXPECT_TRUE(list.range(301, 400).empty());
  EXPECT_TRUE(list.range(0, 100).empty());
}

TEST(BucketList, EraseBeforeDropsOnlyEarlierBuckets) {
  BucketList list;
  for (TimeMs t = 0; t < 100; ++t) list.at(t * 10);
  list.erase_before(955);
  EXPECT_EQ(starts(list.range(0, 2000)), (std::vector<TimeMs>{960, 970, 980, 990}));
  list.erase_before(5000);
  EXPECT_TRUE(list.empty());
}

}  // namespace
}  // namespace vitals
