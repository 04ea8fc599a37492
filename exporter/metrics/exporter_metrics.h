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

  // result: accepted, rejected (bad events, or past the series limit), unavailable.
  void count_batch(std::string_view result, size_t events, size_t duplicates);
  // An ingest request refused with this status, counted under its reason (README's table).
  void count_rejection(int status);
  void count_past_series_limit(size_t events);
  void observe_http(std::string_view handler, int code, double seconds);
  void observe_store_write(double seconds);
  void observe_rule_cycle(double seconds);
  void set_rollup_size(size_t series, size_t buckets);
  // The exact recent events window edges are read from: how many, from when, and how often
  // their bound has pushed the oldest out (a running total).
  void set_recent_events(size_t held, double since_seconds, std::uint64_t bound_hits);
  // The rollups' closed-day cache: its size and its running totals of hits and misses.
  void set_closed_day_cache(size_t bytes, std::uint64_t hits, std::uint64_t misses);
  void set_sqlite_memory(std::int64_t bytes);
  void count_pruned(double events);
  // How the rollups were rebuilt at start-up.
  void set_startup(bool from_snapshot, std::int64_t replayed_events, double seconds);

 private:
  // A counter that follows a running total kept elsewhere, as the total is read at scrapes.
  class CounterOfTotal {
   public:
    explicit CounterOfTotal(prometheus::Counter& counter) : counter_(counter) {}
    void follow(std::uint64_t total);

   private:
    prometheus::Counter& counter_;
    std::atomic<std::uint64_t> seen_{0};
  };

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
  CounterOfTotal recent_bound_hits_;
  prometheus::Gauge& closed_day_cache_bytes_;
  prometheus::Family<prometheus::Counter>& closed_day_cache_lookups_;
  CounterOfTotal closed_day_cache_hits_;
  CounterOfTotal closed_day_cache_misses_;
  prometheus::Gauge& sqlite_memory_;
  prometheus::Counter& pruned_;
  prometheus::Gauge& startup_from_snapshot_;
  prometheus::Gauge& startup_replayed_;
  prometheus::Gauge& startup_seconds_;
};

}  // namespace vitals
