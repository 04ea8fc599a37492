#pragma once

#include <nlohmann/json.hpp>

#include "api/api_context.h"
#include "http/router.h"
#include "warehouse/connection_telemetry.h"

namespace vitals {

// GET /api/v1/organisations/{org}/integrations/warehouse-connections/{id}/telemetry/
void register_warehouse_api(Router& router, ApiContext& ctx);

nlohmann::ordered_json telemetry_json(const ConnectionTelemetry& telemetry);

}  // namespace vitals
