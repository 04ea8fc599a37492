#include "insights/workspace_summary.h"

#include <map>

#include "insights/activation_coverage.h"
#include "insights/sync_health.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

// total, then the count of each named status (0 when none has it).
Json by_status(const std::vector<Entity>& entities, std::initializer_list<const char*> statuses) {
  Json out = {{"total", entities.size()}};
  for (const char* status : statuses) {
    size_t n = 0;
    for (const auto& e : entities) n += e.status == status;
    out[status] = n;
  }
  return out;
}

}  // namespace

Json workspace_summary(const InsightsSources& sources, const std::string& tenant_id, TimeMs now) {
  const auto& catalog = sources.entities;
  const TimeMs midnight = floor_to(now, kMsPerDay);
  Json syncs = by_status(catalog.list(tenant_id, "sync"), {"active", "paused"});
  // A sync entity is active or paused; "error" counts the active ones whose latest run in the
  // last 7 days failed, as sync-health's failing_syncs does by default.
  syncs["error"] = failing_syncs(sources, tenant_id, now - 7 * kMsPerDay, now);
  syncs["rows_synced_today"] =
      runs_of_type(sources.rollups, tenant_id, kSyncRunType, midnight, now).item("rows");
  const auto audience_entities = catalog.list(tenant_id, "audience");
  Json audiences = by_status(audience_entities, {"active"});
  const auto latest = sources.audiences.latest_sizes(tenant_id);
  std::int64_t members = 0;
  for (const auto& a : audience_entities) {
    const Json size = audience_size(a, latest);
    if (size.is_number_integer()) members = saturating_add(members, size.get<std::int64_t>());
  }
  audiences["total_members"] = members;
  Json loaders = by_status(catalog.list(tenant_id, "loader"), {"active"});
  loaders["rows_loaded_today"] =
      runs_of_type(sources.rollups, tenant_id, kLoaderRunType, midnight, now).item("rows");
  return {
      {"sources", by_status(catalog.list(tenant_id, "source"), {"connected", "error"})},
      {"models", by_status(catalog.list(tenant_id, "model"), {"active"})},
      {"destinations", by_status(catalog.list(tenant_id, "destination"), {"connected", "error"})},
      {"syncs", syncs},
      {"audiences", audiences},
      {"loaders", loaders}};
}

}  // namespace vitals
