#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "event_mix.h"
#include "random.h"

namespace vitals::traffic {

// One size observation a day for `days` days up to `now`, at 06:00 UTC (or a minute before
// `now` on the current day when that is still ahead): a random walk around `estimated_size`
// with a slow drift, so audience trends have a shape to show.
nlohmann::json daily_audience_sizes(std::int64_t estimated_size, int days, TimeMs now, Rng& rng);

}  // namespace vitals::traffic
