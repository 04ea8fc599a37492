#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace vitals {

// /-/healthy, /-/ready, /metrics and /openapi.json: the endpoints that need no token.
void register_operations_api(Router& router, ApiContext& ctx);

}  // namespace vitals
