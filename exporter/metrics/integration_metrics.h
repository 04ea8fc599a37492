#pragma once

#include <array>
#include <deque>
#include <functional>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/writer_first_shared_mutex.h"
#include "ingest/event.h"
#include "metrics/exposition.h"
#include "metrics/series_budget.h"
#include "rollup/rollup_query.h"

namespace vitals {

// The label value that stands for every key (and mode, and item) refused by the limit.
inline constexpr std::string_view kOverflowLabel = "__overflow__";

// limits.* of the configuration.
struct SeriesLimits {
  size_t max_series_per_family = 100'000;
  TimeMs idle_ttl = 0;  // 0: series stay until restart
};

// Latency histogram buckets, in seconds: from 5 ms to 10 minutes.
inline constexpr std::array<double, 16> kIntegrationLatencyBuckets = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

// The vitals_integration_* families of the contract, fed by every committed batch. Label values
// are tenant slugs (what dashboards show), resolved through `slug_of` when written.
//
// They are kept here, one record per integration (tenant, type, key), and written straight to
// the exposition text rather than through prometheus-cpp: with 100,000 series, collecting them
// as prometheus::MetricFamily objects took 740 ms a scrape (bench/README.md), most of it copying
// label maps.
//
// Each family holds at most `max_series_per_family` series. An event that would add a series
// past that is counted instead into its (tenant, type)'s overflow record, whose key, mode and
// item say `__overflow__`, so sums over a family stay right; the refused series are counted in
// vitals_metrics_series_dropped_total. A record with no event for `idle_ttl` is dropped by
// expire_idle() and its series leave /metrics (its counters restart from zero if it returns).
class IntegrationMetrics final : public DirectExposition {
 public:
  using SlugOf = std::function<std::string(const std::string& tenant_id)>;
  using Warn = std::function<void(const std::string& message)>;

  explicit IntegrationMetrics(SlugOf slug_of);
  // `warn` gets the limit's warnings (spdlog's warn when empty).
  IntegrationMetrics(SlugOf slug_of, const Clock& clock, SeriesLimits limits, Warn warn = {});

  void observe(const std::vector<StoredEventRef>& events);
  void observe(const std::vector<StoredEvent>& events) { observe(refs_of(events)); }

  // Sets the last-success / last-error gauges from what the store already held at start-up;
  // counters start from zero, as a restarted exporter's counters should.
  void restore_last_seen(const SeriesKey& series, TimeMs last_success, TimeMs last_failure);

  // Drops the records idle for longer than idle_ttl; returns how many.
  size_t expire_idle();

  void write(ExpositionWriter& writer) const override;

 private:
  struct Latency {
    std::array<std::uint64_t, kIntegrationLatencyBuckets.size() + 1> buckets{};  // last: +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct PerMode {
    std::array<std::uint64_t, kEventStatusCount> events{};
    Latency latency;
  };
  struct Integration {
    std::string tenant_id;
    std::string type;
    std::string key;
    std::map<std::string, PerMode> modes;
    std::map<std::string, double> items;
    TimeMs last_success = kNoTime;
    TimeMs last_error = kNoTime;
    TimeMs last_active = kNoTime;  // when its latest event arrived, for idle_ttl
    bool overflow = false;
    bool live = true;
  };
  enum Family { kEvents, kLatency, kItems, kLastSuccess, kLastError, kFamilyCount };
  using Series = std::array<size_t, kFamilyCount>;  // per family

  Integration* find(const std::string& tenant_id, const std::string& type, const std::string& key);
  Integration& add(const std::string& tenant_id, const std::string& type, const std::string& key,
                   bool overflow);
  Integration& overflow_of(const std::string& tenant_id, const std::string& type);
  // The record an event or a restored reading goes to: its own while `needed` fits, else the
  // overflow record (the refusal counted and, at most once a minute per family, logged).
  // `needed(const Integration*)` returns a Series; a template, so no std::function per event.
  template <typename Needed>
  Integration& admit(const std::string& tenant_id, const std::string& type, const std::string& key,
                     const Needed& needed);
  void charge(const Integration& i, const Series& series);
  static Series event_series(const Integration* i, const Event& e);
  static Series reading_series(const Integration* i, TimeMs last_success, TimeMs last_failure);
  static Series series_of(const Integration& i);
  void apply(Integration& i, const Event& e);
  void drop(Integration& i);

  using Slugs = std::map<std::string, std::string>;
  void write_events(ExpositionWriter& w, const Slugs& slugs) const;
  void write_latency(ExpositionWriter& w, const Slugs& slugs) const;
  void write_items(ExpositionWriter& w, const Slugs& slugs) const;
  void write_last_seen(ExpositionWriter& w, const Slugs& slugs, bool success) const;
  void write_budgets(ExpositionWriter& w) const;

  SlugOf slug_of_;
  const Clock& clock_;
  SeriesLimits limits_;
  Warn warn_;
  mutable WriterFirstSharedMutex mutex_;  // ingest must not wait out a stream of reads
  // A deque, so a scrape walks memory in order and records never move; the slots of dropped
  // records are reused.
  std::deque<Integration> integrations_;
  std::vector<Integration*> free_;
  // Keyed by views of the record's own strings (records never move), so finding an event's
  // record builds no string: building "tenant \0 type \0 key" was a malloc per event.
  struct RecordId {
    std::string_view tenant_id, type, key;
    bool operator==(const RecordId&) const = default;
  };
  struct RecordIdHash {
    size_t operator()(const RecordId& id) const;
  };
  static RecordId id_of(const Integration& i) { return {i.tenant_id, i.type, i.key}; }
  std::unordered_map<RecordId, Integration*, RecordIdHash> by_id_;
  size_t overflow_records_ = 0;
  std::array<SeriesBudget, kFamilyCount> budgets_;
};

}  // namespace vitals
