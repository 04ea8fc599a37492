#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace vitals {

// The system-health alert feed (SPEC §6.4): GET and POST /api/v1/system-health,
// PATCH /api/v1/system-health/{id}/read, POST /api/v1/system-health/read-all and
// DELETE /api/v1/system-health/{id}. The tenant is the token's only one or the X-Tenant header's.
void register_system_health_api(Router& router, ApiContext& ctx);

}  // namespace vitals
