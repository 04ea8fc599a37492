#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "ingest/event.h"
#include "rollup/aggregate.h"  // kNoTime

namespace vitals {

// The exact recent events of one full-table series, sorted by time: what the ragged edges of a
// window (under a minute at each end) are read from while they are recent, instead of the event
// store.
//
// A rule over a 10-minute window ending now reads two such edges each cycle, and reading them
// from SQLite (a statement per edge and tenant, every row's strings copied into an Event and its
// series key rebuilt to find its group) was 35 of the 76 ms a cycle of 1,000 rules took. Here
// the series is already known, so an edge costs a binary search and an add per event.
class RecentEvents {
 public:
  // 24 bytes: the latency is NaN when the event has none (an optional would take 16).
  struct Entry {
    TimeMs time = 0;
    double latency = std::numeric_limits<double>::quiet_NaN();
    std::unique_ptr<ItemCounts> counts;  // only for successes that carry them

    std::optional<double> latency_ms() const {
      return std::isnan(latency) ? std::nullopt : std::optional<double>(latency);
    }
  };

  void add(const Event& event) {
    Entry entry{event.time, event.latency_ms.value_or(std::numeric_limits<double>::quiet_NaN()),
                nullptr};
    if (!is_failure(event.status) && !event.counts.empty()) {
      entry.counts = std::make_unique<ItemCounts>(event.counts);
    }
    auto at = entries_.end();
    if (!entries_.empty() && entries_.back().time > event.time) {
      at = std::upper_bound(entries_.begin(), entries_.end(), event.time,
                            [](TimeMs t, const Entry& e) { return t < e.time; });
    }
    entries_.insert(at, std::move(entry));
  }

  // The entries in [from, to).
  std::span<const Entry> range(TimeMs from, TimeMs to) const {
    auto first = std::lower_bound(entries_.begin(), entries_.end(), from, starts_before);
    auto last = std::lower_bound(first, entries_.end(), to, starts_before);
    return {first, last};
  }

  // Drops entries before `floor`; returns how many.
  size_t erase_before(TimeMs floor) {
    auto end = std::lower_bound(entries_.begin(), entries_.end(), floor, starts_before);
    const auto dropped = static_cast<size_t>(end - entries_.begin());
    entries_.erase(entries_.begin(), end);
    if (entries_.capacity() > 2 * entries_.size() + 8) entries_.shrink_to_fit();
    return dropped;
  }

  bool empty() const { return entries_.empty(); }
  TimeMs latest() const { return entries_.empty() ? kNoTime : entries_.back().time; }

 private:
  static bool starts_before(const Entry& e, TimeMs t) { return e.time < t; }

  std::vector<Entry> entries_;
};

}  // namespace vitals
