#pragma once

#include <variant>
#include <vector>

#include "insights/insights_sources.h"

namespace vitals {

// GET …/insights/audience-overlap: the member counts of `audience_ids` (at least two, checked by
// the caller) and how many members are in all of them, exactly.
std::variant<nlohmann::ordered_json, UnknownAudience> audience_overlap(
    const InsightsSources& sources, const std::string& tenant_id,
    const std::vector<std::string>& audience_ids);

}  // namespace vitals
