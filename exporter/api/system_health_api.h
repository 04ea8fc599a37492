#pragma once

#include <optional>

#include "api/api_context.h"
#include "http/router.h"

namespace vitals {

// The system-health alert feed (SPEC §6.4): GET and POST /api/v1/system-health,
// PATCH /api/v1/system-health/{id}/read, POST /api/v1/system-health/read-all and
// DELETE /api/v1/system-health/{id}. The tenant is the token's only one or the X-Tenant header's.
// Fills the paging, time, read-state and value filters of GET's query from its parameters, or
// answers the 400 that names the first bad parameter.
std::optional<Response> read_feed_query(const Request& request, FeedQuery& query);

void register_system_health_api(Router& router, ApiContext& ctx);

}  // namespace vitals
