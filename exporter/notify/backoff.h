#pragma once

#include "core/clock.h"

namespace vitals::notify {

// Exponential backoff with jitter: the n-th retry in a row waits between half and all of
// initial·2^(n−1), capped at `max`. The jitter keeps many vitals (or many receivers) that failed
// together from retrying in lockstep.
struct Backoff {
  TimeMs initial = kMsPerSecond;
  TimeMs max = 5 * kMsPerMinute;

  // `failures` ≥ 1; `unit` is a random number in [0, 1).
  TimeMs delay(int failures, double unit) const;
};

}  // namespace vitals::notify
