#pragma once

#include <variant>
#include <vector>

#include "insights/insights_sources.h"

namespace vitals {

// GET …/insights/audience-trends over [now − days, now); `audience_ids` empty means every
// audience entity of the tenant.
std::variant<nlohmann::ordered_json, UnknownAudience> audience_trends(
    const InsightsSources& sources, const std::string& tenant_id,
    const std::vector<std::string>& audience_ids, int days, TimeMs now);

}  // namespace vitals
