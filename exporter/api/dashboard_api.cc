#include "api/dashboard_api.h"

#include <algorithm>

#include "api/access.h"
#include "api/json_values.h"
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
Json pct_change(const Json& current, const Json& previous) {
  if (current.is_null() || previous.is_null()) return nullptr;
  const double prev = previous.get<double>();
  if (prev == 0) return nullptr;
  return round2((current.get<double>() - prev) / prev * 100.0);
}

Json success_rate(const Aggregate& a) {
  return percent_or_null(double(a.successes()), double(a.total()));
}

Json avg_latency(const Aggregate& a) {
  if (!a.has_latency()) return nullptr;
  return a.latency_avg();
}

Json p95_latency(const Aggregate& a) {
  if (!a.has_latency()) return nullptr;
  return a.latency.quantile(0.95);
}

class DashboardBuilder {
 public:
  DashboardBuilder(const RollupEngine& rollups, const std::vector<std::string>& tenant_ids,
                   const DashboardQuery& query)
      : rollups_(rollups), query_(query) {
    filter_.tenant_ids = tenant_ids;
    filter_.key = query.integration_key;
    filter_.mode = query.mode;
  }

  Json build() const {
    const RollupResult buckets = run(query_.start, query_.end, {}, query_.granularity);
    Json envelope;
    envelope["summary"] = summary();
    envelope["usage"] = usage(buckets);
    envelope["success_rate"] = success_rates(buckets);
    envelope["latency"] = latencies(buckets);
    envelope["by_integration"] = breakdown(Dimension::kKey, "integration_key");
    envelope["by_mode"] = breakdown(Dimension::kMode, "mode");
    envelope["error_breakdown"] = error_breakdown();
    return envelope;
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

  Aggregate total(TimeMs from, TimeMs to) const { return rollups_.total(filter_, from, to); }

  Json summary() const {
    const TimeMs length = query_.end - query_.start;
    const Aggregate current = total(query_.start, query_.end);
    const Aggregate previous = total(query_.start - length, query_.start);
    Json rows = Json::array();
    if (current.total() == 0 && previous.total() == 0) return rows;
    Json row;
    auto add = [&row](const std::string& name, Json cur, Json prev) {
      row["current_" + name] = cur;
      row["previous_" + name] = prev;
      row["pct_change_" + name] = pct_change(cur, prev);
    };
    add("invocations", current.total(), previous.total());
    add("failures", current.failures(), previous.failures());
    add("success_rate_pct", success_rate(current), success_rate(previous));
    add("avg_latency_ms", avg_latency(current), avg_latency(previous));
    add("p95_latency_ms", p95_latency(current), p95_latency(previous));
    rows.push_back(std::move(row));
    return rows;
  }

  Json usage(const RollupResult& buckets) const {
    Json rows = Json::array();
    for (TimeMs b = step_floor(query_.start, query_.granularity); b < query_.end;
         b = step_next(b, query_.granularity)) {
      auto it = buckets.find(GroupKey{b, {}});
      const Aggregate empty;
      const Aggregate& a = it == buckets.end() ? empty : it->second;
      rows.push_back({{"time_bucket", format_rfc3339(b)},
                      {"invocations", a.total()},
                      {"successful", a.successes()},
                      {"vendor_errors", a.count(EventStatus::kVendorError)},
                      {"exceptions", a.count(EventStatus::kException)}});
    }
    return rows;
  }

  static Json success_rates(const RollupResult& buckets) {
    Json rows = Json::array();
    for (const auto& [key, a] : buckets) {
      if (a.total() == 0) continue;
      rows.push_back({{"time_bucket", format_rfc3339(key.bucket)},
                      {"invocations", a.total()},
                      {"successful", a.successes()},
                      {"success_rate_pct", success_rate(a)}});
    }
    return rows;
  }

  // Percentiles are required numbers here, so a bucket whose events carry no latency_ms has no
  // row (rather than a made-up zero).
  static Json latencies(const RollupResult& buckets) {
    Json rows = Json::array();
    for (const auto& [key, a] : buckets) {
      if (!a.has_latency()) continue;
      rows.push_back({{"time_bucket", format_rfc3339(key.bucket)},
                      {"invocations", a.total()},
                      {"p50_ms", a.latency.quantile(0.50)},
                      {"p90_ms", a.latency.quantile(0.90)},
                      {"p95_ms", a.latency.quantile(0.95)},
                      {"p99_ms", a.latency.quantile(0.99)},
                      {"avg_ms", a.latency_avg()},
                      {"max_ms", a.latency.max()}});
    }
    return rows;
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
  Json breakdown(Dimension dimension, const char* label) const {
    const RollupResult groups = run(query_.start, query_.end, {dimension}, Step::kNone);
    std::vector<std::pair<std::string, const Aggregate*>> rows;
    for (const auto& [key, a] : groups) {
      if (a.has_latency()) rows.emplace_back(key.labels[0], &a);
    }
    sort_rows(rows);
    Json out = Json::array();
    for (const auto& [name, a] : rows) {
      out.push_back({{label, name},
                     {"invocations", a->total()},
                     {"successful", a->successes()},
                     {"vendor_errors", a->count(EventStatus::kVendorError)},
                     {"exceptions", a->count(EventStatus::kException)},
                     {"success_rate_pct", success_rate(*a)},
                     {"p95_latency_ms", a->latency.quantile(0.95)}});
    }
    return out;
  }

  Json error_breakdown() const {
    const RollupResult groups = run(query_.start, query_.end, {Dimension::kCategory}, Step::kNone);
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
    Json out = Json::array();
    for (const auto& [category, count] : rows) {
      out.push_back({{"error_category", category},
                     {"count", count},
                     {"share_pct", round2(double(count) / double(failures) * 100.0)}});
    }
    return out;
  }

  const RollupEngine& rollups_;
  const DashboardQuery& query_;
  RollupFilter filter_;
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

Json build_dashboard(const RollupEngine& rollups, const std::vector<std::string>& tenant_ids,
                     const DashboardQuery& query) {
  return DashboardBuilder(rollups, tenant_ids, query).build();
}

void register_dashboard_api(Router& router, ApiContext& ctx) {
  router.add("GET", "/v1/analytics/integrations/dashboard", "dashboard",
             [&ctx](Request& request) { return handle_dashboard(ctx, request); });
}

}  // namespace vitals
