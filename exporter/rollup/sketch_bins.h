#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace vitals {

// The bins of one LatencySketch: a sorted run of 64-bit words that keeps its first word inline
// and moves to the heap only when a second arrives. Most rollup buckets hold one event, or a few
// of the same latency bin, so most sketches never allocate; a std::vector would spend a heap
// block and 24 bytes on each of millions of them.
class SketchBins {
 public:
  SketchBins() = default;
  SketchBins(const SketchBins& other) { assign(other.span()); }
  SketchBins(SketchBins&& other) noexcept { take(other); }
  SketchBins& operator=(const SketchBins& other) {
    if (this != &other) assign(other.span());
    return *this;
  }
  SketchBins& operator=(SketchBins&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  ~SketchBins() { release(); }

  std::uint64_t* begin() { return data(); }
  std::uint64_t* end() { return data() + size_; }
  const std::uint64_t* begin() const { return data(); }
  const std::uint64_t* end() const { return data() + size_; }
  std::span<const std::uint64_t> span() const { return {data(), size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void insert(std::uint64_t* position, std::uint64_t word) {
    const size_t at = static_cast<size_t>(position - data());
    if (size_ == capacity()) grow(size_ + size_ / 2 + 1);
    std::uint64_t* words = data();
    std::memmove(words + at + 1, words + at, (size_ - at) * sizeof(std::uint64_t));
    words[at] = word;
    ++size_;
  }

  void reserve(size_t capacity) {
    if (capacity > this->capacity()) grow(capacity);
  }
  void push_back(std::uint64_t word) { insert(end(), word); }

  void assign(std::span<const std::uint64_t> words) {
    if (words.size() > capacity()) {
      release();
      heap_ = new std::uint64_t[words.size()];
      heap_capacity_ = static_cast<std::uint32_t>(words.size());
    }
    std::copy(words.begin(), words.end(), data());
    size_ = static_cast<std::uint32_t>(words.size());
  }

 private:
  bool on_heap() const { return heap_capacity_ != 0; }
  size_t capacity() const { return on_heap() ? heap_capacity_ : 1; }
  std::uint64_t* data() { return on_heap() ? heap_ : &inline_; }
  const std::uint64_t* data() const { return on_heap() ? heap_ : &inline_; }

  void grow(size_t capacity) {
    auto* words = new std::uint64_t[capacity];
    std::copy(begin(), end(), words);
    release_heap();
    heap_ = words;
    heap_capacity_ = static_cast<std::uint32_t>(capacity);
  }
  void release_heap() {
    if (on_heap()) delete[] heap_;
  }
  void release() {
    release_heap();
    heap_capacity_ = 0;
    size_ = 0;
  }
  void take(SketchBins& other) {
    heap_capacity_ = other.heap_capacity_;
    size_ = other.size_;
    if (on_heap()) {
      heap_ = other.heap_;
    } else {
      inline_ = other.inline_;
    }
    other.heap_capacity_ = 0;
    other.size_ = 0;
  }

  union {
    std::uint64_t inline_ = 0;
    std::uint64_t* heap_;
  };
  std::uint32_t size_ = 0;
  std::uint32_t heap_capacity_ = 0;  // 0: the one inline word is the storage
};

}  // namespace vitals
