#include "rollup/latency_sketch.h"

#include <algorithm>
#include <cmath>

namespace vitals {
namespace {

const double kGamma =
    (1 + LatencySketch::kRelativeAccuracy) / (1 - LatencySketch::kRelativeAccuracy);
const double kLogGamma = std::log(kGamma);

}  // namespace

std::uint64_t nearest_rank(double q, std::uint64_t n) {
  const double exact = q * static_cast<double>(n);
  auto rank = static_cast<std::uint64_t>(std::ceil(exact - 1e-9 * std::max(1.0, exact)));
  return std::clamp<std::uint64_t>(rank, 1, n);
}

int LatencySketch::index_of(double value) {
  return static_cast<int>(std::ceil(std::log(value) / kLogGamma));
}

double LatencySketch::value_of(int index) {
  return 2 * std::pow(kGamma, index) / (kGamma + 1);
}

void LatencySketch::add(double value) {
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  ++count_;
  if (value < kMinPositive) {
    ++zero_count_;
    return;
  }
  const int index = index_of(value);
  if (bins_.empty()) {
    offset_ = index;
    bins_.push_back(0);
  } else if (index < offset_) {
    bins_.insert(bins_.begin(), static_cast<size_t>(offset_ - index), 0);
    offset_ = index;
  } else if (index >= offset_ + static_cast<int>(bins_.size())) {
    bins_.resize(static_cast<size_t>(index - offset_ + 1), 0);
  }
  ++bins_[static_cast<size_t>(index - offset_)];
}

void LatencySketch::merge(const LatencySketch& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  zero_count_ += other.zero_count_;
  if (other.bins_.empty()) return;
  if (bins_.empty()) {
    bins_ = other.bins_;
    offset_ = other.offset_;
    return;
  }
  const int low = std::min(offset_, other.offset_);
  const int high = std::max(offset_ + static_cast<int>(bins_.size()),
                            other.offset_ + static_cast<int>(other.bins_.size()));
  if (low < offset_) bins_.insert(bins_.begin(), static_cast<size_t>(offset_ - low), 0);
  offset_ = low;
  bins_.resize(static_cast<size_t>(high - low), 0);
  const size_t shift = static_cast<size_t>(other.offset_ - low);
  for (size_t i = 0; i < other.bins_.size(); ++i) bins_[shift + i] += other.bins_[i];
}

double LatencySketch::quantile(double q) const {
  if (count_ == 0) return 0;
  const std::uint64_t rank = nearest_rank(q, count_);
  if (rank == count_) return max_;
  if (rank == 1) return min_;
  std::uint64_t seen = zero_count_;
  if (seen >= rank) return 0;
  for (size_t i = 0; i < bins_.size(); ++i) {
    seen += bins_[i];
    if (seen >= rank) {
      return std::clamp(value_of(offset_ + static_cast<int>(i)), min_, max_);
    }
  }
  return max_;
}

}  // namespace vitals
