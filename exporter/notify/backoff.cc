#include "notify/backoff.h"

#include <algorithm>

namespace vitals::notify {

TimeMs Backoff::delay(int failures, double unit) const {
  TimeMs full = initial;
  for (int i = 1; i < failures && full < max; ++i) full *= 2;
  full = std::min(full, max);
  const TimeMs half = full / 2;
  return half + static_cast<TimeMs>(unit * static_cast<double>(full - half));
}

}  // namespace vitals::notify
