// Fuzzes what turns a request's query string into values: the query-string decoder, then every
// API's parameter readers on the result (the dashboard's dates and granularity, the feed's limit,
// cursor, since and filters, the `days` windows, CSV lists, times and durations).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "api/dashboard_api.h"
#include "api/json_values.h"
#include "api/system_health_api.h"
#include "core/time_format.h"
#include "fuzz_check.h"
#include "http/request.h"

namespace {

const vitals::TimeMs kYear10000 = vitals::days_from_civil({10000, 1, 1}) * vitals::kMsPerDay;

void check_value(const std::string& value) {
  if (auto days = vitals::parse_bounded_int(value, 1, 400)) FUZZ_CHECK(*days >= 1 && *days <= 400);
  for (const auto& item : vitals::split_csv(value)) FUZZ_CHECK(!item.empty());
  if (auto t = vitals::parse_rfc3339(value); t && *t >= 0 && *t < kYear10000) {
    // What the API writes back must read as the same instant (within four-digit years).
    FUZZ_CHECK(vitals::parse_rfc3339(vitals::format_rfc3339_ms(*t)) == *t);
  }
  if (auto date = vitals::parse_date(value)) FUZZ_CHECK(*date % vitals::kMsPerDay == 0);
  if (auto d = vitals::parse_duration(value)) FUZZ_CHECK(*d >= 0);
}

void check_dashboard(const vitals::Request& request) {
  const auto parsed = vitals::parse_dashboard_query(request);
  if (const auto* query = std::get_if<vitals::DashboardQuery>(&parsed)) {
    FUZZ_CHECK(query->start < query->end);
  }
}

void check_feed(const vitals::Request& request) {
  vitals::FeedQuery query;
  if (auto error = vitals::read_feed_query(request, query)) {
    FUZZ_CHECK(error->status == 400);
    return;
  }
  FUZZ_CHECK(query.limit >= 1 && query.limit <= 200);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  vitals::url_decode(text, false);
  auto query = vitals::parse_query_string(text);
  if (!query) return 0;
  vitals::Request request;
  request.method = "GET";
  request.query = std::move(*query);
  for (const auto& [name, value] : request.query) check_value(value);
  check_dashboard(request);
  check_feed(request);
  return 0;
}
