#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace vitals::traffic {

// A seeded source of randomness. The distributions are written out here instead of using
// std::uniform_real_distribution and friends because those are implementation-defined: a run
// with a given --seed must produce the same events with every standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1), from the top 53 bits so every double in the range is equally likely.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  bool chance(double probability) { return uniform() < probability; }

  // Uniform in [0, n); n must be positive.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * n); }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

  // Standard normal by Box-Muller; 1 - uniform() keeps the logarithm's argument above zero.
  double normal() {
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    return radius * std::cos(2.0 * std::numbers::pi * uniform());
  }

  // Durations and volumes in real systems have a long right tail; a log-normal around a median
  // reproduces that better than anything symmetric.
  double log_normal(double median, double sigma) { return median * std::exp(sigma * normal()); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace vitals::traffic
