#include "rollup/latency_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace vitals {
namespace {

double exact_nearest_rank(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[nearest_rank(q, values.size()) - 1];
}

void expect_within_one_percent(const LatencySketch& sketch, const std::vector<double>& values) {
  for (double q : {0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0}) {
    const double exact = exact_nearest_rank(values, q);
    const double estimate = sketch.quantile(q);
    EXPECT_LE(std::abs(estimate - exact), 0.01 * exact + 1e-9)
        << "q=" << q << " exact=" << exact << " estimate=" << estimate;
  }
}

TEST(NearestRank, IsCeilingOfQTimesN) {
  EXPECT_EQ(nearest_rank(0.95, 20), 19u);  // 0.95 * 20 is 19.000000000000004 in doubles
  EXPECT_EQ(nearest_rank(0.5, 3), 2u);
  EXPECT_EQ(nearest_rank(0.5, 4), 2u);
  EXPECT_EQ(nearest_rank(0.01, 10), 1u);
  EXPECT_EQ(nearest_rank(1.0, 7), 7u);
}

TEST(LatencySketch, EmptyAnswersZero) {
  LatencySketch s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.quantile(0.5), 0);
}

TEST(LatencySketch, SingleValueIsExact) {
  LatencySketch s;
  s.add(183.5);
  EXPECT_EQ(s.quantile(0.5), 183.5);
  EXPECT_EQ(s.quantile(0.99), 183.5);
}

TEST(LatencySketch, ZeroesAreCountedAsZero) {
  LatencySketch s;
  for (int i = 0; i < 10; ++i) s.add(0);
  s.add(50);
  EXPECT_EQ(s.quantile(0.5), 0);
  EXPECT_EQ(s.quantile(1.0), 50);
  EXPECT_EQ(s.count(), 11u);
}

TEST(LatencySketch, LogNormalLatenciesStayWithinOnePercent) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(5.0, 1.5);
  std::vector<double> values;
  LatencySketch s;
  for (int i = 0; i < 20000; ++i) {
    values.push_back(dist(rng));
    s.add(values.back());
  }
  expect_within_one_percent(s, values);
}

TEST(LatencySketch, WideRangeFromMicrosecondsToHours) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-3, 7);
  std::vector<double> values;
  LatencySketch s;
  for (int i = 0; i < 5000; ++i) {
    values.push_back(std::pow(10.0, exponent(rng)));
    s.add(values.back());
  }
  expect_within_one_percent(s, values);
}

// Bin representatives come from a table over the bins of 1e-6 to 1e9 ms (what ingest accepts)
// and from the formula beyond it, e.g. for a sketch read from a file: both ends and past them.
TEST(LatencySketch, FromTheSmallestPositiveToPastTheIngestLimitStaysWithinOnePercent) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> exponent(-6, 12);
  std::vector<double> values = {1e-6, 1.0000001e-6, 1e9, 0.9999999e9};
  LatencySketch s;
  for (int i = 0; i < 5000; ++i) values.push_back(std::pow(10.0, exponent(rng)));
  for (double v : values) s.add(v);
  expect_within_one_percent(s, values);
}

TEST(LatencySketch, MergedSketchesAnswerLikeOneOverAllValues) {
  std::mt19937_64 rng(3);
  std::exponential_distribution<double> dist(0.01);
  std::vector<double> values;
  LatencySketch merged;
  for (int part = 0; part < 50; ++part) {
    LatencySketch piece;
    const double scale =
        1 + part * 3;  // pieces with different ranges grow the bin vector both ways
    for (int i = 0; i < 200; ++i) {
      values.push_back(dist(rng) * scale);
      piece.add(values.back());
    }
    merged.merge(piece);
  }
  EXPECT_EQ(merged.count(), values.size());
  expect_within_one_percent(merged, values);
  EXPECT_EQ(merged.max(), *std::max_element(values.begin(), values.end()));
  EXPECT_EQ(merged.min(), *std::min_element(values.begin(), values.end()));
}

// add() narrows its search by how far apart bin indexes can be; merge() finds bins its own way.
// Runs of adjacent bins with gaps between them, in shuffled order, exercise every bound.
TEST(LatencySketch, AddingValuesOneByOneEqualsMergingThem) {
  std::mt19937_64 rng(11);
  const double gamma =
      (1 + LatencySketch::kRelativeAccuracy) / (1 - LatencySketch::kRelativeAccuracy);
  for (int round = 0; round < 200; ++round) {
    std::vector<double> values;
    const int runs = 1 + static_cast<int>(rng() % 5);
    int index = static_cast<int>(rng() % 200) - 100;
    for (int r = 0; r < runs; ++r) {
      const int length = 1 + static_cast<int>(rng() % 30);
      for (int i = 0; i < length; ++i, ++index) {
        for (int copies = 1 + static_cast<int>(rng() % 3); copies > 0; --copies) {
          values.push_back(std::pow(gamma, index - 0.5));  // inside bin `index`
        }
      }
      index += static_cast<int>(rng() % 40);  // a gap, or none
    }
    std::shuffle(values.begin(), values.end(), rng);
    LatencySketch added, merged;
    for (double v : values) {
      added.add(v);
      LatencySketch one;
      one.add(v);
      merged.merge(one);
    }
    ASSERT_TRUE(added == merged) << "round " << round;
    EXPECT_EQ(added.bin_count(), merged.bin_count());
  }
}

TEST(LatencySketch, MergeIntoEmptyAndFromEmpty) {
  LatencySketch a, b, empty;
  b.add(10);
  b.add(20);
  a.merge(b);
  a.merge(empty);
  EXPECT_EQ(a.count(), 2u);
  EXPECT_EQ(a.quantile(1.0), 20);
}

TEST(LatencySketch, QuantilesInOneWalkMatchEachQuantileAlone) {
  std::mt19937_64 rng(9);
  std::lognormal_distribution<double> dist(3.0, 2.0);
  for (size_t n : {1u, 2u, 5u, 100u, 5000u}) {
    LatencySketch s;
    for (size_t i = 0; i < n; ++i) s.add(i % 7 == 0 ? 0.0 : dist(rng));
    const std::vector<double> qs = {0.01, 0.1, 0.5, 0.5, 0.9, 0.95, 0.99, 1.0};
    std::vector<double> got(qs.size());
    s.quantiles(qs, got);
    for (size_t i = 0; i < qs.size(); ++i) {
      EXPECT_EQ(got[i], s.quantile(qs[i])) << "n=" << n << " q=" << qs[i];
    }
  }
}

}  // namespace
}  // namespace vitals
