#include "api/operations_api.h"

#include "api/access.h"
#include "core/gzip.h"
#include "core/header_quality.h"
#include "http/http_server.h"
#include "metrics/exposition.h"
#include "openapi_document.h"
#include "store/sqlite.h"

namespace vitals {
namespace {

Response plain(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

bool accepts_gzip(std::string_view accept_encoding) {
  return header_quality(accept_encoding, {"gzip", "x-gzip"}) > 0;
}

Response metrics(const ApiContext& ctx, const Request& request) {
  ctx.exporter_metrics.set_rollup_size(ctx.rollups.series_count(), ctx.rollups.bucket_count());
  ctx.exporter_metrics.set_sqlite_memory(sqlite::memory_used());
  const RollupEngine::RecentState recent = ctx.rollups.recent_state();
  ctx.exporter_metrics.set_recent_events(recent.held, double(recent.since) / 1000.0,
                                         recent.bound_hits);
  const ClosedDayCache::Stats cache = ctx.rollups.closed_day_cache_stats();
  ctx.exporter_metrics.set_closed_day_cache(cache.bytes, cache.hits, cache.misses);
  std::vector<prometheus::MetricFamily> families;
  for (const auto& collectable : ctx.collectables) {
    auto more = collectable->Collect();
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  const ExpositionFormat format = negotiate_exposition(request.header("accept"));
  Response r;
  r.content_type = std::string(content_type_of(format));
  r.body = render_exposition(families, format, ctx.direct_metrics);
  if (accepts_gzip(request.header("accept-encoding"))) {
    r.body = gzip(r.body);
    r.headers.emplace_back("Content-Encoding", "gzip");
  }
  r.headers.emplace_back("Vary", "Accept, Accept-Encoding");
  return r;
}

// POST /-/reload, for admins: 200 with what was loaded, or 400 with every problem of the new
// configuration (the running one stays).
Response reload(const ApiContext& ctx, const Request& request) {
  auto who = authenticate(request, ctx);
  if (auto* error = std::get_if<Response>(&who)) return std::move(*error);
  if (!can_administer(std::get<Principal>(who).role)) return forbidden_response();
  if (!ctx.reload) return Response::json(503, error_body("unavailable", "reload is not wired"));
  const ReloadResult result = ctx.reload();
  if (!result.ok) return Response::json(400, error_body("invalid_configuration", result.message));
  return Response::json(
      200, nlohmann::ordered_json{{"status", "reloaded"}, {"message", result.message}});
}

}  // namespace

void register_operations_api(Router& router, ApiContext& ctx) {
  router.add("GET", "/-/healthy", "healthy",
             [](Request&) { return plain(200, "vitals is healthy\n"); });
  router.add("GET", "/-/ready", "ready", [&ctx](Request&) {
    if (ctx.shutting_down.load()) return plain(503, "vitals is shutting down\n");
    if (!ctx.ready.load()) return plain(503, "vitals is starting\n");
    return plain(200, "vitals is ready\n");
  });
  router.add("GET", "/metrics", "metrics", [&ctx](Request& r) { return metrics(ctx, r); });
  router.add("POST", "/-/reload", "reload", [&ctx](Request& r) { return reload(ctx, r); });
  router.add("GET", "/openapi.json", "openapi",
             [](Request&) { return Response::json(200, std::string(kOpenApiDocument)); });
}

}  // namespace vitals
