#include "insights/activation_coverage.h"

#include <map>
#include <set>

#include "api/json_values.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

std::string attribute_text(const Entity& e, const char* name) {
  auto value = entity_attribute(e, name);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

}  // namespace

Json audience_size(const Entity& audience, const std::map<std::string, SizeObservation>& latest) {
  if (auto it = latest.find(audience.id); it != latest.end()) return it->second.size;
  if (auto estimated = entity_attribute(audience, "estimated_size");
      estimated && estimated->is_number_integer()) {
    return estimated->get<std::int64_t>();
  }
  return nullptr;
}

Json activation_coverage(const InsightsSources& sources, const std::string& tenant_id, TimeMs now) {
  std::map<std::string, Entity> audiences;
  for (auto& a : sources.entities.list(tenant_id, "audience")) audiences.emplace(a.id, a);
  std::set<std::string> synced;         // audiences any sync (whatever its status) refers to
  std::map<std::string, Json> sent_to;  // destination id -> audience rows
  std::map<std::string, std::set<std::string>> distinct;
  for (const auto& sync : sources.entities.list(tenant_id, "sync")) {
    const std::string audience_id = attribute_text(sync, "audience_id");
    const std::string destination_id = attribute_text(sync, "destination_id");
    if (!audience_id.empty()) synced.insert(audience_id);
    if (audience_id.empty() || destination_id.empty()) continue;
    if (sync.status != "active" && sync.status != "paused") continue;
    // A sync naming no audience entity (not yet written, or deleted) sends nothing that the
    // totals count, and the document's rows need the audience's name: it is left out.
    const auto audience = audiences.find(audience_id);
    if (audience == audiences.end()) continue;
    const Aggregate runs =
        runs_of(sources.rollups, tenant_id, kSyncRunType, sync.id, now - sources.retention, now);
    auto& rows = sent_to[destination_id];
    if (rows.is_null()) rows = Json::array();
    rows.push_back({{"audience_id", audience_id},
                    {"audience_name", audience->second.name},
                    {"sync_status", sync.status},
                    {"last_synced_at", time_or_null(runs.last_success)}});
    distinct[destination_id].insert(audience_id);
  }
  Json destinations = Json::array();
  for (const auto& d : sources.entities.list(tenant_id, "destination")) {
    const std::string type = attribute_text(d, "type");
    auto rows = sent_to.count(d.id) ? sent_to[d.id] : Json::array();
    destinations.push_back({{"destination_id", d.id},
                            {"destination_name", d.name},
                            // A string in the document: empty when the entity gives none.
                            {"destination_type", type},
                            {"audience_count", distinct[d.id].size()},
                            {"audiences", rows}});
  }
  const auto latest = sources.audiences.latest_sizes(tenant_id);
  Json unactivated = Json::array();
  for (const auto& [id, audience] : audiences) {
    if (synced.count(id)) continue;
    unactivated.push_back({{"audience_id", id},
                           {"audience_name", audience.name},
                           {"estimated_size", audience_size(audience, latest)}});
  }
  return {{"total_audiences", audiences.size()},
          {"activated_audiences", audiences.size() - unactivated.size()},
          {"unactivated_audiences", unactivated.size()},
          {"destinations", destinations},
          {"unactivated", unactivated}};
}

}  // namespace vitals
