#include "entity_catalog.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>

namespace vitals::traffic {
namespace {

using nlohmann::ordered_json;

Entity make_entity(std::string kind, std::string id, std::string name, std::string status,
                   ordered_json attributes = ordered_json::object()) {
  ordered_json body = {
      {"name", std::move(name)}, {"status", std::move(status)}, {"attributes", attributes}};
  return {std::move(kind), std::move(id), std::move(body)};
}

std::string entity_id(const char* prefix, const std::string& tenant, const std::string& name) {
  return std::string(prefix) + "-" + tenant + "-" + name;
}

void add_sources_and_models(const std::string& tenant, std::vector<Entity>& out) {
  for (const char* type : {"salesforce", "s3"}) {
    out.push_back(make_entity("source", entity_id("src", tenant, type), std::string(type),
                              "connected", {{"type", type}}));
  }
  // An inactive model next to the active ones, so that the catalog has more than one status.
  const std::vector<std::pair<const char*, const char*>> models = {
      {"customers", "active"}, {"orders", "active"}, {"churn-score", "inactive"}};
  for (const auto& [name, status] : models) {
    out.push_back(make_entity("model", entity_id("model", tenant, name), name, status,
                              {{"source_id", entity_id("src", tenant, "salesforce")}}));
  }
}

std::string destination_name(const std::string& type) {
  static const std::map<std::string, std::string> names = {{"salesforce", "Salesforce"},
                                                           {"hubspot", "HubSpot"},
                                                           {"google_ads", "Google Ads"},
                                                           {"facebook_ads", "Facebook Ads"}};
  const auto found = names.find(type);
  return found == names.end() ? type : found->second;
}

struct AudienceSpec {
  const char* name;
  std::int64_t estimated_size;
};

// One audience per sync: the n-th sync activates the n-th audience.
const std::vector<AudienceSpec>& audience_specs() {
  static const std::vector<AudienceSpec> audiences = {{"High-value customers", 48'200},
                                                      {"Cart abandoners", 12'750},
                                                      {"Churn risk", 3'900},
                                                      {"Newsletter subscribers", 210'000}};
  return audiences;
}

std::string audience_id(const std::string& tenant, std::size_t index) {
  return entity_id("aud", tenant, std::to_string(index + 1));
}

std::vector<const Integration*> of_kind(const TenantTraffic& traffic, IntegrationKind kind) {
  std::vector<const Integration*> result;
  for (const Integration& integration : traffic.integrations()) {
    if (integration.kind == kind) result.push_back(&integration);
  }
  return result;
}

void add_destinations_and_audiences(const TenantTraffic& traffic, std::vector<Entity>& out) {
  const std::string& tenant = traffic.tenant();
  const auto syncs = of_kind(traffic, IntegrationKind::kSyncRun);
  for (const Integration* sync : syncs) {
    out.push_back(make_entity("destination", entity_id("dest", tenant, sync->subject),
                              destination_name(sync->subject), "connected",
                              {{"type", sync->subject}}));
  }
  for (std::size_t i = 0; i < syncs.size(); ++i) {
    const AudienceSpec& audience = audience_specs()[i % audience_specs().size()];
    out.push_back(make_entity("audience", audience_id(tenant, i), audience.name, "active",
                              {{"estimated_size", audience.estimated_size},
                               {"model_id", entity_id("model", tenant, "customers")}}));
  }
}

// The status is informational for this kind: vitals derives the real one from the deliveries.
void add_warehouse_connections(const std::string& tenant, std::vector<Entity>& out) {
  for (const WarehouseConnectionSpec& spec : warehouse_connection_specs()) {
    out.push_back(make_entity("warehouse_connection", warehouse_connection_id(tenant, spec.suffix),
                              spec.name, "configured", {{"warehouse", spec.warehouse}}));
  }
}

void add_loaders_and_syncs(const TenantTraffic& traffic, std::vector<Entity>& out) {
  const std::string& tenant = traffic.tenant();
  for (const Integration* loader : of_kind(traffic, IntegrationKind::kLoaderRun)) {
    out.push_back(make_entity("loader", loader->key, "Landing bucket loader", "active",
                              {{"bucket", loader->subject}}));
  }
  const auto syncs = of_kind(traffic, IntegrationKind::kSyncRun);
  for (std::size_t i = 0; i < syncs.size(); ++i) {
    const Integration& sync = *syncs[i];
    const std::string audience = audience_specs()[i % audience_specs().size()].name;
    out.push_back(make_entity("sync", sync.key, audience + " to " + destination_name(sync.subject),
                              sync.active_until == kForever ? "active" : "paused",
                              {{"audience_id", audience_id(tenant, i)},
                               {"destination_id", entity_id("dest", tenant, sync.subject)}}));
  }
}

}  // namespace

std::vector<Entity> tenant_entities(const TenantTraffic& traffic) {
  std::vector<Entity> entities;
  add_sources_and_models(traffic.tenant(), entities);
  add_destinations_and_audiences(traffic, entities);
  add_warehouse_connections(traffic.tenant(), entities);
  add_loaders_and_syncs(traffic, entities);
  return entities;
}

}  // namespace vitals::traffic
