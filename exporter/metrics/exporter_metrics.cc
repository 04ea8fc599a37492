#include "metrics/exporter_metrics.h"

#include <array>

#include "version.h"

namespace vitals {
namespace {

const prometheus::Histogram::BucketBoundaries kDurationBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// Every batch result and rejection reason is on /metrics from the start, at 0: an alert on
// increase() of one then reads 0 before its first occurrence rather than no data at all.
constexpr std::array<std::string_view, 3> kBatchResults = {"accepted", "rejected", "unavailable"};

struct Rejection {
  int status;
  std::string_view reason;
};
constexpr std::array<Rejection, 7> kRejectionReasons = {{{400, "invalid"},
                                                         {401, "unauthorized"},
                                                         {403, "forbidden"},
                                                         {408, "timeout"},
                                                         {413, "too_large"},
                                                         {415, "unsupported_media_type"},
                                                         {503, "unavailable"}}};
constexpr std::string_view kOtherRejection = "error";  // any other status (a failed store: 500)

std::string_view rejection_reason(int status) {
  for (const auto& [code, reason] : kRejectionReasons) {
    if (code == status) return reason;
  }
  return kOtherRejection;
}

}  // namespace

ExporterMetrics::ExporterMetrics(prometheus::Registry& registry)
    : ingest_events_(
          prometheus::BuildCounter()
              .Name("vitals_ingest_events_total")
              .Help("Events received on ingest, by result (stored, duplicate, rejected).")
              .Register(registry)),
      ingest_batches_(prometheus::BuildCounter()
                          .Name("vitals_ingest_batches_total")
                          .Help("Ingest requests, by result.")
                          .Register(registry)),
      ingest_rejections_(prometheus::BuildCounter()
                             .Name("vitals_ingest_rejections_total")
                             .Help("Ingest requests refused, by reason.")
                             .Register(registry)),
      past_series_limit_(prometheus::BuildCounter()
                             .Name("vitals_ingest_events_past_series_limit_total")
                             .Help("Events refused because each would have started a series "
                                   "past limits.max_series_per_tenant.")
                             .Register(registry)
                             .Add({})),
      http_requests_(prometheus::BuildCounter()
                         .Name("vitals_http_requests_total")
                         .Help("HTTP requests served, by handler and status code.")
                         .Register(registry)),
      http_duration_(prometheus::BuildHistogram()
                         .Name("vitals_http_request_duration_seconds")
                         .Help("Time to answer an HTTP request, by handler.")
                         .Register(registry)),
      store_write_(prometheus::BuildHistogram()
                       .Name("vitals_store_write_duration_seconds")
                       .Help("Time to commit one group of ingest batches (those that waited for "
                             "the previous commit) to the event store.")
                       .Register(registry)
                       .Add({}, kDurationBuckets)),
      rule_cycle_(prometheus::BuildHistogram()
                      .Name("vitals_rule_evaluation_cycle_seconds")
                      .Help("Time to evaluate every rule once.")
                      .Register(registry)
                      .Add({}, kDurationBuckets)),
      rollup_series_(prometheus::BuildGauge()
                         .Name("vitals_rollup_series")
                         .Help("Series held by the in-memory rollups.")
                         .Register(registry)
                         .Add({})),
      rollup_buckets_(prometheus::BuildGauge()
                          .Name("vitals_rollup_buckets")
                          .Help("Time buckets held by the in-memory rollups.")
                          .Register(registry)
                          .Add({})),
      recent_events_(prometheus::BuildGauge()
                         .Name("vitals_rollup_recent_events")
                         .Help("Exact recent events held in memory for the edges of windows.")
                         .Register(registry)
                         .Add({})),
      recent_since_(prometheus::BuildGauge()
                        .Name("vitals_rollup_recent_since_timestamp_seconds")
                        .Help("Window edges at or after this time are read from memory, older "
                              "ones from the store.")
                        .Register(registry)
                        .Add({})),
      recent_bound_hits_(prometheus::BuildCounter()
                             .Name("vitals_rollup_recent_bound_hits_total")
                             .Help("Times the bound on recent events pushed the oldest out.")
                             .Register(registry)
                             .Add({})),
      closed_day_cache_bytes_(
          prometheus::BuildGauge()
              .Name("vitals_rollup_closed_day_cache_bytes")
              .Help("Size of the sums of whole past days that queries keep for the next ones.")
              .Register(registry)
              .Add({})),
      closed_day_cache_lookups_(prometheus::BuildCounter()
                                    .Name("vitals_rollup_closed_day_cache_lookups_total")
                                    .Help("Queries' lookups of whole past days in the closed-day "
                                          "cache, by result (hit, miss).")
                                    .Register(registry)),
      closed_day_cache_hits_(closed_day_cache_lookups_.Add({{"result", "hit"}})),
      closed_day_cache_misses_(closed_day_cache_lookups_.Add({{"result", "miss"}})),
      sqlite_memory_(prometheus::BuildGauge()
                         .Name("vitals_store_sqlite_memory_bytes")
                         .Help("Heap memory SQLite holds: page caches, statements, schemas.")
                         .Register(registry)
                         .Add({})),
      pruned_(prometheus::BuildCounter()
                  .Name("vitals_store_pruned_events_total")
                  .Help("Events deleted from the store by retention.")
                  .Register(registry)
                  .Add({})),
      startup_from_snapshot_(
          prometheus::BuildGauge()
              .Name("vitals_startup_rollup_snapshot_loaded")
              .Help("1 when this start read the rollups from their snapshot, 0 when it replayed "
                    "the whole store.")
              .Register(registry)
              .Add({})),
      startup_replayed_(prometheus::BuildGauge()
                            .Name("vitals_startup_replayed_events")
                            .Help("Stored events replayed into the rollups at start-up.")
                            .Register(registry)
                            .Add({})),
      startup_seconds_(prometheus::BuildGauge()
                           .Name("vitals_startup_rebuild_seconds")
                           .Help("Time spent rebuilding the rollups at start-up.")
                           .Register(registry)
                           .Add({})) {
  prometheus::BuildGauge()
      .Name("vitals_build_info")
      .Help("Build information; the value is always 1.")
      .Register(registry)
      .Add({{"version", kVitalsVersion}, {"revision", kVitalsRevision}})
      .Set(1);
  for (const char* result : {"stored", "duplicate", "rejected"})
    ingest_events_.Add({{"result", result}});
  for (std::string_view result : kBatchResults)
    ingest_batches_.Add({{"result", std::string(result)}});
  for (const auto& rejection : kRejectionReasons) {
    ingest_rejections_.Add({{"reason", std::string(rejection.reason)}});
  }
  ingest_rejections_.Add({{"reason", std::string(kOtherRejection)}});
}

void ExporterMetrics::count_batch(std::string_view result, size_t events, size_t duplicates) {
  ingest_batches_.Add({{"result", std::string(result)}}).Increment();
  if (result == "accepted") {
    ingest_events_.Add({{"result", "stored"}}).Increment(double(events - duplicates));
    ingest_events_.Add({{"result", "duplicate"}}).Increment(double(duplicates));
  } else {
    ingest_events_.Add({{"result", "rejected"}}).Increment(double(events));
  }
}

void ExporterMetrics::count_rejection(int status) {
  ingest_rejections_.Add({{"reason", std::string(rejection_reason(status))}}).Increment();
}

void ExporterMetrics::count_past_series_limit(size_t events) {
  past_series_limit_.Increment(double(events));
}

void ExporterMetrics::observe_http(std::string_view handler, int code, double seconds) {
  http_requests_.Add({{"handler", std::string(handler)}, {"code", std::to_string(code)}})
      .Increment();
  http_duration_.Add({{"handler", std::string(handler)}}, kDurationBuckets).Observe(seconds);
}

void ExporterMetrics::observe_store_write(double seconds) {
  store_write_.Observe(seconds);
}

void ExporterMetrics::observe_rule_cycle(double seconds) {
  rule_cycle_.Observe(seconds);
}

void ExporterMetrics::set_rollup_size(size_t series, size_t buckets) {
  rollup_series_.Set(double(series));
  rollup_buckets_.Set(double(buckets));
}

void ExporterMetrics::set_recent_events(size_t held, double since_seconds,
                                        std::uint64_t bound_hits) {
  recent_events_.Set(double(held));
  recent_since_.Set(since_seconds);
  recent_bound_hits_.follow(bound_hits);
}

void ExporterMetrics::set_closed_day_cache(size_t bytes, std::uint64_t hits, std::uint64_t misses) {
  closed_day_cache_bytes_.Set(double(bytes));
  closed_day_cache_hits_.follow(hits);
  closed_day_cache_misses_.follow(misses);
}

// Scrapes run on several threads at once: only the one that raises what was seen adds the
// difference, so a scrape that read an older total never counts the same events again.
void ExporterMetrics::CounterOfTotal::follow(std::uint64_t total) {
  std::uint64_t seen = seen_.load();
  while (total > seen) {
    if (seen_.compare_exchange_weak(seen, total)) {
      counter_.Increment(double(total - seen));
      return;
    }
  }
}

void ExporterMetrics::set_sqlite_memory(std::int64_t bytes) {
  sqlite_memory_.Set(double(bytes));
}

void ExporterMetrics::count_pruned(double events) {
  pruned_.Increment(events);
}

void ExporterMetrics::set_startup(bool from_snapshot, std::int64_t replayed_events,
                                  double seconds) {
  startup_from_snapshot_.Set(from_snapshot ? 1 : 0);
  startup_replayed_.Set(double(replayed_events));
  startup_seconds_.Set(seconds);
}

}  // namespace vitals
