#include "api/warehouse_api.h"

#include "api/access.h"
#include "api/json_values.h"
#include "core/time_format.h"
#include "http/http_server.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

// evaluations and custom_events always, then every other kind seen, then their total.
Json item_sums(const ItemCounts& items) {
  Json out = {{"evaluations", 0}, {"custom_events", 0}};
  std::int64_t total = 0;
  for (const auto& [kind, n] : items) {
    out[kind] = n;
    total = saturating_add(total, n);
  }
  out["total"] = total;
  return out;
}

}  // namespace

Json telemetry_json(const ConnectionTelemetry& t) {
  Json errors = Json::array();
  for (const auto& e : t.recent_errors) {
    errors.push_back({{"occurred_at", format_rfc3339(e.at)}, {"message", e.message}});
  }
  return {{"status", state_name(t.status)},
          {"last_delivery_at", time_or_null(t.last_delivery)},
          {"events_last_24h", item_sums(t.delivered_24h)},
          {"events_last_7d", item_sums(t.delivered_7d)},
          {"failed_deliveries_last_24h", t.failed_24h},
          {"recent_errors", errors}};
}

void register_warehouse_api(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/organisations/{org}/integrations/warehouse-connections/{id}/telemetry",
             "warehouse_telemetry", [&ctx](Request& request) -> Response {
               auto access =
                   authorize_tenant(request, ctx, request.path_params["org"], Need::kRead);
               if (auto* error = std::get_if<Response>(&access)) return std::move(*error);
               const Tenant& tenant = *std::get<TenantAccess>(access).tenant;
               const std::string& id = request.path_params["id"];
               if (!ctx.entities.get(tenant.id, "warehouse_connection", id)) {
                 return Response::json(
                     404, error_body("not_found", "no warehouse connection '" + id + "'"));
               }
               const auto telemetry = ctx.warehouse.compute(tenant.id, id, ctx.clock.now_ms());
               return Response::json(200, telemetry_json(telemetry));
             });
}

}  // namespace vitals
