#include "core/time_format.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace vitals {
namespace {

// 2026-02-17T10:00:00Z.
constexpr TimeMs kT = 1771322400000;

std::optional<TimeMs> at(TimeMs t) {
  return t;
}

// --- parse_rfc3339 ----------------------------------------------------------------------------

TEST(ParseRfc3339, UtcWithZ) {
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00Z"), at(kT));
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), at(0));
}

TEST(ParseRfc3339, LowerCaseZAndT) {
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00z"), at(kT));
  EXPECT_EQ(parse_rfc3339("2026-02-17t10:00:00Z"), at(kT));
}

TEST(ParseRfc3339, PositiveOffset) {
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00+05:30"), at(kT - (5 * 60 + 30) * kMsPerMinute));
  EXPECT_EQ(parse_rfc3339("2026-02-17T15:30:00+05:30"), at(kT));
}

TEST(ParseRfc3339, NegativeOffset) {
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00-08:00"), at(kT + 8 * kMsPerHour));
  EXPECT_EQ(parse_rfc3339("2026-02-17T02:00:00-08:00"), at(kT));
}

TEST(ParseRfc3339, ZeroOffsetsEqualZ) {
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00+00:00"), at(kT));
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00-00:00"), at(kT));
}

TEST(ParseRfc3339, OffsetCrossesTheDayBoundary) {
  EXPECT_EQ(parse_rfc3339("2026-02-18T01:00:00+15:00"), at(kT));
  EXPECT_EQ(parse_rfc3339("2026-02-16T23:00:00-11:00"), at(kT));
}

TEST(ParseRfc3339, FractionalSecondsAreKeptToTheMillisecond) {
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00.123Z"), at(kT + 123));
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00.5Z"), at(kT + 500));
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00.05Z"), at(kT + 50));
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00.000Z"), at(kT));
}

TEST(ParseRfc3339, ExtraFractionalDigitsAreTruncatedNotRounded) {
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00.123456789Z"), at(kT + 123));
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00.9999Z"), at(kT + 999));
  EXPECT_EQ(parse_rfc3339("2026-02-17T10:00:00.0019+01:00"), at(kT - kMsPerHour + 1));
}

TEST(ParseRfc3339, LeapDay) {
  EXPECT_EQ(parse_rfc3339("2024-02-29T12:00:00Z"), at(1709208000000));
  EXPECT_FALSE(parse_rfc3339("2023-02-29T12:00:00Z").has_value());
  EXPECT_TRUE(parse_rfc3339("2000-02-29T00:00:00Z").has_value()) << "2000 is a leap year";
  EXPECT_FALSE(parse_rfc3339("1900-02-29T00:00:00Z").has_value()) << "1900 is not";
}

TEST(ParseRfc3339, ImpossibleDatesAndTimes) {
  for (const char* bad : {"2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-32T00:00:00Z",
                          "2026-04-31T00:00:00Z", "2026-01-00T00:00:00Z", "2026-02-17T24:00:00Z",
                          "2026-02-17T10:60:00Z", "2026-02-17T10:00:61Z",
                          "2026-02-17T10:00:00+24:00", "2026-02-17T10:00:00+05:60"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(ParseRfc3339, MissingZoneIsRejected) {
  EXPECT_FALSE(parse_rfc3339("2026-02-17T10:00:00").has_value());
  EXPECT_FALSE(parse_rfc3339("2026-02-17T10:00:00.123").has_value());
}

TEST(ParseRfc3339, MalformedInputIsRejected) {
  for (const char* bad :
       {"", "2026-02-17", "2026-02-17T10:00Z", "2026-2-17T10:00:00Z", "26-02-17T10:00:00Z",
        "2026/02/17T10:00:00Z", "2026-02-17X10:00:00Z", "2026-02-17T10-00-00Z",
        "2026-02-17T10:00:00.Z", "2026-02-17T10:00:00+0530", "2026-02-17T10:00:00+05",
        "2026-02-17T10:00:00+5:30", "2026-02-17T10:00:00 Z", "2026-02-17T10:00:00UTC",
        " 2026-02-17T10:00:00Z", "2026-02-17T1a:00:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(ParseRfc3339, TrailingGarbageIsRejected) {
  for (const char* bad :
       {"2026-02-17T10:00:00Zx", "2026-02-17T10:00:00Z ", "2026-02-17T10:00:00+05:30x",
        "2026-02-17T10:00:00+05:30Z", "2026-02-17T10:00:00ZZ"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(ParseRfc3339, DatesBefore1970) {
  EXPECT_EQ(parse_rfc3339("1969-12-31T23:59:59Z"), at(-1000));
  EXPECT_EQ(parse_rfc3339("1969-12-31T23:59:59.999Z"), at(-1));
  EXPECT_EQ(parse_rfc3339("1969-07-20T20:17:40Z"), at(-14182940000));
  EXPECT_EQ(parse_rfc3339("1900-01-01T00:00:00Z"), at(-2208988800000));
}

// --- format_rfc3339 / format_rfc3339_ms ------------------------------------------------------

TEST(FormatRfc3339, WholeSecondsHaveNoFraction) {
  EXPECT_EQ(format_rfc3339(kT), "2026-02-17T10:00:00Z");
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
}

TEST(Rfc3339Text, HoldsTheTextFormatRfc3339Returns) {
  for (TimeMs t : {TimeMs{0}, TimeMs{-1}, TimeMs{1771322400000}, TimeMs{1771322400007},
                   TimeMs{253402300800000}, TimeMs{-62135596800000}}) {
    EXPECT_EQ(rfc3339_text(t).view(), format_rfc3339(t)) << t;
  }
}

TEST(FormatRfc3339, MillisecondsAreShownWhenPresent) {
  EXPECT_EQ(format_rfc3339(kT + 7), "2026-02-17T10:00:00.007Z");
  EXPECT_EQ(format_rfc3339(kT + 120), "2026-02-17T10:00:00.120Z");
}

TEST(FormatRfc3339, EveryFieldIsZeroPaddedAndYearsOutsideFourDigitsStillWrite) {
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("0987-03-04T05:06:07.008Z")), "0987-03-04T05:06:07.008Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  const TimeMs year_10000 = *parse_rfc3339("9999-12-31T23:59:59Z") + kMsPerSecond;
  EXPECT_EQ(format_rfc3339(year_10000), "10000-01-01T00:00:00Z");
}

TEST(FormatRfc3339, MsVariantAlwaysShowsMilliseconds) {
  EXPECT_EQ(format_rfc3339_ms(kT), "2026-02-17T10:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(kT + 999), "2026-02-17T10:00:00.999Z");
}

TEST(FormatRfc3339, DatesBefore1970) {
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339(-1000), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339(-kMsPerDay), "1969-12-31T00:00:00Z");
  EXPECT_EQ(format_rfc3339(-14182940000), "1969-07-20T20:17:40Z");
  EXPECT_EQ(format_rfc3339_ms(-2208988800000), "1900-01-01T00:00:00.000Z");
}

TEST(FormatRfc3339, RoundTripsThroughParse) {
  for (TimeMs t : {TimeMs{0}, TimeMs{1}, TimeMs{-1}, TimeMs{-999}, kT, kT + 1, kT + 999,
                   TimeMs{951782400000} /* 2000-02-29 */, TimeMs{-62135596800000} /* year 1 */,
                   TimeMs{253402300799999} /* end of year 9999 */}) {
    SCOPED_TRACE(t);
    EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), at(t)) << format_rfc3339(t);
    EXPECT_EQ(parse_rfc3339(format_rfc3339_ms(t)), at(t)) << format_rfc3339_ms(t);
  }
}

TEST(FormatRfc3339, RoundTripsOverManyInstants) {
  // Steps that are not multiples of a day, so every time of day and month gets hit.
  for (TimeMs t = -5'000'000'000'000; t < 5'000'000'000'000; t += 7'777'777'777) {
    ASSERT_EQ(parse_rfc3339(format_rfc3339_ms(t)), at(t)) << format_rfc3339_ms(t);
  }
}

// --- parse_date -------------------------------------------------------------------------------

TEST(ParseDate, MidnightUtc) {
  EXPECT_EQ(parse_date("2026-02-17"), at(kT - 10 * kMsPerHour));
  EXPECT_EQ(parse_date("1970-01-01"), at(0));
  EXPECT_EQ(parse_date("1969-12-31"), at(-kMsPerDay));
  EXPECT_EQ(parse_date("2024-02-29"), at(1709164800000));
  EXPECT_TRUE(parse_date("0001-01-01").has_value());
}

TEST(ParseDate, RejectsAnythingElse) {
  for (const char* bad :
       {"", "2026-02-17T00:00:00Z", "2026-02-17 ", "2026-2-17", "2026-13-01", "2023-02-29",
        "2026-02-00", "20260217", "2026/02/17", "abcd-ef-gh", "0000-01-01"}) {
    EXPECT_FALSE(parse_date(bad).has_value()) << "'" << bad << "'";
  }
}

// --- parse_duration ---------------------------------------------------------------------------

TEST(ParseDuration, SingleUnits) {
  EXPECT_EQ(parse_duration("250ms"), at(250));
  EXPECT_EQ(parse_duration("15s"), at(15 * kMsPerSecond));
  EXPECT_EQ(parse_duration("5m"), at(5 * kMsPerMinute));
  EXPECT_EQ(parse_duration("2h"), at(2 * kMsPerHour));
  EXPECT_EQ(parse_duration("35d"), at(35 * kMsPerDay));
  EXPECT_EQ(parse_duration("2w"), at(14 * kMsPerDay));
  EXPECT_EQ(parse_duration("0s"), at(0));
}

TEST(ParseDuration, CompoundDurations) {
  EXPECT_EQ(parse_duration("1h30m"), at(90 * kMsPerMinute));
  EXPECT_EQ(parse_duration("1m30s"), at(90 * kMsPerSecond));
  EXPECT_EQ(parse_duration("1s500ms"), at(1500));
  EXPECT_EQ(parse_duration("1d12h"), at(36 * kMsPerHour));
  EXPECT_EQ(parse_duration("5m5ms"), at(5 * kMsPerMinute + 5));
}

TEST(ParseDuration, BadSyntax) {
  for (const char* bad :
       {"", "10", "5x", "-5s", "s", "1.5h", "1h30", " 5s", "5s ", "5S", "5 s", "+5s", "1hm"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(ParseDuration, AbsurdlyLongIsRejected) {
  EXPECT_FALSE(parse_duration("999999999999999s").has_value());
  EXPECT_FALSE(parse_duration("101y").has_value());
  EXPECT_FALSE(parse_duration("40000d").has_value());  // more than 100 years
}

TEST(ParseDuration, HugeValuesDoNotOverflowIntoAValidDuration) {
  // Each of these is far beyond 100 years; multiplying the number by the unit overflows 64 bits.
  for (const char* huge :
       {"20000000000w", "1000000000000d", "9999999999999w", "5000000000000h", "1000000000000d1s"}) {
    const auto d = parse_duration(huge);
    EXPECT_FALSE(d.has_value()) << huge << " parsed as " << d.value_or(0);
  }
}

// --- days_from_civil / civil_from_days ----------------------------------------------------------

TEST(CivilDays, KnownDates) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  EXPECT_EQ(days_from_civil({2026, 2, 17}) * kMsPerDay, kT - 10 * kMsPerHour);
  const CivilDate d = civil_from_days(11016);
  EXPECT_EQ(d.year, 2000);
  EXPECT_EQ(d.month, 2u);
  EXPECT_EQ(d.day, 29u);
}

TEST(CivilDays, RoundTripOverARangeOfDays) {
  CivilDate previous = civil_from_days(-800'001);
  for (std::int64_t day = -800'000; day <= 800'000; ++day) {
    const CivilDate d = civil_from_days(day);
    ASSERT_EQ(days_from_civil(d), day) << d.year << "-" << d.month << "-" << d.day;
    ASSERT_GE(d.month, 1u);
    ASSERT_LE(d.month, 12u);
    ASSERT_GE(d.day, 1u);
    ASSERT_LE(d.day, 31u);
    // Consecutive days: either the next day of the month, or the first of the next month.
    if (d.day == 1) {
      const bool next_month = d.month == previous.month + 1 && d.year == previous.year;
      const bool next_year = d.month == 1 && previous.month == 12 && d.year == previous.year + 1;
      ASSERT_TRUE(next_month || next_year) << day;
    } else {
      ASSERT_EQ(d.day, previous.day + 1) << day;
      ASSERT_EQ(d.month, previous.month) << day;
      ASSERT_EQ(d.year, previous.year) << day;
    }
    previous = d;
  }
}

}  // namespace
}  // namespace vitals

namespace vitals {
namespace {

TEST(SaturatingAdd, ClampsInsteadOfOverflowing) {
  EXPECT_EQ(saturating_add(2, 3), 5);
  EXPECT_EQ(saturating_add(INT64_MAX - 1, 5), INT64_MAX);
  EXPECT_EQ(saturating_add(INT64_MIN + 1, -5), INT64_MIN);
}

}  // namespace
}  // namespace vitals
