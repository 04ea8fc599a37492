#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace vitals {

// POST /api/v1/events
void register_events_api(Router& router, ApiContext& ctx);

}  // namespace vitals
