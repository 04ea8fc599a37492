#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace vitals {

// The route's name in request metrics: an answer under it other than 200 is an ingest
// rejection, whether the endpoint gave it or the HTTP server did before the endpoint ran (a body
// too large or too slow, a 503 while stopping).
inline constexpr std::string_view kEventsRoute = "events";

// POST /api/v1/events
void register_events_api(Router& router, ApiContext& ctx);

}  // namespace vitals
