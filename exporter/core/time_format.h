#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace vitals {

struct CivilDate {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

std::int64_t days_from_civil(CivilDate date);
CivilDate civil_from_days(std::int64_t days);

// RFC 3339 date-time with a mandatory zone ("Z" or "+hh:mm"); fractional seconds are kept to
// the millisecond. Returns nullopt for anything else, including impossible dates.
std::optional<TimeMs> parse_rfc3339(std::string_view text);

// A plain calendar date "YYYY-MM-DD", as midnight UTC. Years run from 0001, as in the dates
// of the dashboard's FastAPI document (RFC 3339 date-times may name year 0000; dates may not).
std::optional<TimeMs> parse_date(std::string_view text);

// "2026-02-17T10:00:00Z", or with ".123" when the time has milliseconds.
std::string format_rfc3339(TimeMs t);

// The same text held in place, for a writer that copies it out at once: over 15 characters, a
// std::string of it is a heap block, and a month's hourly dashboard writes two thousand.
struct Rfc3339Text {
  char data[40];
  std::size_t size = 0;
  std::string_view view() const { return {data, size}; }
};
Rfc3339Text rfc3339_text(TimeMs t);

// Always with milliseconds: "2026-02-17T10:00:00.000Z".
std::string format_rfc3339_ms(TimeMs t);

// Durations such as "15s", "5m", "35d", "1h30m", "250ms". Returns nullopt on bad syntax.
std::optional<TimeMs> parse_duration(std::string_view text);

}  // namespace vitals
