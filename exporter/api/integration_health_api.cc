#include "api/integration_health_api.h"

#include <algorithm>

#include "api/access.h"
#include "api/json_values.h"

namespace vitals {

nlohmann::ordered_json integration_health(const RollupEngine& rollups, const Tenant& tenant,
                                          int days, TimeMs now) {
  RollupQuery query;
  query.filter.tenant_ids = {tenant.id};
  query.from = now - days * kMsPerDay;
  query.to = now;
  query.group_by = {Dimension::kType};
  const RollupResult result = rollups.query(query);

  Aggregate overall;
  std::vector<std::pair<std::string, const Aggregate*>> rows;
  for (const auto& [group, agg] : result) {
    overall.merge(agg);
    rows.emplace_back(group.labels[0], &agg);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.second->total() != b.second->total()) return a.second->total() > b.second->total();
    return a.first < b.first;
  });
  nlohmann::ordered_json by_type = nlohmann::ordered_json::array();
  for (const auto& [type, agg] : rows) {
    by_type.push_back({{"integration_type", type},
                       {"total", agg->total()},
                       {"success", agg->successes()},
                       {"errors", agg->failures()},
                       {"last_event_at", time_or_null(agg->last_time)}});
  }
  return {{"space_id", tenant.id},
          {"period_days", days},
          {"total_events", overall.total()},
          {"success_count", overall.successes()},
          {"error_count", overall.failures()},
          {"success_rate", percent_or_null(double(overall.successes()), double(overall.total()))},
          {"last_success_at", time_or_null(overall.last_success)},
          {"last_error_at", time_or_null(overall.last_failure)},
          {"by_integration_type", by_type}};
}

void register_integration_health_api(Router& router, ApiContext& ctx) {
  router.add("GET", "/spaces/{slug}/integration-health", "integration_health",
             [&ctx](Request& request) -> Response {
               auto access =
                   authorize_tenant(request, ctx, request.path_params["slug"], Need::kRead);
               if (auto* error = std::get_if<Response>(&access)) return std::move(*error);
               int days = 30;
               if (auto text = request.query_param("days")) {
                 auto parsed = parse_bounded_int(*text, 1, 400);
                 if (!parsed) return bad_parameter("days", "must be an integer from 1 to 400");
                 days = static_cast<int>(*parsed);
               }
               const Tenant& tenant = *std::get<TenantAccess>(access).tenant;
               return Response::json(
                   200, integration_health(ctx.rollups, tenant, days, ctx.clock.now_ms()));
             });
}

}  // namespace vitals
