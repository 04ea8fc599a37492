#pragma once

#include <array>
#include <deque>
#include <functional>
#include <map>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "ingest/event.h"
#include "metrics/exposition.h"
#include "rollup/rollup_query.h"

namespace vitals {

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
class IntegrationMetrics final : public DirectExposition {
 public:
  using SlugOf = std::function<std::string(const std::string& tenant_id)>;

  explicit IntegrationMetrics(SlugOf slug_of);

  void observe(const std::vector<StoredEvent>& events);

  // Sets the last-success / last-error gauges from what the store already held at start-up;
  // counters start from zero, as a restarted exporter's counters should.
  void restore_last_seen(const SeriesKey& series, TimeMs last_success, TimeMs last_failure);

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
  };

  Integration& integration(const std::string& tenant_id, const std::string& type,
                           const std::string& key);
  using Slugs = std::map<std::string, std::string>;
  void write_events(ExpositionWriter& w, const Slugs& slugs) const;
  void write_latency(ExpositionWriter& w, const Slugs& slugs) const;
  void write_items(ExpositionWriter& w, const Slugs& slugs) const;
  void write_last_seen(ExpositionWriter& w, const Slugs& slugs, bool success) const;

  SlugOf slug_of_;
  mutable std::shared_mutex mutex_;
  // In the order first seen; a deque, so a scrape walks memory in order and records never move.
  std::deque<Integration> integrations_;
  std::unordered_map<std::string, Integration*> by_id_;  // tenant \0 type \0 key
};

}  // namespace vitals
