#include "api/events_api.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "api/access.h"
#include "api/json_values.h"
#include "api/request_body.h"
#include "http/http_server.h"
#include "ingest/event_parser.h"
#include "ingest/ingest_pipeline.h"

namespace vitals {
namespace {

Response unavailable(std::string_view why) {
  Response r = store_unavailable_response();
  r.body = error_body("unavailable", why);
  return r;
}

Response invalid_events(const ParsedBatch& batch) {
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  for (const auto& e : batch.errors) {
    errors.push_back({{"line", e.line}, {"field", e.field}, {"message", e.message}});
  }
  const std::string message = std::to_string(batch.error_count) + " problem(s) in " +
                              std::to_string(batch.lines) + " event(s); nothing was stored";
  return Response::json(400,
                        nlohmann::ordered_json{
                            {"error", "invalid_events"}, {"message", message}, {"errors", errors}});
}

// The events past the tenant's series limit, as the per-line errors of a refused batch.
Response past_series_limit(const ParsedBatch& batch, const std::vector<size_t>& past,
                           size_t limit) {
  constexpr size_t kMaxListed = 100;
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  const std::string why = "would start a series past limits.max_series_per_tenant (" +
                          std::to_string(limit) +
                          " distinct type, key, mode, status and error category per tenant)";
  for (size_t i = 0; i < past.size() && i < kMaxListed; ++i) {
    errors.push_back({{"line", batch.event_lines[past[i]]}, {"field", "key"}, {"message", why}});
  }
  const std::string message = std::to_string(past.size()) + " of " + std::to_string(batch.lines) +
                              " event(s) past the tenant's series limit; nothing was stored";
  return Response::json(400,
                        nlohmann::ordered_json{
                            {"error", "invalid_events"}, {"message", message}, {"errors", errors}});
}

class EventsEndpoint {
 public:
  explicit EventsEndpoint(ApiContext& ctx) : ctx_(ctx) {}

  Response operator()(Request& request) {
    auto who = authenticate(request, ctx_);
    if (auto* error = std::get_if<Response>(&who)) return std::move(*error);
    const Principal& principal = std::get<Principal>(who);
    if (!can_write_data(principal.role)) return forbidden_response();
    auto format = body_format(request.header("content-type"));
    if (!format) {
      return unsupported_media_type();
    }
    if (ctx_.shutting_down.load()) return unavailable("vitals is shutting down");
    std::string body;
    std::optional<Response> decode_error;
    if (!decode_body(request, ctx_.config.server.max_body_bytes, body, decode_error)) {
      return std::move(*decode_error);
    }
    EventParserOptions options;
    options.now = ctx_.clock.now_ms();
    options.retention = ctx_.config.storage.retention;
    options.resolve_tenant = [&](std::string_view ref) -> std::string {
      const Tenant* t = ctx_.tenants.find(ref);
      return t && principal.may_access(*t) ? t->id : std::string();
    };
    ParsedBatch batch = parse_event_batch(body, *format, options);
    if (batch.error_count > 0) {
      ctx_.exporter_metrics.count_batch("rejected", batch.lines, 0);
      return invalid_events(batch);
    }
    return store(batch);
  }

 private:
  Response store(const ParsedBatch& batch) {
    try {
      const Submission outcome = ctx_.ingest.submit(batch.events, PastSeriesLimit::kRefuseBatch);
      if (!outcome.past_series_limit.empty()) {
        ctx_.exporter_metrics.count_batch("rejected", batch.events.size(), 0);
        return past_series_limit(batch, outcome.past_series_limit,
                                 ctx_.config.limits.max_series_per_tenant);
      }
      ctx_.exporter_metrics.count_batch("accepted", outcome.accepted, outcome.duplicates);
      return Response::json(200, nlohmann::ordered_json{{"accepted", outcome.accepted},
                                                        {"duplicates", outcome.duplicates}});
    } catch (const sqlite::Error& e) {
      spdlog::error("ingest: batch of {} events not stored: {}", batch.events.size(), e.what());
      ctx_.exporter_metrics.count_batch("unavailable", batch.events.size(), 0);
      if (e.is_unavailable()) return unavailable("the event store cannot take writes now");
      return Response::json(500, error_body("store_error", "the batch was not stored"));
    }
  }

  ApiContext& ctx_;
};

}  // namespace

void register_events_api(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/events", std::string(kEventsRoute), EventsEndpoint(ctx));
}

}  // namespace vitals
