#include "rollup/latency_sketch.h"

#include <algorithm>
#include <cmath>
#include <vector>

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

namespace {

double representative(int index) {
  return 2 * std::pow(kGamma, index) / (kGamma + 1);
}

// The representatives of every bin a value from kMinPositive to the ingest limit of 1e9 ms
// lands in, computed once with the same formula: the envelope's latency panel takes four
// quantiles of each of 720 hourly sketches, and std::pow was a twentieth of writing it.
struct RepresentativeTable {
  int first = 0;
  std::vector<double> values;
  RepresentativeTable(int first_index, int last_index) : first(first_index) {
    for (int i = first_index; i <= last_index; ++i) values.push_back(representative(i));
  }
};

}  // namespace

double LatencySketch::value_of(int index) {
  static const RepresentativeTable table(index_of(kMinPositive), index_of(1e9));
  const auto slot = static_cast<size_t>(index - table.first);
  return slot < table.values.size() ? table.values[slot] : representative(index);
}

bool LatencySketch::count_value(double value) {
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  ++count_;
  if (value >= kMinPositive) return true;
  ++zero_count_;
  return false;
}

void LatencySketch::count_sketch(const LatencySketch& other) {
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  zero_count_ += other.zero_count_;
}

void LatencySketch::add(double value) {
  if (!count_value(value)) return;
  const std::uint64_t first_of_index = bin(index_of(value), 0);
  auto it = std::lower_bound(bins_.begin(), bins_.end(), first_of_index);
  if (it != bins_.end() && stored_index(*it) == stored_index(first_of_index)) {
    ++*it;
  } else {
    bins_.insert(it, first_of_index + 1);
  }
}

bool LatencySketch::add_bins_in_place(std::span<const std::uint64_t> other) {
  auto mine = bins_.begin();
  for (std::uint64_t b : other) {
    while (mine != bins_.end() && stored_index(*mine) < stored_index(b)) ++mine;
    if (mine == bins_.end() || stored_index(*mine) != stored_index(b)) return false;
  }
  mine = bins_.begin();
  for (std::uint64_t b : other) {
    while (stored_index(*mine) < stored_index(b)) ++mine;
    *mine += count_of_bin(b);
  }
  return true;
}

void LatencySketch::merge(const LatencySketch& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  count_sketch(other);
  if (other.bins_.empty() || add_bins_in_place(other.bins_.span())) return;
  std::vector<std::uint64_t> merged;
  merged.reserve(bins_.size() + other.bins_.size());
  auto a = bins_.begin();
  auto b = other.bins_.begin();
  while (a != bins_.end() || b != other.bins_.end()) {
    if (b == other.bins_.end() || (a != bins_.end() && stored_index(*a) < stored_index(*b))) {
      merged.push_back(*a++);
    } else if (a == bins_.end() || stored_index(*b) < stored_index(*a)) {
      merged.push_back(*b++);
    } else {
      merged.push_back(*a++ + count_of_bin(*b++));
    }
  }
  bins_.assign(merged);
}

bool LatencySketch::operator==(const LatencySketch& other) const {
  const auto mine = bins_.span();
  const auto theirs = other.bins_.span();
  return count_ == other.count_ && zero_count_ == other.zero_count_ && min_ == other.min_ &&
         max_ == other.max_ && std::equal(mine.begin(), mine.end(), theirs.begin(), theirs.end());
}

// Bins as (index delta, count) pairs: indexes are sorted, so the deltas are small.
void LatencySketch::write(BinaryWriter& out) const {
  out.u64(count_);
  out.u64(zero_count_);
  out.f64(min_);
  out.f64(max_);
  out.u64(bins_.size());
  std::uint64_t previous = 0;
  for (std::uint64_t b : bins_) {
    out.u64(stored_index(b) - previous);
    out.u64(count_of_bin(b));
    previous = stored_index(b);
  }
}

LatencySketch LatencySketch::read(BinaryReader& in) {
  constexpr size_t kMaxBins = 1 << 16;  // indexes span a few thousand; see kIndexOffset
  LatencySketch s;
  s.count_ = in.u64();
  s.zero_count_ = in.u64();
  s.min_ = in.f64();
  s.max_ = in.f64();
  const size_t bin_count = in.count(kMaxBins);
  s.bins_.reserve(bin_count);
  std::uint64_t index = 0;
  std::uint64_t counted = s.zero_count_;
  for (size_t i = 0; i < bin_count; ++i) {
    const std::uint64_t delta = in.u64();
    const std::uint64_t count = in.u64();
    index += delta;
    if ((delta == 0 && i > 0) || count == 0 || count > kCountMask ||
        index >= (std::uint64_t{1} << (64 - kCountBits))) {
      throw BinaryFormatError("a latency sketch has an invalid bin");
    }
    s.bins_.push_back((index << kCountBits) | count);
    counted += count;
  }
  if (counted != s.count_) throw BinaryFormatError("a latency sketch's bins do not add up");
  return s;
}

double LatencySketch::quantile(double q) const {
  double out = 0;
  quantiles({&q, 1}, {&out, 1});
  return out;
}

void LatencySketch::quantiles(std::span<const double> qs, std::span<double> out) const {
  if (count_ == 0) {
    std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(qs.size()), 0.0);
    return;
  }
  const auto* next = bins_.begin();  // the first bin not yet counted
  std::uint64_t seen = zero_count_;  // values below `next`
  for (size_t i = 0; i < qs.size(); ++i) {
    const std::uint64_t rank = nearest_rank(qs[i], count_);
    if (rank == count_) {
      out[i] = max_;
      continue;
    }
    if (rank == 1) {
      out[i] = min_;
      continue;
    }
    if (rank <= zero_count_) {
      out[i] = 0;
      continue;
    }
    while (seen < rank && next != bins_.end()) seen += count_of_bin(*next++);
    // The rank falls in the last bin counted (next - 1), unless the bins ran out first.
    out[i] = seen >= rank ? std::clamp(value_of(index_of_bin(next[-1])), min_, max_) : max_;
  }
}

}  // namespace vitals
