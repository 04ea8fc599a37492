#include "api/insights_api.h"

#include "api/access.h"
#include "api/json_values.h"
#include "catalog/entity_kinds.h"
#include "core/time_format.h"
#include "http/http_server.h"
#include "insights/activation_coverage.h"
#include "insights/audience_trends.h"
#include "insights/sync_health.h"
#include "insights/workspace_summary.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::int64_t kMaxSize = std::int64_t{1} << 53;

InsightsSources sources_of(const ApiContext& ctx) {
  return {ctx.entities, ctx.rollups, ctx.audiences, ctx.config.storage.retention};
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

std::vector<std::string> csv(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
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
  const auto ids = csv(request.query_param("audience_ids").value_or(""));
  auto result = audience_trends(sources_of(ctx), tenant.id, ids, *days, ctx.clock.now_ms());
  if (auto* unknown = std::get_if<UnknownAudience>(&result)) {
    return Response::json(404, error_body("not_found", "no audience '" + unknown->id + "'"));
  }
  return Response::json(200, std::get<Json>(result));
}

// One observation: {"time"?: RFC 3339, "size": integer >= 0}.
std::optional<std::string> read_observation(const Json& item, TimeMs now, TimeMs retention,
                                            SizeObservation& out) {
  if (!item.is_object()) return "each observation must be an object with size and time";
  const auto size = item.find("size");
  if (size == item.end() || !size->is_number_integer() || size->get<std::int64_t>() < 0 ||
      size->get<std::int64_t>() > kMaxSize) {
    return "size: must be an integer from 0 to 2^53";
  }
  out.size = size->get<std::int64_t>();
  out.time = now;
  const auto time = item.find("time");
  if (time == item.end() || time->is_null()) return std::nullopt;
  auto parsed = time->is_string() ? parse_rfc3339(time->get<std::string>()) : std::nullopt;
  if (!parsed) return "time: must be an RFC 3339 date-time with a zone";
  if (*parsed > now + 5 * kMsPerMinute) return "time: is more than 5 minutes in the future";
  if (*parsed < now - retention) return "time: is older than the retention period";
  out.time = *parsed;
  return std::nullopt;
}

Response record_sizes(Request& request, ApiContext& ctx) {
  auto access = authorize_tenant(request, ctx, request.path_params["tenant"], Need::kWriteData);
  if (auto* error = std::get_if<Response>(&access)) return std::move(*error);
  const std::string& audience_id = request.path_params["audience_id"];
  if (!is_valid_entity_id(audience_id)) {
    return Response::json(
        400, error_body("invalid_id", "audience id must match [A-Za-z0-9_.:-]{1,128}"));
  }
  const Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !(body.is_object() || (body.is_array() && !body.empty()))) {
    return Response::json(
        400, error_body("invalid_sizes",
                        "the body must be an observation or a non-empty array of them"));
  }
  std::vector<SizeObservation> observations;
  const TimeMs now = ctx.clock.now_ms();
  for (const Json& item : body.is_array() ? body : Json::array({body})) {
    SizeObservation o;
    if (auto problem = read_observation(item, now, ctx.config.storage.retention, o)) {
      return Response::json(
          400,
          error_body("invalid_sizes",
                     "observation " + std::to_string(observations.size() + 1) + ": " + *problem));
    }
    observations.push_back(o);
  }
  ctx.audiences.add_sizes(std::get<TenantAccess>(access).tenant->id, audience_id, observations);
  return Response::json(200, Json{{"recorded", observations.size()}});
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
  router.add("GET", base + "summary", "insights_summary",
             insights_handler(ctx, [](Request&, ApiContext& c, const Tenant& t) {
               return Response::json(200, workspace_summary(sources_of(c), t.id, c.clock.now_ms()));
             }));
  router.add("POST", "/api/v1/tenants/{tenant}/audiences/{audience_id}/sizes", "audience_sizes",
             answering_503_when_store_unavailable(
                 [&ctx](Request& request) { return record_sizes(request, ctx); }));
}

}  // namespace vitals
