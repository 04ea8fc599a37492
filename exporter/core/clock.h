#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>

namespace vitals {

// Milliseconds since the Unix epoch, UTC. Every component that needs "now" takes a Clock so
// that tests move time explicitly instead of sleeping.
using TimeMs = std::int64_t;

inline constexpr TimeMs kMsPerSecond = 1000;
inline constexpr TimeMs kMsPerMinute = 60 * kMsPerSecond;
inline constexpr TimeMs kMsPerHour = 60 * kMsPerMinute;
inline constexpr TimeMs kMsPerDay = 24 * kMsPerHour;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that only moves when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeMs start) : now_(start) {}
  TimeMs now_ms() const override { return now_.load(); }
  void set(TimeMs t) { now_.store(t); }
  void advance(TimeMs delta) { now_.fetch_add(delta); }

 private:
  std::atomic<TimeMs> now_;
};

// Floor division that rounds towards negative infinity (C++ '/' truncates towards zero).
constexpr TimeMs floor_to(TimeMs t, TimeMs step) {
  TimeMs q = t / step;
  if ((t % step != 0) && ((t < 0) != (step < 0))) --q;
  return q * step;
}

// Sums of client-supplied counts saturate rather than overflow.
constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  return __builtin_add_overflow(a, b, &sum) ? (b > 0 ? INT64_MAX : INT64_MIN) : sum;
}

}  // namespace vitals
