#pragma once

#include <cstdint>

#include "core/clock.h"
#include "rollup/rollup_engine.h"
#include "store/event_store.h"

namespace vitals {

// Applies the retention period: deletes old events from the store and drops rollup buckets
// that have aged out of their tier. Runs on the housekeeping timer; "now" is passed in so that
// tests can move time.
class Retention {
 public:
  Retention(EventStore& store, RollupEngine& rollups, TimeMs retention)
      : store_(store), rollups_(rollups), retention_(retention) {}

  // Returns how many events were deleted.
  // The cutoff is hour-aligned, as the rollups drop whole hour buckets: the store and the
  // rollups then hold exactly the same events, so a window reaching past the retention counts
  // the same before and after a restart.
  static TimeMs cutoff(TimeMs now, TimeMs retention) {
    return floor_to(now - retention, kMsPerHour);
  }

  std::int64_t apply(TimeMs now) {
    const std::int64_t removed = store_.prune_before(cutoff(now, retention_));
    rollups_.expire(now);
    return removed;
  }

 private:
  EventStore& store_;
  RollupEngine& rollups_;
  TimeMs retention_;
};

}  // namespace vitals
