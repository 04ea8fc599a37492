#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace vitals {

// One entry of a tenant's system-health feed (SPEC §6.4): written by the rule evaluator when an
// alert fires or resolves, or by another system through POST /api/v1/system-health.
struct FeedAlert {
  std::string id;  // "cha_" + ULID: sorts by creation time
  std::string tenant_id;
  std::optional<std::string> user_id;  // nullopt: fan-out to every user of the tenant
  std::string severity;                // one of kFeedSeverities
  std::string source;                  // any string; kFeedSources are the canonical ones
  std::string title;
  std::string message;
  std::optional<std::string> link;
  nlohmann::json metadata = nlohmann::json::object();
  bool pinned = false;
  TimeMs created_at = 0;
};

inline constexpr std::array<std::string_view, 5> kFeedSeverities = {"info", "success", "warning",
                                                                    "error", "critical"};
inline constexpr std::array<std::string_view, 8> kFeedSources = {
    "flow", "decisioning", "approvals", "license", "system", "data", "model", "sentinel"};

inline bool is_feed_severity(std::string_view s) {
  return std::ranges::find(kFeedSeverities, s) != kFeedSeverities.end();
}

// Sources outside this list are allowed (the column takes any string) but are not canonical.
inline bool is_feed_source(std::string_view s) {
  return std::ranges::find(kFeedSources, s) != kFeedSources.end();
}

}  // namespace vitals
