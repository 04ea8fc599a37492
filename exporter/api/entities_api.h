#pragma once

#include <nlohmann/json.hpp>

#include "api/api_context.h"
#include "http/router.h"
#include "store/entity_store.h"

namespace vitals {

// PUT/GET/DELETE /api/v1/tenants/{tenant}/entities/{kind}/{id} and
// GET /api/v1/tenants/{tenant}/entities/{kind}
void register_entities_api(Router& router, ApiContext& ctx);

nlohmann::ordered_json entity_json(const Entity& entity);

}  // namespace vitals
