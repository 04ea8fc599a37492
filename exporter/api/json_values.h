#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace vitals {

// RFC 3339 text, or null when the time is unknown (kNoTime).
nlohmann::ordered_json time_or_null(TimeMs t);

nlohmann::ordered_json text_or_null(const std::optional<std::string>& text);

// Percentages and rates are rounded to two decimals (half away from zero).
double round2(double value);

// part / whole * 100 rounded, or null when whole is 0.
nlohmann::ordered_json percent_or_null(double part, double whole);

// A whole number in [min, max] written in plain decimal digits; nullopt otherwise.
std::optional<long long> parse_bounded_int(std::string_view text, long long min, long long max);

// The values of a comma-separated query parameter; empty values ("a,,b", a trailing comma) are
// dropped.
std::vector<std::string> split_csv(std::string_view text);

// "a, b, c": for messages that list the accepted values.
std::string comma_separated(std::span<const std::string_view> names);

}  // namespace vitals
