#pragma once

#include <cstdint>

#include "core/binary_io.h"
#include "ingest/event.h"
#include "rollup/aggregate.h"

namespace vitals {

// What one rollup bucket holds: its first event inline, an Aggregate on the heap from the
// second on.
//
// At the cardinality DESIGN.md measures (20 tenants, 200 keys, 4 modes, 8 error categories over
// 30 days) most buckets of the full table hold a single event: 13.1 M buckets for 10 M events.
// An Aggregate inline in each (136 bytes: three counts, a sketch with its min, max and counts,
// an item list and four times) made the rollups 2.7 GiB, where one event needs its time, its
// status and its latency. So a bucket of one event is 16 bytes, and only buckets that have
// merged two or more pay for an Aggregate. Queries merge either form into an Aggregate with the
// same result.
//
// Events with item counts (successes that carry `counts`) go to the heap at once: their kinds
// are strings.
class BucketValue {
 public:
  BucketValue() = default;
  explicit BucketValue(Aggregate&& aggregate, TimeMs start);
  BucketValue(const BucketValue&) = delete;
  BucketValue& operator=(const BucketValue&) = delete;
  BucketValue(BucketValue&& other) noexcept { take(other); }
  BucketValue& operator=(BucketValue&& other) noexcept;
  ~BucketValue() { release(); }

  // `start`: the start of the bucket, which `event.time` falls in, less than a week before it.
  void add(const Event& event, TimeMs start);
  // Adds what the bucket holds to `out`, an Aggregate or an AggregateAccumulator.
  template <class Sum>
  void merge_into(Sum& out, TimeMs start) const {
    switch (form_) {
      case Form::kEmpty:
        return;
      case Form::kOne:
        out.add_one(status_, start + offset_,
                    has_latency_ ? std::optional<double>(latency_) : std::nullopt);
        return;
      case Form::kMany:
        out.merge(*many_);
        return;
    }
  }
  Aggregate aggregate(TimeMs start) const;

  TimeMs last_success(TimeMs start) const;
  TimeMs last_failure(TimeMs start) const;
  bool empty() const { return form_ == Form::kEmpty; }
  // Whether the bucket holds an Aggregate on the heap (more than one event, or item counts).
  bool on_heap() const { return form_ == Form::kMany; }

  // In Aggregate's format, which the snapshot has always used.
  void write(BinaryWriter& out, TimeMs start) const;
  static BucketValue read(BinaryReader& in, TimeMs start);

 private:
  enum class Form : std::uint8_t { kEmpty, kOne, kMany };

  static bool fits_inline(const Event& event);
  void set_one(const Event& event, TimeMs start);
  void release();
  void take(BucketValue& other);

  union {
    double latency_ = 0;  // kOne: the event's latency, when has_latency_
    Aggregate* many_;
  };
  std::uint32_t offset_ = 0;  // kOne: the event's time minus the bucket's start
  EventStatus status_ = EventStatus::kSuccess;
  bool has_latency_ = false;
  Form form_ = Form::kEmpty;
};

}  // namespace vitals
