#include "rollup/latency_sketch_accumulator.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace vitals {
namespace {

LatencySketch sketch_of(const std::vector<double>& values) {
  LatencySketch s;
  for (double v : values) s.add(v);
  return s;
}

// Sketches of `count` values each, log-normal around `median`, some of them zero.
std::vector<LatencySketch> random_sketches(size_t sketches, size_t count, double median,
                                           unsigned seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> latency(std::log(median), 1.5);
  std::bernoulli_distribution zero(0.05);
  std::vector<LatencySketch> out;
  for (size_t i = 0; i < sketches; ++i) {
    LatencySketch s;
    for (size_t j = 0; j < count; ++j) s.add(zero(rng) ? 0.0 : latency(rng));
    out.push_back(s);
  }
  return out;
}

TEST(LatencySketchAccumulator, EmptyGivesAnEmptySketch) {
  LatencySketchAccumulator sum;
  sum.merge(LatencySketch());
  EXPECT_TRUE(sum.take().empty());
}

TEST(LatencySketchAccumulator, OneSketchComesBackAsItWas) {
  const LatencySketch one = sketch_of({3, 40, 500, 0, 7000});
  LatencySketchAccumulator sum;
  sum.merge(one);
  EXPECT_EQ(sum.take(), one);
}

TEST(LatencySketchAccumulator, ManySketchesSumToWhatMergeGives) {
  for (size_t per_sketch : {1u, 3u, 40u, 400u}) {
    LatencySketch merged;
    LatencySketchAccumulator sum;
    for (const LatencySketch& s : random_sketches(200, per_sketch, 120, 7 + per_sketch)) {
      merged.merge(s);
      sum.merge(s);
    }
    ASSERT_GT(merged.bin_count(), 0u);
    EXPECT_EQ(sum.take(), merged) << per_sketch << " values per sketch";
  }
}

// The dense range grows downward and upward as sketches of lower and higher latencies arrive.
TEST(LatencySketchAccumulator, RangeGrowsOnBothSides) {
  LatencySketch merged;
  LatencySketchAccumulator sum;
  for (double median : {100.0, 0.01, 1e6, 1.0, 3e8}) {
    for (const LatencySketch& s : random_sketches(5, 60, median, unsigned(median))) {
      merged.merge(s);
      sum.merge(s);
    }
  }
  EXPECT_EQ(sum.take(), merged);
}

TEST(LatencySketchAccumulator, ValuesAddedBetweenMergesCountAsInOneSketch) {
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> latency(5, 2);
  LatencySketch merged;
  LatencySketchAccumulator sum;
  for (const LatencySketch& s : random_sketches(50, 30, 200, 11)) {
    merged.merge(s);
    sum.merge(s);
    for (int i = 0; i < 3; ++i) {
      const double v = i == 0 ? 0.0 : latency(rng);
      merged.add(v);
      sum.add(v);
    }
  }
  EXPECT_EQ(sum.take(), merged);
}

// Latencies of 0 ms are counted apart from the bins: sums of such sketches have none, and a
// wide sketch merged after them must still give what merge gives.
TEST(LatencySketchAccumulator, SumsOfZerosOnlyThenAWideSketch) {
  const LatencySketch zeros = sketch_of({0, 0, 0});
  const LatencySketch wide = random_sketches(1, 2000, 50, 9).front();
  ASSERT_GT(wide.bin_count(), 100u);
  LatencySketchAccumulator sum;
  LatencySketch want;
  for (const LatencySketch* s : {&zeros, &zeros, &zeros, &wide, &wide}) {
    sum.merge(*s);
    want.merge(*s);
  }
  EXPECT_EQ(sum.take(), want);
}

TEST(LatencySketchAccumulator, IsEmptyAgainAfterTake) {
  LatencySketchAccumulator sum;
  for (const LatencySketch& s : random_sketches(20, 50, 100, 5)) sum.merge(s);
  EXPECT_GT(sum.take().count(), 0u);
  const LatencySketch one = sketch_of({12});
  sum.merge(one);
  EXPECT_EQ(sum.take(), one);
}

}  // namespace
}  // namespace vitals
