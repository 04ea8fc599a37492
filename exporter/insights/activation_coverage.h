#pragma once

#include "insights/insights_sources.h"

namespace vitals {

// GET …/insights/activation-coverage: which audiences active or paused syncs send to which
// destinations, and which audiences no sync sends anywhere.
nlohmann::ordered_json activation_coverage(const InsightsSources& sources,
                                           const std::string& tenant_id, TimeMs now);

// The latest size observation of an audience, else its estimated_size attribute, else null.
nlohmann::ordered_json audience_size(const Entity& audience,
                                     const std::map<std::string, SizeObservation>& latest);

}  // namespace vitals
