#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <string>
#include <vector>

#include "ingest/event.h"
#include "rollup/rollup_query.h"

namespace vitals {

// The vitals_integration_* families of the contract, fed by every committed batch. Label values
// are tenant slugs (what dashboards show), resolved through `slug_of`.
class IntegrationMetrics {
 public:
  using SlugOf = std::function<std::string(const std::string& tenant_id)>;

  IntegrationMetrics(prometheus::Registry& registry, SlugOf slug_of);

  void observe(const std::vector<StoredEvent>& events);

  // Sets the last-success / last-error gauges from what the store already held at start-up;
  // counters start from zero, as a restarted exporter's counters should.
  void restore_last_seen(const SeriesKey& series, TimeMs last_success, TimeMs last_failure);

 private:
  SlugOf slug_of_;
  prometheus::Family<prometheus::Counter>& events_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Counter>& items_;
  prometheus::Family<prometheus::Gauge>& last_success_;
  prometheus::Family<prometheus::Gauge>& last_error_;
};

// Latency histogram buckets, in seconds: from 5 ms to 10 minutes.
const prometheus::Histogram::BucketBoundaries& integration_latency_buckets();

}  // namespace vitals
