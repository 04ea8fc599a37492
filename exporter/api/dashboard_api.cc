#include "api/dashboard_api.h"

#include <algorithm>
#include <array>
#include <future>

#include "api/access.h"
#include "api/json_values.h"
#include "core/json_writer.h"
#include "core/time_format.h"
#include "http/http_server.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

constexpr TimeMs kMaxPeriod = 400 * kMsPerDay;
constexpr size_t kMaxBuckets = 10080;
constexpr const char* kGranularityPattern = "^(minute|hour|day|week)$";

std::optional<Step> parse_granularity(std::string_view text) {
  if (text == "minute") return Step::kMinute;
  if (text == "hour") return Step::kHour;
  if (text == "day") return Step::kDay;
  if (text == "week") return Step::kWeek;
  return std::nullopt;
}

Json problem(std::string_view name, std::string_view msg, std::string_view type,
             const std::optional<std::string>& input) {
  Json p = {{"loc", {"query", name}}, {"msg", msg}, {"type", type}};
  if (input) p["input"] = *input;
  return p;
}

// start_date / end_date: required calendar dates.
std::optional<TimeMs> read_date(const Request& request, const char* name,
                                DashboardQueryProblems& problems) {
  auto text = request.query_param(name);
  if (!text) {
    problems.detail.push_back(problem(name, "Field required", "missing", std::nullopt));
    return std::nullopt;
  }
  auto date = parse_date(*text);
  if (!date) {
    problems.detail.push_back(problem(name, "Input should be a valid date in the format YYYY-MM-DD",
                                      "date_parsing", text));
  }
  return date;
}

size_t bucket_count(TimeMs start, TimeMs end, Step step) {
  size_t n = 0;
  for (TimeMs b = step_floor(start, step); b < end && n <= kMaxBuckets; b = step_next(b, step)) ++n;
  return n;
}

// (current - previous) / previous * 100, or null when there is nothing to compare against.
std::optional<double> pct_change(std::optional<double> current, std::optional<double> previous) {
  if (!current || !previous || *previous == 0) return std::nullopt;
  return round2((*current - *previous) / *previous * 100.0);
}

std::optional<double> percent(double part, double whole) {
  if (whole == 0) return std::nullopt;
  return round2(part / whole * 100.0);
}

std::optional<double> success_rate(const Aggregate& a) {
  return percent(double(a.successes()), double(a.total()));
}

std::optional<double> avg_latency(const Aggregate& a) {
  if (!a.has_latency()) return std::nullopt;
  return a.latency_avg();
}

std::optional<double> p95_latency(const Aggregate& a) {
  if (!a.has_latency()) return std::nullopt;
  return a.latency.quantile(0.95);
}

// Writes the envelope straight into JSON text: at hour granularity over a month it has over
// two thousand rows, and building them as a tree first cost more than the rollup queries.
class DashboardBuilder {
 public:
  DashboardBuilder(const RollupEngine& rollups, const std::vector<std::string>& tenant_ids,
                   const DashboardQuery& query)
      : rollups_(rollups), query_(query) {
    filter_.tenant_ids = tenant_ids;
    filter_.key = query.integration_key;
    filter_.mode = query.mode;
  }

  // The by-key breakdown (200 groups of 30 days at the DESIGN.md cardinality) costs about as
  // much as everything else together, so it is summed on a second thread while this one builds
  // the rest: on two cores the envelope takes the longer of the two, not their sum.
  std::string build() {
    auto by_key = std::async(std::launch::async, [this] { return run_breakdown(Dimension::kKey); });
    const RollupResult buckets = run(query_.start, query_.end, {}, query_.granularity);
    // About 450 bytes per bucket over the three time panels; the rest is a few rows.
    out_.reserve(bucket_count(query_.start, query_.end, query_.granularity) * 480 + 16384);
    out_.begin_object();
    summary();
    usage(buckets);
    success_rates(buckets);
    latencies(buckets);
    breakdown(by_key.get(), "by_integration", "integration_key");
    breakdown(run_breakdown(Dimension::kMode), "by_mode", "mode");
    error_breakdown();
    out_.end_object();
    return out_.take();
  }

 private:
  RollupResult run(TimeMs from, TimeMs to, std::vector<Dimension> group_by, Step step) const {
    RollupQuery q;
    q.filter = filter_;
    q.from = from;
    q.to = to;
    q.group_by = std::move(group_by);
    q.step = step;
    return rollups_.query(q);
  }

  RollupResult run_breakdown(Dimension dimension) const {
    return run(query_.start, query_.end, {dimension}, Step::kNone);
  }

  Aggregate total(TimeMs from, TimeMs to) const { return rollups_.total(filter_, from, to); }

  // Counts of events by status, as the usage and breakdown rows carry them.
  void counts_by_status(const Aggregate& a) {
    out_.key("invocations").value(a.total());
    out_.key("successful").value(a.successes());
    out_.key("vendor_errors").value(a.count(EventStatus::kVendorError));
    out_.key("exceptions").value(a.count(EventStatus::kException));
  }

  void summary() {
    const TimeMs length = query_.end - query_.start;
    const Aggregate current = total(query_.start, query_.end);
    const Aggregate previous = total(query_.start - length, query_.start);
    out_.key("summary").begin_array();
    if (current.total() != 0 || previous.total() != 0) {
      out_.begin_object();
      compare("invocations", current.total(), previous.total());
      compare("failures", current.failures(), previous.failures());
      compare("success_rate_pct", success_rate(current), success_rate(previous));
      compare("avg_latency_ms", avg_latency(current), avg_latency(previous));
      compare("p95_latency_ms", p95_latency(current), p95_latency(previous));
      out_.end_object();
    }
    out_.end_array();
  }

  // Counts are written as integers, the rest as numbers or null; the change is computed alike.
  template <class Value>
  void compare(const std::string& name, Value current, Value previous) {
    out_.key("current_" + name).value(current);
    out_.key("previous_" + name).value(previous);
    out_.key("pct_change_" + name).value(pct_change(current, previous));
  }

  void usage(const RollupResult& buckets) {
    out_.key("usage").begin_array();
    const Aggregate empty{};
    for (TimeMs b = step_floor(query_.start, query_.granularity); b < query_.end;
         b = step_next(b, query_.granularity)) {
      auto it = buckets.find(GroupKey{b, {}});
      out_.begin_object().key("time_bucket").value(rfc3339_text(b).view());
      counts_by_status(it == buckets.end() ? empty : it->second);
      out_.end_object();
    }
    out_.end_array();
  }

  void success_rates(const RollupResult& buckets) {
    out_.key("success_rate").begin_array();
    for (const auto& [key, a] : buckets) {
      if (a.total() == 0) continue;
      out_.begin_object().key("time_bucket").value(rfc3339_text(key.bucket).view());
      out_.key("invocations").value(a.total()).key("successful").value(a.successes());
      out_.key("success_rate_pct").value(success_rate(a)).end_object();
    }
    out_.end_array();
  }

  // Percentiles are required numbers here, so a bucket whose events carry no latency_ms has no
  // row (rather than a made-up zero).
  void latencies(const RollupResult& buckets) {
    out_.key("latency").begin_array();
    for (const auto& [key, a] : buckets) {
      if (!a.has_latency()) continue;
      out_.begin_object().key("time_bucket").value(rfc3339_text(key.bucket).view());
      out_.key("invocations").value(a.total());
      static constexpr std::array<double, 4> kQuantiles = {0.50, 0.90, 0.95, 0.99};
      std::array<double, 4> value{};
      a.latency.quantiles(kQuantiles, value);
      out_.key("p50_ms").value(value[0]).key("p90_ms").value(value[1]);
      out_.key("p95_ms").value(value[2]).key("p99_ms").value(value[3]);
      out_.key("avg_ms").value(a.latency_avg());
      out_.key("max_ms").value(a.latency.max()).end_object();
    }
    out_.end_array();
  }

  template <class Row>
  static void sort_rows(std::vector<Row>& rows) {
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      if (a.second->total() != b.second->total()) return a.second->total() > b.second->total();
      return a.first < b.first;
    });
  }

  // by_integration and by_mode; p95_latency_ms is required, so as for the latency panel a group
  // without any latency_ms has no row.
  void breakdown(const RollupResult& groups, const char* panel, const char* label) {
    std::vector<std::pair<std::string, const Aggregate*>> rows;
    for (const auto& [key, a] : groups) {
      if (a.has_latency()) rows.emplace_back(key.labels[0], &a);
    }
    sort_rows(rows);
    out_.key(panel).begin_array();
    for (const auto& [name, a] : rows) {
      out_.begin_object().key(label).value(name);
      counts_by_status(*a);
      out_.key("success_rate_pct").value(success_rate(*a));
      out_.key("p95_latency_ms").value(a->latency.quantile(0.95)).end_object();
    }
    out_.end_array();
  }

  void error_breakdown() {
    const RollupResult groups = run_breakdown(Dimension::kCategory);
    std::vector<std::pair<std::string, std::uint64_t>> rows;
    std::uint64_t failures = 0;
    for (const auto& [key, a] : groups) {
      if (a.failures() == 0) continue;
      rows.emplace_back(key.labels[0], a.failures());
      failures += a.failures();
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    out_.key("error_breakdown").begin_array();
    for (const auto& [category, count] : rows) {
      out_.begin_object().key("error_category").value(category).key("count").value(count);
      out_.key("share_pct").value(round2(double(count) / double(failures) * 100.0)).end_object();
    }
    out_.end_array();
  }

  const RollupEngine& rollups_;
  const DashboardQuery& query_;
  RollupFilter filter_;
  JsonWriter out_;
};

Response error_response(int status, std::string_view code, std::string_view message) {
  return Response::json(status, error_body(code, message));
}

Response handle_dashboard(ApiContext& ctx, Request& request) {
  auto who = authenticate(request, ctx);
  if (auto* error = std::get_if<Response>(&who)) return std::move(*error);
  const Principal& principal = std::get<Principal>(who);
  if (!can_read(principal.role)) return forbidden_response();
  auto parsed = parse_dashboard_query(request);
  if (auto* problems = std::get_if<DashboardQueryProblems>(&parsed)) {
    return Response::json(422, Json{{"detail", problems->detail}});
  }
  if (auto* refusal = std::get_if<DashboardQueryRefusal>(&parsed)) {
    return error_response(400, "bad_request", refusal->message);
  }
  const DashboardQuery& query = std::get<DashboardQuery>(parsed);
  std::vector<std::string> tenant_ids;
  if (query.slug) {
    const Tenant* tenant = ctx.tenants.find(*query.slug);
    if (!tenant || !principal.may_access(*tenant)) {
      return error_response(404, "not_found", "no such tenant");
    }
    tenant_ids.push_back(tenant->id);
  } else {
    for (const Tenant* t : principal.visible_tenants(ctx.tenants)) tenant_ids.push_back(t->id);
  }
  return Response::json(200, build_dashboard(ctx.rollups, tenant_ids, query));
}

}  // namespace

std::variant<DashboardQuery, DashboardQueryProblems, DashboardQueryRefusal> parse_dashboard_query(
    const Request& request) {
  DashboardQuery query;
  DashboardQueryProblems problems;
  if (auto text = request.query_param("granularity")) {
    auto step = parse_granularity(*text);
    if (!step) {
      Json p = problem("granularity",
                       std::string("String should match pattern '") + kGranularityPattern + "'",
                       "string_pattern_mismatch", text);
      p["ctx"] = {{"pattern", kGranularityPattern}};
      problems.detail.push_back(std::move(p));
    } else {
      query.granularity = *step;
    }
  }
  auto start = read_date(request, "start_date", problems);
  auto end = read_date(request, "end_date", problems);
  if (!problems.detail.empty()) return problems;
  query.integration_key = request.query_param("integration_key");
  query.mode = request.query_param("mode");
  query.slug = request.query_param("slug");
  if (*start > *end) return DashboardQueryRefusal{"start_date must not be after end_date"};
  query.start = *start;
  query.end = *end + kMsPerDay;
  if (query.end - query.start > kMaxPeriod) {
    return DashboardQueryRefusal{"the period may be at most 400 days"};
  }
  if (bucket_count(query.start, query.end, query.granularity) > kMaxBuckets) {
    return DashboardQueryRefusal{
        "the period has more than 10080 buckets at this granularity; choose a coarser one"};
  }
  return query;
}

std::string build_dashboard(const RollupEngine& rollups, const std::vector<std::string>& tenant_ids,
                            const DashboardQuery& query) {
  return DashboardBuilder(rollups, tenant_ids, query).build();
}

void register_dashboard_api(Router& router, ApiContext& ctx) {
  router.add("GET", "/v1/analytics/integrations/dashboard", "dashboard",
             [&ctx](Request& request) { return handle_dashboard(ctx, request); });
}

}  // namespace vitals
