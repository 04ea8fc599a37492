#include "api/operations_api.h"

#include "core/gzip.h"
#include "http/http_server.h"
#include "metrics/exposition.h"
#include "openapi_document.h"

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
  return accept_encoding.find("gzip") != std::string_view::npos;
}

Response metrics(const ApiContext& ctx, const Request& request) {
  ctx.exporter_metrics.set_rollup_size(ctx.rollups.series_count(), ctx.rollups.bucket_count());
  std::vector<prometheus::MetricFamily> families;
  for (const auto& collectable : ctx.collectables) {
    auto more = collectable->Collect();
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  const ExpositionFormat format = negotiate_exposition(request.header("accept"));
  Response r;
  r.content_type = std::string(content_type_of(format));
  r.body = render_exposition(families, format);
  if (accepts_gzip(request.header("accept-encoding"))) {
    r.body = gzip(r.body);
    r.headers.emplace_back("Content-Encoding", "gzip");
  }
  r.headers.emplace_back("Vary", "Accept, Accept-Encoding");
  return r;
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
  router.add("GET", "/openapi.json", "openapi",
             [](Request&) { return Response::json(200, std::string(kOpenApiDocument)); });
}

}  // namespace vitals
