#pragma once

#include <optional>

#include "rollup/aggregate.h"
#include "rollup/latency_sketch_accumulator.h"

namespace vitals {

// An Aggregate being summed from many buckets and events, as a query's groups are: the same
// result as Aggregate::merge and Aggregate::add, with the latency sketch summed by a
// LatencySketchAccumulator, whose merges cost the merged bucket's bins rather than the sum's.
class AggregateAccumulator {
 public:
  void add(const Event& event);
  void add_one(EventStatus status, TimeMs time, std::optional<double> latency_ms);
  void add_items(const ItemCounts& counts) { sum_.add_items(counts); }
  void merge(const Aggregate& other);
  // The sum; the accumulator is empty afterwards.
  Aggregate take();

 private:
  Aggregate sum_;  // everything but the latency sketch
  LatencySketchAccumulator latency_;
};

}  // namespace vitals
