#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rollup/aggregate.h"

namespace vitals {

// The dimensions an event is rolled up by; `category` is empty for successful events.
enum class Dimension { kTenant, kType, kKey, kMode, kStatus, kCategory };

struct SeriesKey {
  std::string tenant_id;
  std::string type;
  std::string key;
  std::string mode;
  EventStatus status = EventStatus::kSuccess;
  std::string category;

  bool operator==(const SeriesKey&) const = default;
  std::string_view get(Dimension d) const;
  static SeriesKey of(const Event& event);
};

// Exact-match filters; an unset field matches everything. tenant_ids must name at least one
// tenant: no query ever spans tenants the caller did not list.
struct RollupFilter {
  std::vector<std::string> tenant_ids;
  std::optional<std::string> type;
  std::optional<std::string> key;
  std::optional<std::string> mode;
  std::optional<EventStatus> status;
  std::optional<std::string> category;

  bool matches(const SeriesKey& series) const;
};

enum class Step { kNone, kMinute, kHour, kDay, kWeek };

// Start of the step bucket holding t; weeks start on Monday 00:00 UTC.
TimeMs step_floor(TimeMs t, Step step);
TimeMs step_next(TimeMs bucket_start, Step step);

struct RollupQuery {
  RollupFilter filter;
  TimeMs from = 0;  // inclusive
  TimeMs to = 0;    // exclusive
  std::vector<Dimension> group_by;
  Step step = Step::kNone;
};

struct GroupKey {
  TimeMs bucket = 0;                // start of the step bucket; 0 when the query has no step
  std::vector<std::string> labels;  // one per group_by dimension, in order
  auto operator<=>(const GroupKey&) const = default;
};

using RollupResult = std::map<GroupKey, Aggregate>;

}  // namespace vitals
