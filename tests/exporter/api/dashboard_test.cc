#include "api/dashboard_api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "core/time_format.h"
#include "rollup/latency_sketch.h"
#include "support/events_in_memory.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

// Events for two tenants; the dashboard is asked for one or both.
class DashboardTest : public ::testing::Test {
 protected:
  DashboardTest()
      : rollups_(
            {400 * kMsPerDay, 400 * kMsPerDay},
            [this](const RawScan& scan, const std::function<void(const Event&)>& visit) {
              for (const auto& s : events_) {
                if (s.seq <= scan.max_seq && s.event.tenant_id == scan.tenant_id &&
                    s.event.time >= scan.from && s.event.time < scan.to) {
                  visit(s.event);
                }
              }
            },
            0) {}

  void add(Event e) {
    events_.push_back({static_cast<std::int64_t>(events_.size() + 1), std::move(e)});
    rollups_.apply({events_.back()});
  }

  void add_random(size_t n, TimeMs from, TimeMs to, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<TimeMs> when(from, to - 1);
    std::lognormal_distribution<double> latency(5, 1.2);
    const char* keys[] = {"salesforce", "hubspot", "snowflake", "zendesk"};
    const char* modes[] = {"realtime", "batch", "manual"};
    const char* categories[] = {"timeout", "auth", "rate_limited"};
    for (size_t i = 0; i < n; ++i) {
      Event e;
      e.tenant_id = rng() % 4 == 0 ? "t2" : "t1";
      e.type = "webhook";
      e.key = keys[rng() % 4];
      e.mode = modes[rng() % 3];
      const auto roll = rng() % 10;
      e.status = roll < 7 ? EventStatus::kSuccess
                          : (roll < 9 ? EventStatus::kVendorError : EventStatus::kException);
      if (is_failure(e.status)) e.error_category = categories[rng() % 3];
      e.time = when(rng);
      if (rng() % 5 != 0) e.latency_ms = latency(rng);
      add(std::move(e));
    }
  }

  static DashboardQuery query(const char* start, const char* end, Step step) {
    DashboardQuery q;
    q.granularity = step;
    q.start = *parse_date(start);
    q.end = *parse_date(end) + kMsPerDay;
    return q;
  }

  std::vector<const Event*> selected(const DashboardQuery& q,
                                     const std::vector<std::string>& tenants, TimeMs from,
                                     TimeMs to) const {
    std::vector<const Event*> out;
    for (const auto& s : events_) {
      const Event& e = s.event;
      if (std::find(tenants.begin(), tenants.end(), e.tenant_id) == tenants.end()) continue;
      if (q.integration_key && *q.integration_key != e.key) continue;
      if (q.mode && *q.mode != e.mode) continue;
      if (e.time >= from && e.time < to) out.push_back(&e);
    }
    return out;
  }

  void check_against_brute_force(const DashboardQuery& q, const std::vector<std::string>& tenants);

  std::vector<StoredEvent> events_;
  RollupEngine rollups_;
};

double exact_quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[nearest_rank(q, values.size()) - 1];
}

void expect_close(const Json& got, double want, const std::string& what) {
  ASSERT_TRUE(got.is_number()) << what << " = " << got.dump();
  EXPECT_LE(std::abs(got.get<double>() - want), 0.01 * std::abs(want) + 1e-9)
      << what << ": got " << got << " want " << want;
}

struct Counts {
  std::uint64_t total = 0, success = 0, vendor = 0, exception = 0;
  std::vector<double> latencies;
  void add(const Event& e) {
    ++total;
    if (e.status == EventStatus::kSuccess) ++success;
    if (e.status == EventStatus::kVendorError) ++vendor;
    if (e.status == EventStatus::kException) ++exception;
    if (e.latency_ms) latencies.push_back(*e.latency_ms);
  }
  double avg() const {
    double sum = 0;
    for (double v : latencies) sum += v;
    return sum / latencies.size();
  }
};

double rate(std::uint64_t part, std::uint64_t whole) {
  return std::round(double(part) / double(whole) * 10000.0) / 100.0;
}

void check_usage_and_series(const Json& body, const DashboardQuery& q,
                            const std::vector<const Event*>& events) {
  std::map<TimeMs, Counts> buckets;
  for (const Event* e : events) buckets[step_floor(e->time, q.granularity)].add(*e);
  size_t expected_rows = 0;
  for (TimeMs b = step_floor(q.start, q.granularity); b < q.end; b = step_next(b, q.granularity)) {
    ++expected_rows;
  }
  ASSERT_EQ(body["usage"].size(), expected_rows);
  size_t with_events = 0, with_latency = 0;
  for (const auto& row : body["usage"]) {
    const Counts& c = buckets[*parse_rfc3339(row["time_bucket"].get<std::string>())];
    EXPECT_EQ(row["invocations"], c.total);
    EXPECT_EQ(row["successful"], c.success);
    EXPECT_EQ(row["vendor_errors"], c.vendor);
    EXPECT_EQ(row["exceptions"], c.exception);
    with_events += c.total > 0;
    with_latency += !c.latencies.empty();
  }
  ASSERT_EQ(body["success_rate"].size(), with_events);
  for (const auto& row : body["success_rate"]) {
    const Counts& c = buckets[*parse_rfc3339(row["time_bucket"].get<std::string>())];
    EXPECT_EQ(row["invocations"], c.total);
    EXPECT_DOUBLE_EQ(row["success_rate_pct"].get<double>(), rate(c.success, c.total));
  }
  ASSERT_EQ(body["latency"].size(), with_latency);
  for (const auto& row : body["latency"]) {
    const std::string bucket = row["time_bucket"];
    const Counts& c = buckets[*parse_rfc3339(bucket)];
    EXPECT_EQ(row["invocations"], c.total);
    expect_close(row["p50_ms"], exact_quantile(c.latencies, 0.50), bucket + " p50");
    expect_close(row["p90_ms"], exact_quantile(c.latencies, 0.90), bucket + " p90");
    expect_close(row["p95_ms"], exact_quantile(c.latencies, 0.95), bucket + " p95");
    expect_close(row["p99_ms"], exact_quantile(c.latencies, 0.99), bucket + " p99");
    EXPECT_NEAR(row["avg_ms"].get<double>(), c.avg(), 1e-9 * c.avg());
    EXPECT_EQ(row["max_ms"].get<double>(),
              *std::max_element(c.latencies.begin(), c.latencies.end()));
  }
}

void check_breakdown(const Json& rows, const char* label, const std::vector<const Event*>& events,
                     bool by_key) {
  std::map<std::string, Counts> groups;
  for (const Event* e : events) groups[by_key ? e->key : e->mode].add(*e);
  size_t expected = 0;
  for (const auto& [name, c] : groups) expected += !c.latencies.empty();
  ASSERT_EQ(rows.size(), expected);
  for (size_t i = 0; i < rows.size(); ++i) {
    const Json& row = rows[i];
    const Counts& c = groups[row[label].get<std::string>()];
    EXPECT_EQ(row["invocations"], c.total);
    EXPECT_EQ(row["successful"], c.success);
    EXPECT_EQ(row["vendor_errors"], c.vendor);
    EXPECT_EQ(row["exceptions"], c.exception);
    EXPECT_DOUBLE_EQ(row["success_rate_pct"].get<double>(), rate(c.success, c.total));
    expect_close(row["p95_latency_ms"], exact_quantile(c.latencies, 0.95), row[label]);
    if (i > 0) {
      const Json& prev = rows[i - 1];
      EXPECT_TRUE(prev["invocations"] > row["invocations"] ||
                  (prev["invocations"] == row["invocations"] && prev[label] < row[label]));
    }
  }
}

void check_errors(const Json& rows, const std::vector<const Event*>& events) {
  std::map<std::string, std::uint64_t> categories;
  std::uint64_t failures = 0;
  for (const Event* e : events) {
    if (!is_failure(e->status)) continue;
    ++categories[e->error_category];
    ++failures;
  }
  ASSERT_EQ(rows.size(), categories.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto count = categories[rows[i]["error_category"].get<std::string>()];
    EXPECT_EQ(rows[i]["count"], count);
    EXPECT_DOUBLE_EQ(rows[i]["share_pct"].get<double>(), rate(count, failures));
    if (i > 0) {
      EXPECT_GE(rows[i - 1]["count"], rows[i]["count"]);
    }
  }
}

void check_summary(const Json& rows, const std::vector<const Event*>& current,
                   const std::vector<const Event*>& previous) {
  Counts cur, prev;
  for (const Event* e : current) cur.add(*e);
  for (const Event* e : previous) prev.add(*e);
  if (cur.total == 0 && prev.total == 0) {
    EXPECT_TRUE(rows.empty());
    return;
  }
  ASSERT_EQ(rows.size(), 1u);
  const Json& row = rows[0];
  EXPECT_EQ(row["current_invocations"], cur.total);
  EXPECT_EQ(row["previous_invocations"], prev.total);
  EXPECT_EQ(row["current_failures"], cur.vendor + cur.exception);
  EXPECT_EQ(row["previous_failures"], prev.vendor + prev.exception);
  if (prev.total == 0) {
    EXPECT_TRUE(row["pct_change_invocations"].is_null());
    EXPECT_TRUE(row["previous_success_rate_pct"].is_null());
    EXPECT_TRUE(row["pct_change_success_rate_pct"].is_null());
    EXPECT_TRUE(row["previous_avg_latency_ms"].is_null());
    EXPECT_TRUE(row["pct_change_p95_latency_ms"].is_null());
  } else {
    EXPECT_DOUBLE_EQ(
        row["pct_change_invocations"].get<double>(),
        std::round((double(cur.total) - double(prev.total)) / double(prev.total) * 10000.0) /
            100.0);
    expect_close(row["previous_p95_latency_ms"], exact_quantile(prev.latencies, 0.95), "prev p95");
  }
  if (cur.total > 0) {
    EXPECT_DOUBLE_EQ(row["current_success_rate_pct"].get<double>(), rate(cur.success, cur.total));
    EXPECT_NEAR(row["current_avg_latency_ms"].get<double>(), cur.avg(), 1e-9 * cur.avg());
    expect_close(row["current_p95_latency_ms"], exact_quantile(cur.latencies, 0.95), "cur p95");
  }
}

void DashboardTest::check_against_brute_force(const DashboardQuery& q,
                                              const std::vector<std::string>& tenants) {
  const Json body = Json::parse(build_dashboard(rollups_, tenants, q));
  const auto current = selected(q, tenants, q.start, q.end);
  const auto previous = selected(q, tenants, 2 * q.start - q.end, q.start);
  check_summary(body["summary"], current, previous);
  check_usage_and_series(body, q, current);
  check_breakdown(body["by_integration"], "integration_key", current, true);
  check_breakdown(body["by_mode"], "mode", current, false);
  check_errors(body["error_breakdown"], current);
}

TEST_F(DashboardTest, EveryPanelMatchesBruteForceForEveryGranularity) {
  add_random(6000, *parse_date("2026-01-20"), *parse_date("2026-03-05"), 1);
  for (Step step : {Step::kHour, Step::kDay, Step::kWeek}) {
    SCOPED_TRACE(static_cast<int>(step));
    check_against_brute_force(query("2026-02-01", "2026-02-28", step), {"t1"});
    check_against_brute_force(query("2026-02-10", "2026-02-16", step), {"t1", "t2"});
  }
  check_against_brute_force(query("2026-02-14", "2026-02-15", Step::kMinute), {"t1", "t2"});
}

TEST_F(DashboardTest, FiltersNarrowEveryPanel) {
  add_random(3000, *parse_date("2026-02-01"), *parse_date("2026-02-20"), 2);
  DashboardQuery q = query("2026-02-05", "2026-02-18", Step::kDay);
  q.integration_key = "zendesk";
  check_against_brute_force(q, {"t1"});
  q.mode = "batch";
  check_against_brute_force(q, {"t1"});
  q.integration_key.reset();
  check_against_brute_force(q, {"t1", "t2"});
}

TEST_F(DashboardTest, WeekBucketsStraddleMonthAndYearBoundaries) {
  add_random(4000, *parse_date("2025-12-01"), *parse_date("2026-02-10"), 3);
  const DashboardQuery q = query("2025-12-24", "2026-02-03", Step::kWeek);
  const Json body = Json::parse(build_dashboard(rollups_, {"t1"}, q));
  // 2025-12-22 is the Monday on or before the 24th; the week of 2025-12-29 holds New Year.
  ASSERT_FALSE(body["usage"].empty());
  EXPECT_EQ(body["usage"][0]["time_bucket"], "2025-12-22T00:00:00Z");
  EXPECT_EQ(body["usage"][1]["time_bucket"], "2025-12-29T00:00:00Z");
  EXPECT_EQ(body["usage"].back()["time_bucket"], "2026-02-02T00:00:00Z");
  check_against_brute_force(q, {"t1"});
}

TEST_F(DashboardTest, AnEmptyPeriodHasZeroUsageRowsAndNoOtherRows) {
  add_random(500, *parse_date("2026-01-01"), *parse_date("2026-01-10"), 4);
  const Json body = Json::parse(
      build_dashboard(rollups_, {"t1"}, query("2026-03-01", "2026-03-02", Step::kHour)));
  EXPECT_TRUE(body["summary"].empty());
  ASSERT_EQ(body["usage"].size(), 48u);
  EXPECT_EQ(body["usage"][0]["invocations"], 0);
  for (const char* panel :
       {"success_rate", "latency", "by_integration", "by_mode", "error_breakdown"}) {
    EXPECT_TRUE(body[panel].empty()) << panel;
  }
}

TEST_F(DashboardTest, APreviousPeriodOfZeroGivesNullChanges) {
  add_random(800, *parse_date("2026-04-10"), *parse_date("2026-04-12"), 5);
  const Json body =
      Json::parse(build_dashboard(rollups_, {"t1"}, query("2026-04-10", "2026-04-11", Step::kDay)));
  ASSERT_EQ(body["summary"].size(), 1u);
  const Json& row = body["summary"][0];
  EXPECT_EQ(row["previous_invocations"], 0);
  for (const char* field :
       {"pct_change_invocations", "pct_change_failures", "previous_success_rate_pct",
        "pct_change_success_rate_pct", "previous_avg_latency_ms", "pct_change_avg_latency_ms",
        "previous_p95_latency_ms", "pct_change_p95_latency_ms"}) {
    EXPECT_TRUE(row[field].is_null()) << field;
  }
  check_against_brute_force(query("2026-04-10", "2026-04-11", Step::kDay), {"t1"});
}

TEST_F(DashboardTest, EventsWithoutLatencyHaveNoLatencyRows) {
  Event e;
  e.tenant_id = "t1";
  e.type = e.key = "webhook";
  e.mode = "default";
  e.time = *parse_rfc3339("2026-05-05T10:30:00Z");
  add(e);
  e.time += kMsPerHour;
  e.latency_ms = 42;
  add(e);
  const Json body = Json::parse(
      build_dashboard(rollups_, {"t1"}, query("2026-05-05", "2026-05-05", Step::kHour)));
  ASSERT_EQ(body["success_rate"].size(), 2u);
  ASSERT_EQ(body["latency"].size(), 1u);
  EXPECT_EQ(body["latency"][0]["time_bucket"], "2026-05-05T11:00:00Z");
  EXPECT_EQ(body["latency"][0]["p95_ms"], 42.0);
  EXPECT_EQ(body["summary"][0]["current_avg_latency_ms"], 42.0);
  EXPECT_EQ(body["by_integration"][0]["invocations"], 2);
}

TEST_F(DashboardTest, AFilterThatMatchesNothingGivesEmptyPanels) {
  add_random(500, *parse_date("2026-01-01"), *parse_date("2026-01-05"), 6);
  DashboardQuery q = query("2026-01-01", "2026-01-04", Step::kDay);
  q.integration_key = "no-such-integration";
  const Json body = Json::parse(build_dashboard(rollups_, {"t1"}, q));
  EXPECT_TRUE(body["summary"].empty());
  EXPECT_EQ(body["usage"].size(), 4u);
  EXPECT_TRUE(body["by_integration"].empty());
  EXPECT_TRUE(body["error_breakdown"].empty());
}

Request request_with(std::vector<std::pair<std::string, std::string>> query) {
  Request r;
  r.query = std::move(query);
  return r;
}

TEST(DashboardQueryParsing, MissingAndMalformedParametersAreValidationErrors) {
  auto parsed =
      parse_dashboard_query(request_with({{"granularity", "month"}, {"end_date", "2026-13-01"}}));
  ASSERT_TRUE(std::holds_alternative<DashboardQueryProblems>(parsed));
  const Json& detail = std::get<DashboardQueryProblems>(parsed).detail;
  ASSERT_EQ(detail.size(), 3u);
  EXPECT_EQ(detail[0]["loc"], Json::array({"query", "granularity"}));
  EXPECT_EQ(detail[0]["type"], "string_pattern_mismatch");
  EXPECT_EQ(detail[1]["loc"], Json::array({"query", "start_date"}));
  EXPECT_EQ(detail[1]["type"], "missing");
  EXPECT_EQ(detail[2]["loc"], Json::array({"query", "end_date"}));
  EXPECT_EQ(detail[2]["input"], "2026-13-01");
  for (const auto& p : detail) EXPECT_TRUE(p["msg"].is_string());
}

TEST(DashboardQueryParsing, PeriodRulesAreRefusals) {
  auto refused = [](std::vector<std::pair<std::string, std::string>> q) {
    return std::holds_alternative<DashboardQueryRefusal>(parse_dashboard_query(request_with(q)));
  };
  EXPECT_TRUE(refused({{"start_date", "2026-02-02"}, {"end_date", "2026-02-01"}}));
  EXPECT_TRUE(
      refused({{"start_date", "2025-01-01"}, {"end_date", "2026-02-05"}, {"granularity", "day"}}));
  EXPECT_TRUE(refused(
      {{"start_date", "2026-02-01"}, {"end_date", "2026-02-08"}, {"granularity", "minute"}}));
  // Exactly 7 days of minutes is 10,080 buckets: allowed. 400 days at day granularity too.
  EXPECT_FALSE(refused(
      {{"start_date", "2026-02-01"}, {"end_date", "2026-02-07"}, {"granularity", "minute"}}));
  EXPECT_FALSE(
      refused({{"start_date", "2025-01-01"}, {"end_date", "2026-02-04"}, {"granularity", "day"}}));
  auto ok = parse_dashboard_query(
      request_with({{"start_date", "2026-02-01"}, {"end_date", "2026-02-01"}}));
  ASSERT_TRUE(std::holds_alternative<DashboardQuery>(ok));
  EXPECT_EQ(std::get<DashboardQuery>(ok).granularity, Step::kHour);
  EXPECT_EQ(std::get<DashboardQuery>(ok).end - std::get<DashboardQuery>(ok).start, kMsPerDay);
}

}  // namespace
}  // namespace vitals
