#include "rollup/latency_sketch_accumulator.h"

#include <algorithm>

namespace vitals {

void LatencySketchAccumulator::add(double value) {
  if (!dense()) {
    sum_.add(value);
    if (sum_.bin_count() > kSparseBins) go_dense();
    return;
  }
  if (!sum_.count_value(value)) return;
  const int index = LatencySketch::index_of(value);
  cover(index, index);
  add_dense(index, 1);
}

void LatencySketchAccumulator::merge(const LatencySketch& sketch) {
  if (sketch.empty()) return;
  if (!dense()) {
    // A first sketch is taken as it is and a second merged into it: a sum of one or two
    // sketches (a cached sum of past days and today's bucket) has no use for dense counts. A
    // sum of zeros alone has no bins to set a dense range by.
    if (sparse_sketches_ < 2 || sum_.bin_count() == 0 ||
        sum_.bin_count() + sketch.bin_count() <= kSparseBins) {
      sum_.merge(sketch);
      ++sparse_sketches_;
      return;
    }
    go_dense();
  }
  sum_.count_sketch(sketch);
  const auto bins = sketch.bins_.span();
  if (bins.empty()) return;
  cover(LatencySketch::index_of_bin(bins.front()), LatencySketch::index_of_bin(bins.back()));
  for (std::uint64_t b : bins) {
    add_dense(LatencySketch::index_of_bin(b), LatencySketch::count_of_bin(b));
  }
}

void LatencySketchAccumulator::go_dense() {
  const auto bins = sum_.bins_.span();
  // Room for a quarter of the range again on each side, for the sketches still to come.
  const int low = LatencySketch::index_of_bin(bins.front());
  const int high = LatencySketch::index_of_bin(bins.back());
  const int spare = (high - low) / 4 + 8;
  base_ = low - spare;
  dense_.assign(static_cast<size_t>(high - low + 1 + 2 * spare), 0);
  nonzero_bins_ = 0;
  for (std::uint64_t b : bins) {
    add_dense(LatencySketch::index_of_bin(b), LatencySketch::count_of_bin(b));
  }
  sum_.bins_ = SketchBins();
}

void LatencySketchAccumulator::cover(int low, int high) {
  const int end = base_ + static_cast<int>(dense_.size());
  if (low >= base_ && high < end) return;
  // Grows by half again on the side that needs it, so a range widening bin by bin (as values
  // arrive in time order) is copied a few times, not once per bin.
  const int spare = static_cast<int>(dense_.size() / 2);
  const int new_base = low < base_ ? low - spare : base_;
  const int new_end = high >= end ? high + 1 + spare : end;
  std::vector<std::uint64_t> wider(static_cast<size_t>(new_end - new_base), 0);
  std::copy(dense_.begin(), dense_.end(), wider.begin() + (base_ - new_base));
  dense_ = std::move(wider);
  base_ = new_base;
}

LatencySketch LatencySketchAccumulator::take() {
  if (dense()) {
    sum_.bins_.reserve(nonzero_bins_);
    for (size_t i = 0; i < dense_.size(); ++i) {
      if (dense_[i] != 0) {
        sum_.bins_.push_back(LatencySketch::bin(base_ + static_cast<int>(i), dense_[i]));
      }
    }
    dense_.clear();
    nonzero_bins_ = 0;
  }
  LatencySketch out = std::move(sum_);
  sum_ = LatencySketch();
  sparse_sketches_ = 0;
  return out;
}

}  // namespace vitals
