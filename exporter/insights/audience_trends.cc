#include "insights/audience_trends.h"

#include <map>

#include "api/json_values.h"
#include "core/time_format.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

// One point per UTC day that has an observation: the day's last one.
std::map<TimeMs, std::int64_t> daily_sizes(const std::vector<SizeObservation>& observations) {
  std::map<TimeMs, std::int64_t> days;
  for (const auto& o : observations) days[floor_to(o.time, kMsPerDay)] = o.size;
  return days;
}

Json audience_row(const Entity& audience, const std::map<TimeMs, std::int64_t>& days,
                  const std::optional<SizeObservation>& latest) {
  Json points = Json::array();
  for (const auto& [day, size] : days) {
    points.push_back({{"date", format_rfc3339(day).substr(0, 10)}, {"size", size}});
  }
  Json change_absolute = nullptr, change_percent = nullptr;
  if (latest && !days.empty()) {
    const std::int64_t first = days.begin()->second;
    change_absolute = latest->size - first;
    if (first != 0) change_percent = round2(double(latest->size - first) / double(first) * 100.0);
  }
  return {{"audience_id", audience.id},
          {"audience_name", audience.name},
          {"data_points", points},
          {"current_size", latest ? Json(latest->size) : Json(nullptr)},
          {"change_absolute", change_absolute},
          {"change_percent", change_percent}};
}

}  // namespace

std::variant<Json, UnknownAudience> audience_trends(const InsightsSources& sources,
                                                    const std::string& tenant_id,
                                                    const std::vector<std::string>& audience_ids,
                                                    int days, TimeMs now) {
  std::vector<Entity> audiences;
  if (audience_ids.empty()) {
    audiences = sources.entities.list(tenant_id, "audience");
  } else {
    for (const auto& id : audience_ids) {
      auto audience = sources.entities.get(tenant_id, "audience", id);
      if (!audience) return UnknownAudience{id};
      audiences.push_back(std::move(*audience));
    }
  }
  const auto latest = sources.audiences.latest_sizes(tenant_id);
  Json rows = Json::array();
  for (const auto& audience : audiences) {
    const auto it = latest.find(audience.id);
    rows.push_back(audience_row(
        audience,
        daily_sizes(sources.audiences.sizes(tenant_id, audience.id, now - days * kMsPerDay, now)),
        it == latest.end() ? std::nullopt : std::optional(it->second)));
  }
  return Json{{"audiences", rows}};
}

}  // namespace vitals
