#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace vitals {

// What senders tell vitals about audiences (SPEC §3.4): size observations
// (POST /api/v1/tenants/{tenant}/audiences/{audience_id}/sizes) and member lists
// (PUT/POST/DELETE …/members).
void register_audiences_api(Router& router, ApiContext& ctx);

}  // namespace vitals
