#include "api/json_values.h"

#include <cmath>

#include "core/time_format.h"
#include "rollup/aggregate.h"

namespace vitals {

nlohmann::ordered_json time_or_null(TimeMs t) {
  if (t == kNoTime) return nullptr;
  return format_rfc3339(t);
}

double round2(double value) {
  return std::round(value * 100.0) / 100.0;
}

nlohmann::ordered_json percent_or_null(double part, double whole) {
  if (whole == 0) return nullptr;
  return round2(part / whole * 100.0);
}

std::optional<long long> parse_bounded_int(std::string_view text, long long min, long long max) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

}  // namespace vitals
