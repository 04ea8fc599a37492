#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "event_mix.h"

namespace vitals::traffic {

struct Entity {
  std::string kind;  // one of the kinds of SPEC 3.2
  std::string id;    // [A-Za-z0-9_.:-]{1,128}: built from the tenant slug and fixed words
  nlohmann::ordered_json body;  // {"name", "status", "attributes"}
};

// The catalog behind one tenant's traffic, in an order where what an entity refers to comes
// before it: sources, models, destinations, audiences, warehouse connections, loaders, syncs.
// Syncs and loaders are the ones in the traffic; a sync that stopped sending is "paused".
std::vector<Entity> tenant_entities(const TenantTraffic& traffic);

}  // namespace vitals::traffic
