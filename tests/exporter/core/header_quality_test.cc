#include "core/header_quality.h"

#include <gtest/gtest.h>

namespace vitals {
namespace {

TEST(HeaderQuality, AnUnqualifiedValueIsOneAndAnAbsentOneZero) {
  EXPECT_EQ(header_quality("gzip, deflate", {"gzip"}), 1.0);
  EXPECT_EQ(header_quality("deflate, br", {"gzip"}), 0.0);
  EXPECT_EQ(header_quality("", {"gzip"}), 0.0);
  EXPECT_EQ(header_quality("gzipped", {"gzip"}), 0.0) << "whole values only";
}

TEST(HeaderQuality, ReadsQAmongOtherParametersAndTakesTheHighest) {
  EXPECT_EQ(header_quality("gzip;q=0", {"gzip"}), 0.0);
  EXPECT_EQ(header_quality("br, gzip ; q=0.3", {"gzip"}), 0.3);
  EXPECT_EQ(header_quality("text/plain;version=0.0.4;q=0.5", {"text/plain"}), 0.5);
  EXPECT_EQ(header_quality("a/b;q=0.2, a/b;version=2;q=0.7", {"a/b"}), 0.7);
  EXPECT_EQ(header_quality("a/b;Q=0.4", {"a/b"}), 0.4);
}

TEST(HeaderQuality, ComparesValuesWithoutCaseAndAcceptsAnyListedOne) {
  EXPECT_EQ(header_quality("GZIP", {"gzip"}), 1.0);
  EXPECT_EQ(header_quality("x-gzip;q=0.6", {"gzip", "x-gzip"}), 0.6);
}

TEST(HeaderQuality, AGarbledQNeverWins) {
  EXPECT_EQ(header_quality("gzip;q=high", {"gzip"}), 0.0);
  EXPECT_EQ(header_quality("gzip;q=7", {"gzip"}), 1.0) << "clamped to the range";
}

}  // namespace
}  // namespace vitals
