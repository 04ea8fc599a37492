#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace vitals {

// vitals' own health: what an operator looks at when vitals itself is in doubt.
class ExporterMetrics {
 public:
  explicit ExporterMetrics(prometheus::Registry& registry);

  void count_batch(std::string_view result, size_t events, size_t duplicates);
  void count_rejection(std::string_view reason);
  void count_past_series_limit(size_t events);
  void observe_http(std::string_view handler, int code, double seconds);
  void observe_store_write(double seconds);
  void observe_rule_cycle(double seconds);
  void set_rollup_size(size_t series, size_t buckets);
  // The exact recent events window edges are read from: how many, from when, and how often
  // their bound has pushed the oldest out (a running total).
  void set_recent_events(size_t held, double since_seconds, std::uint64_t bound_hits);
  void set_sqlite_memory(std::int64_t bytes);
  void count_pruned(double events);
  // How the rollups were rebuilt at start-up.
  void set_startup(bool from_snapshot, std::int64_t replayed_events, double seconds);

 private:
  prometheus::Family<prometheus::Counter>& ingest_events_;
  prometheus::Family<prometheus::Counter>& ingest_batches_;
  prometheus::Family<prometheus::Counter>& ingest_rejections_;
  prometheus::Counter& past_series_limit_;
  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_duration_;
  prometheus::Histogram& store_write_;
  prometheus::Histogram& rule_cycle_;
  prometheus::Gauge& rollup_series_;
  prometheus::Gauge& rollup_buckets_;
  prometheus::Gauge& recent_events_;
  prometheus::Gauge& recent_since_;
  prometheus::Counter& recent_bound_hits_;
  std::atomic<std::uint64_t> recent_bound_hits_seen_{0};
  prometheus::Gauge& sqlite_memory_;
  prometheus::Counter& pruned_;
  prometheus::Gauge& startup_from_snapshot_;
  prometheus::Gauge& startup_replayed_;
  prometheus::Gauge& startup_seconds_;
};

}  // namespace vitals
