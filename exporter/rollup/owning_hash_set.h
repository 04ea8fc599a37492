#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace vitals {

// Owns heap objects and finds them by a hash the caller computes: one flat array of
// (hash, object) slots, probed linearly from the slot the hash lands in.
//
// The rollups' full table looks up one of hundreds of thousands of series per event. In a
// std::unordered_set that is the bucket array, the node before the bucket's first, the node and
// then the object: dependent cache misses before the first comparison, and a profile of ingest
// put a seventh of vitals' time in that lookup (bench/README.md). Here a probe reads slots that
// sit side by side and carry the full hash, so the object is touched only on a hash match.
//
// Deleting closes the gap by moving later slots of the probe run back (no tombstones, so
// lookups never slow down after a retention pass).
template <class Value>
class OwningHashSet {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // The object with this hash for which `equal(const Value&)` holds, or null.
  template <class Equal>
  Value* find(size_t hash, Equal&& equal) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (!slot.value) return nullptr;
      if (slot.hash == hash && equal(*slot.value)) return slot.value.get();
    }
  }

  // `value` must not be in the set (find it first).
  Value& insert(size_t hash, std::unique_ptr<Value> value) {
    if ((size_ + 1) * 4 > slots_.size() * 3) rehash(std::max<size_t>(16, slots_.size() * 2));
    size_t i = hash & mask_;
    while (slots_[i].value) i = (i + 1) & mask_;
    slots_[i] = {hash, std::move(value)};
    ++size_;
    return *slots_[i].value;
  }

  void reserve(size_t count) {
    size_t capacity = std::max<size_t>(16, slots_.size());
    while (count * 4 > capacity * 3) capacity *= 2;
    if (capacity > slots_.size()) rehash(capacity);
  }

  // Slots by position, for walks that stop and resume: `at(p)` is the object in slot p, or null.
  size_t positions() const { return slots_.size(); }
  // Changes whenever every object may have moved (the set grew); a walk that resumes across a
  // change must start again, or it misses objects that moved back behind it.
  size_t layout() const { return layout_; }
  Value* at(size_t position) const { return slots_[position].value.get(); }

  // Takes the object at `position` (which must hold one) out. A later object of the same probe run
  // may move into `position`, so a walk in position order looks at it again; one may also move from
  // the start of the array to its end, where a walk sees it a second time.
  std::unique_ptr<Value> extract_at(size_t position) {
    std::unique_ptr<Value> out = std::move(slots_[position].value);
    --size_;
    size_t hole = position;
    for (size_t i = (hole + 1) & mask_; slots_[i].value; i = (i + 1) & mask_) {
      // It may fill the hole unless its home slot lies after the hole (cyclically).
      const size_t home = slots_[i].hash & mask_;
      if (((i - home) & mask_) >= ((i - hole) & mask_)) {
        slots_[hole] = std::move(slots_[i]);
        hole = i;
      }
    }
    return out;
  }

  template <class Visit>
  void for_each(Visit&& visit) const {
    for (const Slot& slot : slots_) {
      if (slot.value) visit(*slot.value);
    }
  }

  // Hands every object with its hash to `take(size_t, std::unique_ptr<Value>)`, leaving the set
  // empty.
  template <class Take>
  void drain(Take&& take) {
    std::vector<Slot> slots = std::exchange(slots_, {});
    size_ = 0;
    mask_ = 0;
    ++layout_;
    for (Slot& slot : slots) {
      if (slot.value) take(slot.hash, std::move(slot.value));
    }
  }

 private:
  struct Slot {
    size_t hash = 0;
    std::unique_ptr<Value> value;
  };

  void rehash(size_t capacity) {  // a power of two
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
    mask_ = capacity - 1;
    ++layout_;
    for (Slot& slot : old) {
      if (!slot.value) continue;
      size_t i = slot.hash & mask_;
      while (slots_[i].value) i = (i + 1) & mask_;
      slots_[i] = std::move(slot);
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
  size_t layout_ = 0;
};

}  // namespace vitals
