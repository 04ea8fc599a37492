#include "rollup/bucket_value.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/same_aggregate.h"

namespace vitals {
namespace {

constexpr TimeMs kBucketStart = 1'700'000'000'000;

Event event_at(TimeMs offset, EventStatus status, std::optional<double> latency) {
  Event e;
  e.time = kBucketStart + offset;
  e.status = status;
  e.latency_ms = latency;
  return e;
}

// The bucket and a plain Aggregate fed the same events.
void expect_same_as_aggregate(const std::vector<Event>& events) {
  BucketValue bucket;
  Aggregate plain;
  for (const Event& e : events) {
    bucket.add(e, kBucketStart);
    plain.add(e);
  }
  testing::expect_same_aggregate(bucket.aggregate(kBucketStart), plain);
  EXPECT_EQ(bucket.last_success(kBucketStart), plain.last_success);
  EXPECT_EQ(bucket.last_failure(kBucketStart), plain.last_failure);
}

TEST(BucketValue, OneEventStaysInlineAndAnswersAsAnAggregateWould) {
  for (EventStatus s :
       {EventStatus::kSuccess, EventStatus::kVendorError, EventStatus::kException}) {
    for (std::optional<double> latency :
         {std::optional<double>{}, std::optional<double>{123.456}, std::optional<double>{0.0}}) {
      BucketValue bucket;
      bucket.add(event_at(59'999, s, latency), kBucketStart);
      EXPECT_FALSE(bucket.on_heap());
      expect_same_as_aggregate({event_at(59'999, s, latency)});
    }
  }
}

TEST(BucketValue, ASecondEventMovesToTheHeapWithBothEvents) {
  const std::vector<Event> events = {event_at(10, EventStatus::kSuccess, 5.0),
                                     event_at(20, EventStatus::kException, std::nullopt),
                                     event_at(5, EventStatus::kSuccess, 900.0)};
  BucketValue bucket;
  bucket.add(events[0], kBucketStart);
  bucket.add(events[1], kBucketStart);
  EXPECT_TRUE(bucket.on_heap());
  expect_same_as_aggregate(events);
}

TEST(BucketValue, ASuccessWithItemCountsGoesToTheHeapAtOnce) {
  Event e = event_at(0, EventStatus::kSuccess, 3.0);
  e.counts = {{"rows", 12}};
  BucketValue bucket;
  bucket.add(e, kBucketStart);
  EXPECT_TRUE(bucket.on_heap());
  EXPECT_EQ(bucket.aggregate(kBucketStart).item("rows"), 12);
}

TEST(BucketValue, AFailureWithItemCountsStaysInlineAsItsCountsAreNotSummed) {
  Event e = event_at(0, EventStatus::kVendorError, 3.0);
  e.counts = {{"rows", 12}};
  BucketValue bucket;
  bucket.add(e, kBucketStart);
  EXPECT_FALSE(bucket.on_heap());
  expect_same_as_aggregate({e});
}

TEST(BucketValue, EmptyMergesNothing) {
  const BucketValue bucket{};
  Aggregate a;
  bucket.merge_into(a, kBucketStart);
  EXPECT_EQ(a.total(), 0u);
  EXPECT_EQ(bucket.last_success(kBucketStart), kNoTime);
  EXPECT_TRUE(bucket.empty());
}

TEST(BucketValue, MovingKeepsTheValueAndEmptiesTheSource) {
  BucketValue one;
  one.add(event_at(7, EventStatus::kSuccess, 1.5), kBucketStart);
  BucketValue many;
  many.add(event_at(7, EventStatus::kSuccess, 1.5), kBucketStart);
  many.add(event_at(8, EventStatus::kSuccess, 2.5), kBucketStart);
  BucketValue moved_one(std::move(one));
  BucketValue moved_many;
  moved_many = std::move(many);
  EXPECT_TRUE(one.empty());   // NOLINT(bugprone-use-after-move): the moved-from state is the point
  EXPECT_TRUE(many.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(moved_one.aggregate(kBucketStart).total(), 1u);
  EXPECT_EQ(moved_many.aggregate(kBucketStart).total(), 2u);
}

TEST(BucketValue, ReadsBackWhatItWroteInEitherForm) {
  for (size_t n : {1u, 3u}) {
    BucketValue bucket;
    std::vector<Event> events;
    for (size_t i = 0; i < n; ++i) {
      events.push_back(event_at(static_cast<TimeMs>(100 * i), EventStatus::kSuccess, 10.0 + i));
      bucket.add(events.back(), kBucketStart);
    }
    std::string bytes;
    BinaryWriter out([&bytes](std::string_view data) { bytes.append(data); });
    bucket.write(out, kBucketStart);
    out.flush();
    size_t position = 0;
    BinaryReader in([&](char* data, size_t size) {
      const size_t n = std::min(size, bytes.size() - position);
      bytes.copy(data, n, position);
      position += n;
      return n;
    });
    const BucketValue back = BucketValue::read(in, kBucketStart);
    EXPECT_EQ(back.on_heap(), n > 1);
    testing::expect_same_aggregate(back.aggregate(kBucketStart), bucket.aggregate(kBucketStart));
  }
}

TEST(BucketValue, AnAggregateOfOneEventWithOddFieldsStaysWhole) {
  // A sum that does not match the sketch's only value cannot be said by an inline event.
  Aggregate odd;
  odd.add(event_at(0, EventStatus::kSuccess, 4.0));
  odd.latency_sum = 5.0;
  const BucketValue bucket(Aggregate(odd), kBucketStart);
  EXPECT_TRUE(bucket.on_heap());
  testing::expect_same_aggregate(bucket.aggregate(kBucketStart), odd);
}

}  // namespace
}  // namespace vitals
