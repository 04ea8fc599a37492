#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/binary_io.h"
#include "rollup/sketch_bins.h"

namespace vitals {

// A mergeable quantile sketch over non-negative values with bounded relative error, in the
// manner of DDSketch: value v > 0 lands in bin ceil(log_gamma(v)), and every value in a bin is
// within kRelativeAccuracy of the bin's representative.
//
// Only bins that hold something are stored, sorted, each in one 64-bit word (index and count),
// the first of them inline (SketchBins). Rollup buckets are mostly sparse — a bucket of a few
// events spread over a log-normal range touches a few of its hundreds of bins — and a dense
// vector from the lowest to the highest index spent kilobytes on zeros in each of millions of
// buckets.
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
  // quantile(qs[i]) into out[i] for ascending qs, in one walk over the bins.
  void quantiles(std::span<const double> qs, std::span<double> out) const;

  size_t bin_count() const { return bins_.size(); }
  // Whether both hold the same values in the same bins.
  bool operator==(const LatencySketch&) const;

  void write(BinaryWriter& out) const;
  // Throws BinaryFormatError when the bins are not a valid sketch.
  static LatencySketch read(BinaryReader& in);

 private:
  friend class LatencySketchAccumulator;

  // A bin: its index (offset to be non-negative) in the high bits, its count in the low ones,
  // so bins sort by index. Latencies are at most 1e9 ms (the ingest limit), so indexes stay
  // within a few thousand of zero; 40 bits count a trillion values per bin and bucket.
  static constexpr int kCountBits = 40;
  static constexpr std::uint64_t kCountMask = (std::uint64_t{1} << kCountBits) - 1;
  static constexpr int kIndexOffset = 1 << 23;
  static std::uint64_t bin(int index, std::uint64_t count) {
    return (static_cast<std::uint64_t>(index + kIndexOffset) << kCountBits) | count;
  }
  // The bin's index as stored (offset): what orders bins and tells whether two are the same.
  static std::uint64_t stored_index(std::uint64_t b) { return b >> kCountBits; }
  static int index_of_bin(std::uint64_t b) {
    return static_cast<int>(stored_index(b)) - kIndexOffset;
  }
  static std::uint64_t count_of_bin(std::uint64_t b) { return b & kCountMask; }

  static int index_of(double value);
  static double value_of(int index);
  // Counts a value (its min, max and count); false when it is counted as zero, true when it
  // belongs in the bin of index_of(value).
  bool count_value(double value);
  // Counts another sketch's values as merge does, all but its bins; this one is not empty (an
  // empty one takes the other whole).
  void count_sketch(const LatencySketch& other);
  // Adds other's bins into this one's in place when it already has all their indexes (the
  // usual case when a query accumulates many buckets); false when it does not.
  bool add_bins_in_place(std::span<const std::uint64_t> other);

  SketchBins bins_;  // sorted by index, no zero counts
  std::uint64_t zero_count_ = 0;
  std::uint64_t count_ = 0;
  double min_ = 0;
  double max_ = 0;
};

// ceil(q * n) with a guard against q * n landing a hair above an integer (0.95 * 20).
std::uint64_t nearest_rank(double q, std::uint64_t n);

}  // namespace vitals
