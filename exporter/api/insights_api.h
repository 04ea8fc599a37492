#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace vitals {

// GET /api/v1/workspaces/{id}/insights/{sync-health,audience-trends,activation-coverage,
// audience-overlap,summary}.
void register_insights_api(Router& router, ApiContext& ctx);

}  // namespace vitals
