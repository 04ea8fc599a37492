#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "rollup/rollup_engine.h"
#include "store/audience_store.h"
#include "store/entity_store.h"
#include "store/member_store.h"

namespace vitals {

// What the Insights views read: the catalog, the rollups of run events, and audience sizes.
struct InsightsSources {
  const EntityStore& entities;
  const RollupEngine& rollups;
  const AudienceStore& audiences;
  const MemberStore& members;
  TimeMs retention = 35 * kMsPerDay;
};

// An audience id that the catalog does not know.
struct UnknownAudience {
  std::string id;
};

// Every `type` event of one integration key (a sync or loader id) in [from, to).
Aggregate runs_of(const RollupEngine& rollups, const std::string& tenant_id,
                  const std::string& type, const std::string& key, TimeMs from, TimeMs to);

// Every `type` event of the tenant in [from, to).
Aggregate runs_of_type(const RollupEngine& rollups, const std::string& tenant_id,
                       const std::string& type, TimeMs from, TimeMs to);

// "completed" / "failed" for the latest run, or nullopt without runs.
std::optional<std::string> last_run_status(const Aggregate& runs);

// A string or number attribute of an entity, or nullopt.
std::optional<nlohmann::json> entity_attribute(const Entity& entity, const char* name);

inline constexpr const char* kSyncRunType = "sync_run";
inline constexpr const char* kLoaderRunType = "loader_run";

}  // namespace vitals
