#pragma once

#include "insights/insights_sources.h"

namespace vitals {

// GET …/insights/summary: entities by kind and status, rows synced and loaded since 00:00 UTC,
// and the audiences' total size.
nlohmann::ordered_json workspace_summary(const InsightsSources& sources,
                                         const std::string& tenant_id, TimeMs now);

}  // namespace vitals
