#pragma once

#include <cstdint>
#include <vector>

#include "rollup/latency_sketch.h"

namespace vitals {

// Sums many sketches into one, as a query does when it merges the buckets of a window into its
// groups: a 30-day breakdown by key merges 30 day buckets into each of 200 sums.
//
// LatencySketch::merge keeps the sum's bins sparse and sorted, so every merge walks all of the
// sum's bins (hundreds, once it has seen a few buckets) to add the few dozen of the bucket. Here
// a sum that has grown past a few dozen bins keeps dense counts over the range of bin indexes
// it has seen, and a merge costs only the merged sketch's own bins. A small sum stays sparse:
// the dense range of a log-normal spread is a thousand counts or more, which a minute bucket
// of three events has no use for. The result is the same sketch either way.
class LatencySketchAccumulator {
 public:
  void add(double value);
  void merge(const LatencySketch& sketch);
  // The sum; the accumulator is empty afterwards.
  LatencySketch take();

 private:
  // Past this many bins a sum goes dense.
  static constexpr size_t kSparseBins = 48;

  bool dense() const { return !dense_.empty(); }
  void go_dense();
  // Makes room for the bins [low, high], with some to spare on the side that grew.
  void cover(int low, int high);
  void add_dense(int index, std::uint64_t count) {
    std::uint64_t& slot = dense_[static_cast<size_t>(index - base_)];
    nonzero_bins_ += slot == 0;
    slot += count;
  }

  LatencySketch sum_;                 // counts, min and max; the bins too while sparse
  std::vector<std::uint64_t> dense_;  // when dense: the count of bin base_ + i at i
  int base_ = 0;
  size_t nonzero_bins_ = 0;     // of the dense counts
  size_t sparse_sketches_ = 0;  // sketches merged while sparse
};

}  // namespace vitals
