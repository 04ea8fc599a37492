#pragma once

#include <algorithm>
#include <span>
#include <vector>

#include "rollup/bucket_value.h"

namespace vitals {

// One series' buckets of one tier, sorted by start, in one contiguous array.
//
// A std::map spent a tree node and a heap block on each of millions of buckets, most holding
// a single event, and scattered them over the heap: queries chased pointers, freeing them at
// shutdown took half a minute at 10 M events, and the freed chunks stalled the next large
// allocation. Events arrive nearly in time order, so the bucket wanted is the last one or a new
// last one; a late event inserts in the middle, which moves at most a series' buckets of one
// tier (hundreds).
class BucketList {
 public:
  struct Bucket {
    TimeMs start;
    BucketValue value;
  };

  BucketValue& at(TimeMs start) {
    if (buckets_.empty() || buckets_.back().start < start) return append(start);
    if (buckets_.back().start == start) return buckets_.back().value;
    auto it = first_at_or_after(start);
    if (it->start != start) it = buckets_.insert(it, Bucket{start, BucketValue{}});
    return it->value;
  }

  // The buckets starting in [from, to).
  std::span<const Bucket> range(TimeMs from, TimeMs to) const {
    auto first = std::lower_bound(buckets_.begin(), buckets_.end(), from, starts_before);
    auto last = std::lower_bound(first, buckets_.end(), to, starts_before);
    return {first, last};
  }

  std::span<const Bucket> all() const { return buckets_; }

  void erase_before(TimeMs cutoff) {
    buckets_.erase(buckets_.begin(), first_at_or_after(cutoff));
    if (buckets_.capacity() > 2 * buckets_.size() + 4) buckets_.shrink_to_fit();
  }

  // For a list read back whole: exactly the room it needs, none to spare.
  void reserve(size_t count) { buckets_.reserve(count); }

  size_t size() const { return buckets_.size(); }
  bool empty() const { return buckets_.empty(); }

 private:
  static bool starts_before(const Bucket& b, TimeMs t) { return b.start < t; }

  std::vector<Bucket>::iterator first_at_or_after(TimeMs t) {
    return std::lower_bound(buckets_.begin(), buckets_.end(), t, starts_before);
  }

  // Grows by half rather than doubling: a series gains buckets steadily for the whole
  // retention, so the spare capacity at the end is a standing cost on every series.
  BucketValue& append(TimeMs start) {
    if (buckets_.size() == buckets_.capacity()) {
      buckets_.reserve(buckets_.size() + buckets_.size() / 2 + 2);
    }
    return buckets_.emplace_back(Bucket{start, BucketValue{}}).value;
  }

  std::vector<Bucket> buckets_;
};

}  // namespace vitals
