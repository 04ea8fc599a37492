#include "api/json_values.h"

#include <algorithm>
#include <cmath>

#include "core/time_format.h"
#include "rollup/aggregate.h"

namespace vitals {

nlohmann::ordered_json time_or_null(TimeMs t) {
  if (t == kNoTime) return nullptr;
  return format_rfc3339(t);
}

nlohmann::ordered_json text_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
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

std::vector<std::string> split_csv(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.emplace_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string comma_separated(std::span<const std::string_view> names) {
  std::string out;
  for (auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

}  // namespace vitals
