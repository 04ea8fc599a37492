#include "core/time_format.h"

#include <cstdio>

namespace vitals {
namespace {

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `width` decimal digits at `pos`.
bool read_digits(std::string_view s, size_t pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

std::optional<CivilDate> read_date(std::string_view s) {
  int y, m, d;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!read_digits(s, 0, 4, y) || !read_digits(s, 5, 2, m) || !read_digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, m)) {
    return std::nullopt;
  }
  return CivilDate{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

}  // namespace

// Howard Hinnant's well-known civil calendar arithmetic, written out for 64-bit day counts.
std::int64_t days_from_civil(CivilDate date) {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (date.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const unsigned d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const unsigned m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0)), m, d};
}

std::optional<TimeMs> parse_date(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  auto date = read_date(text);
  if (!date || date->year < 1) return std::nullopt;
  return days_from_civil(*date) * kMsPerDay;
}

std::optional<TimeMs> parse_rfc3339(std::string_view s) {
  auto date = read_date(s);
  if (!date || s.size() < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) {
    return std::nullopt;
  }
  int hh, mm, ss;
  if (!read_digits(s, 11, 2, hh) || s[13] != ':' || !read_digits(s, 14, 2, mm) || s[16] != ':' ||
      !read_digits(s, 17, 2, ss)) {
    return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  if (ss == 60) ss = 59;  // a leap second is folded into the second before it
  size_t pos = 19;
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    size_t digits = 0;
    for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++digits) {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  if (pos >= s.size()) return std::nullopt;
  int offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!read_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !read_digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const TimeMs local = days_from_civil(*date) * kMsPerDay + hh * kMsPerHour + mm * kMsPerMinute +
                       ss * kMsPerSecond + millis;
  return local - offset_minutes * kMsPerMinute;
}

// Digits written by hand: a dashboard at minute granularity formats thousands of these, and
// snprintf parsed its format string for each.
static char* put_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

static Rfc3339Text format_impl(TimeMs t, bool force_ms) {
  const TimeMs day_start = floor_to(t, kMsPerDay);
  const CivilDate d = civil_from_days(day_start / kMsPerDay);
  const TimeMs in_day = t - day_start;
  const auto hh = static_cast<unsigned>(in_day / kMsPerHour);
  const auto mm = static_cast<unsigned>(in_day % kMsPerHour / kMsPerMinute);
  const auto ss = static_cast<unsigned>(in_day % kMsPerMinute / kMsPerSecond);
  const auto ms = static_cast<unsigned>(in_day % kMsPerSecond);
  Rfc3339Text text;
  char* p = text.data;
  if (d.year >= 0 && d.year <= 9999) {
    p = put_digits(p, static_cast<unsigned>(d.year), 4);
  } else {
    p += std::snprintf(p, 16, "%04d", d.year);
  }
  *p++ = '-';
  p = put_digits(p, d.month, 2);
  *p++ = '-';
  p = put_digits(p, d.day, 2);
  *p++ = 'T';
  p = put_digits(p, hh, 2);
  *p++ = ':';
  p = put_digits(p, mm, 2);
  *p++ = ':';
  p = put_digits(p, ss, 2);
  if (force_ms || ms != 0) {
    *p++ = '.';
    p = put_digits(p, ms, 3);
  }
  *p++ = 'Z';
  text.size = static_cast<std::size_t>(p - text.data);
  return text;
}

Rfc3339Text rfc3339_text(TimeMs t) {
  return format_impl(t, false);
}
std::string format_rfc3339(TimeMs t) {
  return std::string(format_impl(t, false).view());
}
std::string format_rfc3339_ms(TimeMs t) {
  return std::string(format_impl(t, true).view());
}

std::optional<TimeMs> parse_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  TimeMs total = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    TimeMs value = 0;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (value > 1'000'000'000'000LL) return std::nullopt;
      value = value * 10 + (s[pos++] - '0');
    }
    if (pos == start || pos == s.size()) return std::nullopt;
    TimeMs unit;
    if (s.substr(pos, 2) == "ms") {
      unit = 1;
      pos += 2;
    } else {
      switch (s[pos++]) {
        case 's':
          unit = kMsPerSecond;
          break;
        case 'm':
          unit = kMsPerMinute;
          break;
        case 'h':
          unit = kMsPerHour;
          break;
        case 'd':
          unit = kMsPerDay;
          break;
        case 'w':
          unit = 7 * kMsPerDay;
          break;
        default:
          return std::nullopt;
      }
    }
    constexpr TimeMs kLongest = 100LL * 365 * kMsPerDay;
    if (value > kLongest / unit) return std::nullopt;  // before multiplying, so it cannot overflow
    total += value * unit;
    if (total > kLongest) return std::nullopt;
  }
  return total;
}

}  // namespace vitals
