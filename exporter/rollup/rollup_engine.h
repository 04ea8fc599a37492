#pragma once

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "rollup/rollup_query.h"

namespace vitals {

struct RawScan {
  std::string tenant_id;
  TimeMs from = 0;
  TimeMs to = 0;
  std::int64_t max_seq = 0;  // only events already applied to the rollups
};

// Reads raw events from wherever they are kept (the event store); the rollups use it only for
// the ragged edges of a window that no whole bucket covers.
using RawEventReader =
    std::function<void(const RawScan&, const std::function<void(const Event&)>&)>;

struct RollupOptions {
  TimeMs retention = 35 * kMsPerDay;
  TimeMs minute_horizon = 8 * kMsPerDay;
};

// In-memory time buckets over every event, in two tiers: hour buckets for the whole retention
// and minute buckets for the recent past. A window [from, to) is answered from whole hour
// buckets where it can, whole minute buckets at its edges, and the raw events of the store for
// what is left (less than a minute at each end, or less than an hour beyond the minute tier).
// That keeps answers exact for any window while memory grows with series x hours, not events.
class RollupEngine {
 public:
  RollupEngine(RollupOptions options, RawEventReader raw, TimeMs now);

  // Applies newly committed events, in commit order.
  void apply(const std::vector<StoredEvent>& events);

  RollupResult query(const RollupQuery& query) const;
  // Everything matching `filter` in [from, to) as one aggregate (empty when nothing matches).
  Aggregate total(const RollupFilter& filter, TimeMs from, TimeMs to) const;

  // Drops buckets that have left their tier's horizon.
  void expire(TimeMs now);

  std::int64_t applied_seq() const;
  size_t series_count() const;
  size_t bucket_count() const;

 private:
  struct SeriesKeyHash {
    size_t operator()(const SeriesKey& k) const;
  };
  struct Series {
    SeriesKey key;
    std::map<TimeMs, Aggregate> minutes;
    std::map<TimeMs, Aggregate> hours;
  };
  enum class Source { kHours, kMinutes, kRaw };
  struct Segment {
    Source source;
    TimeMs from;
    TimeMs to;
  };

  std::vector<Segment> plan(TimeMs from, TimeMs to, Step step) const;
  void plan_minutes(TimeMs from, TimeMs to, std::vector<Segment>& out) const;
  // Results are gathered by group labels first, then by step bucket, and flattened at the end.
  using Grouped = std::map<std::vector<std::string>, std::map<TimeMs, Aggregate>>;
  void collect(const RollupQuery& query, const Segment& segment, Grouped& out) const;
  std::vector<const Series*> matching_series(const RollupFilter& filter) const;
  static std::string tenant_key(std::string_view tenant_id, std::string_view key);

  RollupOptions options_;
  RawEventReader raw_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<SeriesKey, std::unique_ptr<Series>, SeriesKeyHash> series_;
  std::unordered_map<std::string, std::vector<Series*>> by_tenant_;
  // By tenant and integration key: queries about one integration (telemetry, a filtered
  // dashboard, a rule on one key) skip the tenant's other series.
  std::unordered_map<std::string, std::vector<Series*>> by_tenant_key_;
  TimeMs minute_floor_;  // minute buckets are complete from here on
  std::int64_t applied_seq_ = 0;
};

}  // namespace vitals
