#include "rollup/sketch_bins.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace vitals {
namespace {

std::vector<std::uint64_t> words(const SketchBins& bins) {
  return {bins.begin(), bins.end()};
}

SketchBins bins_of(const std::vector<std::uint64_t>& w) {
  SketchBins bins;
  bins.assign(w);
  return bins;
}

TEST(SketchBins, KeepsOneWordInlineAndSpillsInOrder) {
  SketchBins bins;
  EXPECT_TRUE(bins.empty());
  bins.insert(bins.end(), 20);
  EXPECT_EQ(words(bins), std::vector<std::uint64_t>{20});
  bins.insert(bins.begin(), 10);
  bins.insert(bins.end(), 40);
  bins.insert(bins.begin() + 2, 30);
  EXPECT_EQ(words(bins), (std::vector<std::uint64_t>{10, 20, 30, 40}));
  ++*bins.begin();
  EXPECT_EQ(*bins.begin(), 11u);
}

TEST(SketchBins, CopiesAndMovesBothInlineAndSpilled) {
  for (const auto& w : {std::vector<std::uint64_t>{7}, std::vector<std::uint64_t>{1, 2, 3}}) {
    SketchBins original = bins_of(w);
    SketchBins copy = original;
    EXPECT_EQ(words(copy), w);
    *copy.begin() = 99;  // the copy owns its words
    EXPECT_EQ(words(original), w);
    SketchBins moved = std::move(original);
    EXPECT_EQ(words(moved), w);
    SketchBins assigned;
    assigned = moved;
    EXPECT_EQ(words(assigned), w);
    assigned = std::move(copy);
    EXPECT_EQ(*assigned.begin(), 99u);
  }
}

TEST(SketchBins, AssignShrinksAndGrows) {
  SketchBins bins = bins_of({1, 2, 3, 4, 5});
  bins.assign(std::vector<std::uint64_t>{8});
  EXPECT_EQ(words(bins), std::vector<std::uint64_t>{8});
  bins.assign(std::vector<std::uint64_t>{});
  EXPECT_TRUE(bins.empty());
  bins.assign(std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(bins.size(), 7u);
}

TEST(SketchBins, ReserveThenPushBackKeepsOrder) {
  SketchBins bins;
  bins.reserve(5);
  for (std::uint64_t w : {3, 5, 7, 9, 11, 13}) bins.push_back(w);
  EXPECT_EQ(words(bins), (std::vector<std::uint64_t>{3, 5, 7, 9, 11, 13}));
  SketchBins one;
  one.reserve(1);
  one.push_back(4);
  EXPECT_EQ(words(one), std::vector<std::uint64_t>{4});
}

}  // namespace
}  // namespace vitals
