#include "metrics/integration_metrics.h"

#include <algorithm>

namespace vitals {

const prometheus::Histogram::BucketBoundaries& integration_latency_buckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};
  return kBuckets;
}

IntegrationMetrics::IntegrationMetrics(prometheus::Registry& registry, SlugOf slug_of)
    : slug_of_(std::move(slug_of)),
      events_(prometheus::BuildCounter()
                  .Name("vitals_integration_events_total")
                  .Help("Integration events accepted, by status.")
                  .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("vitals_integration_latency_seconds")
                   .Help("Latency of integration events that reported one.")
                   .Register(registry)),
      items_(prometheus::BuildCounter()
                 .Name("vitals_integration_items_total")
                 .Help("Items carried by successful integration events, by kind.")
                 .Register(registry)),
      last_success_(prometheus::BuildGauge()
                        .Name("vitals_integration_last_success_timestamp_seconds")
                        .Help("Time of the latest successful event of an integration.")
                        .Register(registry)),
      last_error_(prometheus::BuildGauge()
                      .Name("vitals_integration_last_error_timestamp_seconds")
                      .Help("Time of the latest failed event of an integration.")
                      .Register(registry)) {}

static void raise_to(prometheus::Gauge& gauge, TimeMs t) {
  const double seconds = static_cast<double>(t) / 1000.0;
  if (seconds > gauge.Value()) gauge.Set(seconds);
}

void IntegrationMetrics::observe(const std::vector<StoredEvent>& events) {
  for (const auto& stored : events) {
    const Event& e = stored.event;
    const std::string tenant = slug_of_(e.tenant_id);
    const prometheus::Labels integration = {
        {"tenant", tenant}, {"integration_type", e.type}, {"integration_key", e.key}};
    prometheus::Labels with_mode = integration;
    with_mode["mode"] = e.mode;
    prometheus::Labels with_status = with_mode;
    with_status["status"] = std::string(status_name(e.status));
    events_.Add(with_status).Increment();
    if (e.latency_ms) {
      latency_.Add(with_mode, integration_latency_buckets()).Observe(*e.latency_ms / 1000.0);
    }
    if (is_failure(e.status)) {
      raise_to(last_error_.Add(integration), e.time);
      continue;
    }
    raise_to(last_success_.Add(integration), e.time);
    for (const auto& [kind, n] : e.counts) {
      if (kind == "dlq_depth") continue;  // a gauge reading of warehouse deliveries, not items
      prometheus::Labels with_item = integration;
      with_item["item"] = kind;
      items_.Add(with_item).Increment(static_cast<double>(n));
    }
  }
}

void IntegrationMetrics::restore_last_seen(const SeriesKey& series, TimeMs last_success,
                                           TimeMs last_failure) {
  const prometheus::Labels integration = {{"tenant", slug_of_(series.tenant_id)},
                                          {"integration_type", series.type},
                                          {"integration_key", series.key}};
  if (last_success != kNoTime) raise_to(last_success_.Add(integration), last_success);
  if (last_failure != kNoTime) raise_to(last_error_.Add(integration), last_failure);
}

}  // namespace vitals
