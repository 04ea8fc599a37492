#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/binary_io.h"
#include "ingest/event.h"
#include "rollup/latency_sketch.h"

namespace vitals {

inline constexpr TimeMs kNoTime = std::numeric_limits<TimeMs>::min();

// What any set of events sums to: the unit that rollup buckets hold and that queries merge.
struct Aggregate {
  std::array<std::uint64_t, kEventStatusCount> by_status{};
  double latency_sum = 0;  // over the events that carry latency_ms; count is latency.count()
  LatencySketch latency;
  ItemCounts items;  // sums of `counts` of successful events, sorted by kind
  TimeMs first_time = std::numeric_limits<TimeMs>::max();  // max when empty
  TimeMs last_time = kNoTime;
  TimeMs last_success = kNoTime;
  TimeMs last_failure = kNoTime;

  void add(const Event& event);
  // An event's status, time and latency: all of it but item counts.
  void add_one(EventStatus status, TimeMs time, std::optional<double> latency_ms);
  // A successful event's item counts.
  void add_items(const ItemCounts& counts);
  void merge(const Aggregate& other);
  // As add_one and merge, for everything but the latency sketch: for sums that keep their
  // sketch apart (AggregateAccumulator).
  void count_one(EventStatus status, TimeMs time, std::optional<double> latency_ms);
  void merge_counts(const Aggregate& other);

  // Times are written relative to `base` (a bucket's start), which keeps them short.
  void write(BinaryWriter& out, TimeMs base) const;
  static Aggregate read(BinaryReader& in, TimeMs base);

  std::uint64_t total() const { return by_status[0] + by_status[1] + by_status[2]; }
  std::uint64_t successes() const { return by_status[0]; }
  std::uint64_t failures() const { return by_status[1] + by_status[2]; }
  std::uint64_t count(EventStatus s) const { return by_status[static_cast<size_t>(s)]; }
  std::int64_t item(std::string_view kind) const;
  bool has_latency() const { return !latency.empty(); }
  double latency_avg() const { return latency.empty() ? 0 : latency_sum / latency.count(); }
};

}  // namespace vitals
