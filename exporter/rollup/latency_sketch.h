#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vitals {

// A mergeable quantile sketch over non-negative values with bounded relative error, in the
// manner of DDSketch: value v > 0 lands in bin ceil(log_gamma(v)), and every value in a bin is
// within kRelativeAccuracy of the bin's representative. Bins are a dense vector between the
// lowest and highest index seen, which for latencies of one integration stays short.
//
// The accuracy is half of the 1% the API promises, so that the clamp to the exact min and max
// and the floating point of rank arithmetic never push an answer over the documented bound.
class LatencySketch {
 public:
  static constexpr double kRelativeAccuracy = 0.005;
  // Values below this (in the sketch's unit, milliseconds) are counted as zero.
  static constexpr double kMinPositive = 1e-6;

  void add(double value);
  void merge(const LatencySketch& other);

  std::uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  double min() const { return min_; }
  double max() const { return max_; }

  // The nearest-rank quantile: the value at rank ceil(q * n) of the sorted values, 0 < q <= 1.
  double quantile(double q) const;

  size_t bin_count() const { return bins_.size(); }

 private:
  static int index_of(double value);
  static double value_of(int index);

  std::vector<std::uint64_t> bins_;
  int offset_ = 0;  // index of bins_[0]
  std::uint64_t zero_count_ = 0;
  std::uint64_t count_ = 0;
  double min_ = 0;
  double max_ = 0;
};

// ceil(q * n) with a guard against q * n landing a hair above an integer (0.95 * 20).
std::uint64_t nearest_rank(double q, std::uint64_t n);

}  // namespace vitals
