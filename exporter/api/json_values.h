#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace vitals {

// RFC 3339 text, or null when the time is unknown (kNoTime).
nlohmann::ordered_json time_or_null(TimeMs t);

// Percentages and rates are rounded to two decimals (half away from zero).
double round2(double value);

// part / whole * 100 rounded, or null when whole is 0.
nlohmann::ordered_json percent_or_null(double part, double whole);

// A whole number in [min, max] written in plain decimal digits; nullopt otherwise.
std::optional<long long> parse_bounded_int(std::string_view text, long long min, long long max);

}  // namespace vitals
