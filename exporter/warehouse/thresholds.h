#pragma once

#include "core/clock.h"

namespace vitals {

// When a warehouse connection counts as idle, in error or degraded (SPEC §6.2); the
// [warehouse] table of the configuration overrides these defaults.
struct WarehouseThresholds {
  TimeMs idle_after = 24 * kMsPerHour;
  int failures_in_a_row = 3;
  int dlq_growth_reports = 3;
  TimeMs dlq_window = 24 * kMsPerHour;
  TimeMs degraded_window = 24 * kMsPerHour;
};

}  // namespace vitals
