#pragma once

#include "insights/insights_sources.h"

namespace vitals {

// GET …/insights/sync-health: one row per sync entity over [now − days, now).
nlohmann::ordered_json sync_health(const InsightsSources& sources, const std::string& tenant_id,
                                   int days, TimeMs now);

// Active syncs whose latest run in [from, to) failed.
int failing_syncs(const InsightsSources& sources, const std::string& tenant_id, TimeMs from,
                  TimeMs to);

}  // namespace vitals
