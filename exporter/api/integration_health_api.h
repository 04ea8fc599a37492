#pragma once

#include <nlohmann/json.hpp>

#include "api/api_context.h"
#include "http/router.h"

namespace vitals {

// GET /spaces/{slug}/integration-health
void register_integration_health_api(Router& router, ApiContext& ctx);

// The answer for one tenant over [now - days, now); separated from HTTP for tests.
nlohmann::ordered_json integration_health(const RollupEngine& rollups, const Tenant& tenant,
                                          int days, TimeMs now);

}  // namespace vitals
