#include "insights/insights_sources.h"

namespace vitals {
namespace {

Aggregate run_query(const RollupEngine& rollups, const std::string& tenant_id,
                    const std::string& type, std::optional<std::string> key, TimeMs from,
                    TimeMs to) {
  RollupFilter filter;
  filter.tenant_ids = {tenant_id};
  filter.type = type;
  filter.key = std::move(key);
  return rollups.total(filter, from, to);
}

}  // namespace

Aggregate runs_of(const RollupEngine& rollups, const std::string& tenant_id,
                  const std::string& type, const std::string& key, TimeMs from, TimeMs to) {
  return run_query(rollups, tenant_id, type, key, from, to);
}

Aggregate runs_of_type(const RollupEngine& rollups, const std::string& tenant_id,
                       const std::string& type, TimeMs from, TimeMs to) {
  return run_query(rollups, tenant_id, type, std::nullopt, from, to);
}

std::optional<std::string> last_run_status(const Aggregate& runs) {
  if (runs.total() == 0) return std::nullopt;
  // On a tie the failure wins: better to look at a sync that may be fine than to miss one.
  return runs.last_failure >= runs.last_success ? "failed" : "completed";
}

std::optional<nlohmann::json> entity_attribute(const Entity& entity, const char* name) {
  const auto attributes = nlohmann::json::parse(entity.attributes_json, nullptr, false);
  if (!attributes.is_object()) return std::nullopt;
  const auto it = attributes.find(name);
  if (it == attributes.end() || !(it->is_string() || it->is_number())) return std::nullopt;
  return *it;
}

}  // namespace vitals
