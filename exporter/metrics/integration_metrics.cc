#include "metrics/integration_metrics.h"

#include <algorithm>
#include <mutex>

namespace vitals {
namespace {

using Label = ExpositionWriter::Label;
using prometheus::MetricType;

double seconds_of(TimeMs t) {
  return static_cast<double>(t) / 1000.0;
}

// The `le` texts of the latency buckets, +Inf last: written once, not per series per scrape.
const std::array<std::string, kIntegrationLatencyBuckets.size() + 1>& bucket_bounds() {
  static const auto kBounds = [] {
    std::array<std::string, kIntegrationLatencyBuckets.size() + 1> bounds;
    for (size_t b = 0; b < kIntegrationLatencyBuckets.size(); ++b) {
      append_number(bounds[b], kIntegrationLatencyBuckets[b]);
    }
    append_number(bounds.back(), std::numeric_limits<double>::infinity());
    return bounds;
  }();
  return kBounds;
}

}  // namespace

IntegrationMetrics::IntegrationMetrics(SlugOf slug_of) : slug_of_(std::move(slug_of)) {}

IntegrationMetrics::Integration& IntegrationMetrics::integration(const std::string& tenant_id,
                                                                 const std::string& type,
                                                                 const std::string& key) {
  std::string id = tenant_id;
  id += '\0';
  id += type;
  id += '\0';
  id += key;
  auto [it, added] = by_id_.try_emplace(std::move(id), nullptr);
  if (added) it->second = &integrations_.emplace_back(Integration{tenant_id, type, key, {}, {}});
  return *it->second;
}

void IntegrationMetrics::observe(const std::vector<StoredEvent>& events) {
  std::unique_lock lock(mutex_);
  for (const auto& stored : events) {
    const Event& e = stored.event;
    Integration& i = integration(e.tenant_id, e.type, e.key);
    PerMode& mode = i.modes[e.mode];
    ++mode.events[static_cast<size_t>(e.status)];
    if (e.latency_ms) {
      const double seconds = *e.latency_ms / 1000.0;
      const auto bound = std::lower_bound(kIntegrationLatencyBuckets.begin(),
                                          kIntegrationLatencyBuckets.end(), seconds);
      ++mode.latency.buckets[static_cast<size_t>(bound - kIntegrationLatencyBuckets.begin())];
      mode.latency.sum += seconds;
      ++mode.latency.count;
    }
    if (is_failure(e.status)) {
      i.last_error = std::max(i.last_error, e.time);
      continue;
    }
    i.last_success = std::max(i.last_success, e.time);
    for (const auto& [kind, n] : e.counts) {
      if (kind == "dlq_depth") continue;  // a gauge reading of warehouse deliveries, not items
      i.items[kind] += static_cast<double>(n);
    }
  }
}

void IntegrationMetrics::restore_last_seen(const SeriesKey& series, TimeMs last_success,
                                           TimeMs last_failure) {
  std::unique_lock lock(mutex_);
  Integration& i = integration(series.tenant_id, series.type, series.key);
  i.last_success = std::max(i.last_success, last_success);
  i.last_error = std::max(i.last_error, last_failure);
}

void IntegrationMetrics::write(ExpositionWriter& w) const {
  std::shared_lock lock(mutex_);
  Slugs slugs;
  for (const Integration& i : integrations_) {
    if (!slugs.count(i.tenant_id)) slugs.emplace(i.tenant_id, slug_of_(i.tenant_id));
  }
  write_events(w, slugs);
  write_latency(w, slugs);
  write_items(w, slugs);
  write_last_seen(w, slugs, true);
  write_last_seen(w, slugs, false);
}

// Labels are written in name order, as prometheus-cpp did.
void IntegrationMetrics::write_events(ExpositionWriter& w, const Slugs& slugs) const {
  w.begin_family("vitals_integration_events_total", "Integration events accepted, by status.",
                 MetricType::Counter);
  for (const Integration& i : integrations_) {
    for (const auto& [mode, per_mode] : i.modes) {
      for (size_t s = 0; s < per_mode.events.size(); ++s) {
        if (per_mode.events[s] == 0) continue;
        const Label labels[] = {{"integration_key", i.key},
                                {"integration_type", i.type},
                                {"mode", mode},
                                {"status", status_name(static_cast<EventStatus>(s))},
                                {"tenant", slugs.at(i.tenant_id)}};
        w.sample("", labels, double(per_mode.events[s]));
      }
    }
  }
}

void IntegrationMetrics::write_latency(ExpositionWriter& w, const Slugs& slugs) const {
  w.begin_family("vitals_integration_latency_seconds",
                 "Latency of integration events that reported one.", MetricType::Histogram);
  for (const Integration& i : integrations_) {
    for (const auto& [mode, per_mode] : i.modes) {
      const Latency& l = per_mode.latency;
      if (l.count == 0) continue;
      const Label labels[] = {{"integration_key", i.key},
                              {"integration_type", i.type},
                              {"mode", mode},
                              {"tenant", slugs.at(i.tenant_id)}};
      std::uint64_t cumulative = 0;
      for (size_t b = 0; b < l.buckets.size(); ++b) {
        cumulative += l.buckets[b];
        w.bucket(labels, bucket_bounds()[b], double(cumulative));
      }
      w.sample("_sum", labels, l.sum);
      w.sample("_count", labels, double(l.count));
    }
  }
}

void IntegrationMetrics::write_items(ExpositionWriter& w, const Slugs& slugs) const {
  w.begin_family("vitals_integration_items_total",
                 "Items carried by successful integration events, by kind.", MetricType::Counter);
  for (const Integration& i : integrations_) {
    for (const auto& [item, n] : i.items) {
      const Label labels[] = {{"integration_key", i.key},
                              {"integration_type", i.type},
                              {"item", item},
                              {"tenant", slugs.at(i.tenant_id)}};
      w.sample("", labels, n);
    }
  }
}

void IntegrationMetrics::write_last_seen(ExpositionWriter& w, const Slugs& slugs,
                                         bool success) const {
  if (success) {
    w.begin_family("vitals_integration_last_success_timestamp_seconds",
                   "Time of the latest successful event of an integration.", MetricType::Gauge);
  } else {
    w.begin_family("vitals_integration_last_error_timestamp_seconds",
                   "Time of the latest failed event of an integration.", MetricType::Gauge);
  }
  for (const Integration& i : integrations_) {
    const TimeMs t = success ? i.last_success : i.last_error;
    if (t == kNoTime) continue;
    const Label labels[] = {{"integration_key", i.key},
                            {"integration_type", i.type},
                            {"tenant", slugs.at(i.tenant_id)}};
    w.sample("", labels, seconds_of(t));
  }
}

}  // namespace vitals
