#include "audience_sizes.h"

#include <algorithm>

namespace vitals::traffic {

nlohmann::json daily_audience_sizes(std::int64_t estimated_size, int days, TimeMs now, Rng& rng) {
  constexpr TimeMs kDay = 24 * kMsPerHour;
  const TimeMs today = now - now % kDay;
  const double drift = (rng.uniform() - 0.4) * 0.01;  // most audiences grow slowly
  double size = static_cast<double>(estimated_size) * (1 - drift * days);
  nlohmann::json observations = nlohmann::json::array();
  for (int d = days - 1; d >= 0; --d) {
    size *= 1 + drift + (rng.uniform() - 0.5) * 0.02;
    const TimeMs at = std::min(today - d * kDay + 6 * kMsPerHour, now - 60'000);
    observations.push_back(
        {{"time", format_time(at)}, {"size", std::max<std::int64_t>(0, std::llround(size))}});
  }
  return observations;
}

}  // namespace vitals::traffic
