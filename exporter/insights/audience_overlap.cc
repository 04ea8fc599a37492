#include "insights/audience_overlap.h"

#include "api/json_values.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

Json percent_of(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return nullptr;
  return round2(double(part) / double(whole) * 100.0);
}

}  // namespace

// Bitmaps are read one at a time and folded into the running intersection, so memory holds at
// most two compressed sets whatever the number of audiences.
std::variant<Json, UnknownAudience> audience_overlap(const InsightsSources& sources,
                                                     const std::string& tenant_id,
                                                     const std::vector<std::string>& audience_ids) {
  Json audiences = Json::array();
  std::vector<std::uint64_t> sizes;
  std::optional<Roaring> common;
  for (const auto& id : audience_ids) {
    auto audience = sources.entities.get(tenant_id, "audience", id);
    if (!audience) return UnknownAudience{id};
    Roaring members = sources.members.members(tenant_id, id).value_or(Roaring());
    sizes.push_back(members.cardinality());
    audiences.push_back({{"id", id}, {"name", audience->name}, {"size", sizes.back()}});
    if (!common) {
      common = std::move(members);
    } else {
      *common &= members;
    }
  }
  const std::uint64_t overlap = common ? common->cardinality() : 0;
  return Json{{"audiences", audiences},
              {"overlap",
               {{"size", overlap},
                {"percent_of_first", percent_of(overlap, sizes.size() > 0 ? sizes[0] : 0)},
                {"percent_of_second", percent_of(overlap, sizes.size() > 1 ? sizes[1] : 0)}}}};
}

}  // namespace vitals
