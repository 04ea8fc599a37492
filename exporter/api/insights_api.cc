#include "api/insights_api.h"

#include "api/access.h"
#include "api/json_values.h"
#include "catalog/entity_kinds.h"
#include "core/time_format.h"
#include "http/http_server.h"
#include "insights/activation_coverage.h"
#include "insights/audience_overlap.h"
#include "insights/audience_trends.h"
#include "insights/sync_health.h"
#include "insights/workspace_summary.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

InsightsSources sources_of(const ApiContext& ctx) {
  return {ctx.entities, ctx.rollups, ctx.audiences, ctx.members, ctx.config.storage.retention};
}

// The workspace of the path, checked against X-Workspace-ID when one is sent.
std::variant<TenantAccess, Response> workspace(Request& request, ApiContext& ctx) {
  auto access = authorize_tenant(request, ctx, request.path_params["id"], Need::kRead);
  if (auto* error = std::get_if<Response>(&access)) return std::move(*error);
  const std::string_view header = request.header("x-workspace-id");
  if (!header.empty()) {
    const Tenant* named = ctx.tenants.find(header);
    if (named != std::get<TenantAccess>(access).tenant) {
      return Response::json(
          400,
          error_body("workspace_mismatch", "X-Workspace-ID names another workspace than the path"));
    }
  }
  return access;
}

std::optional<int> days_param(const Request& request, int fallback) {
  auto text = request.query_param("days");
  if (!text) return fallback;
  auto days = parse_bounded_int(*text, 1, 400);
  if (!days) return std::nullopt;
  return static_cast<int>(*days);
}

Response unknown_audience(const UnknownAudience& unknown) {
  return Response::json(404, error_body("not_found", "no audience '" + unknown.id + "'"));
}

using View = std::function<Response(Request&, ApiContext&, const Tenant&)>;

Handler insights_handler(ApiContext& ctx, View view) {
  return [&ctx, view](Request& request) -> Response {
    auto access = workspace(request, ctx);
    if (auto* error = std::get_if<Response>(&access)) return std::move(*error);
    return view(request, ctx, *std::get<TenantAccess>(access).tenant);
  };
}

Response sync_health_view(Request& request, ApiContext& ctx, const Tenant& tenant) {
  auto days = days_param(request, 7);
  if (!days) return bad_parameter("days", "must be an integer from 1 to 400");
  return Response::json(200, sync_health(sources_of(ctx), tenant.id, *days, ctx.clock.now_ms()));
}

Response audience_trends_view(Request& request, ApiContext& ctx, const Tenant& tenant) {
  auto days = days_param(request, 30);
  if (!days) return bad_parameter("days", "must be an integer from 1 to 400");
  const auto ids = split_csv(request.query_param("audience_ids").value_or(""));
  auto result = audience_trends(sources_of(ctx), tenant.id, ids, *days, ctx.clock.now_ms());
  if (auto* unknown = std::get_if<UnknownAudience>(&result)) return unknown_audience(*unknown);
  return Response::json(200, std::get<Json>(result));
}

constexpr size_t kMaxOverlapAudiences = 100;

Response audience_overlap_view(Request& request, ApiContext& ctx, const Tenant& tenant) {
  const auto ids = split_csv(request.query_param("audience_ids").value_or(""));
  if (ids.size() < 2 || ids.size() > kMaxOverlapAudiences) {
    return bad_parameter("audience_ids", "must list 2 to 100 audience ids, separated by commas");
  }
  auto result = audience_overlap(sources_of(ctx), tenant.id, ids);
  if (auto* unknown = std::get_if<UnknownAudience>(&result)) return unknown_audience(*unknown);
  return Response::json(200, std::get<Json>(result));
}

}  // namespace

void register_insights_api(Router& router, ApiContext& ctx) {
  const std::string base = "/api/v1/workspaces/{id}/insights/";
  router.add("GET", base + "sync-health", "insights_sync_health",
             insights_handler(ctx, sync_health_view));
  router.add("GET", base + "audience-trends", "insights_audience_trends",
             insights_handler(ctx, audience_trends_view));
  router.add("GET", base + "activation-coverage", "insights_activation_coverage",
             insights_handler(ctx, [](Request&, ApiContext& c, const Tenant& t) {
               return Response::json(200,
                                     activation_coverage(sources_of(c), t.id, c.clock.now_ms()));
             }));
  router.add("GET", base + "audience-overlap", "insights_audience_overlap",
             insights_handler(ctx, audience_overlap_view));
  router.add("GET", base + "summary", "insights_summary",
             insights_handler(ctx, [](Request&, ApiContext& c, const Tenant& t) {
               return Response::json(200, workspace_summary(sources_of(c), t.id, c.clock.now_ms()));
             }));
}

}  // namespace vitals
