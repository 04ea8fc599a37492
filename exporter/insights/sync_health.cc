#include "insights/sync_health.h"

#include <cmath>

#include "api/json_values.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

double round4(double v) {
  return std::round(v * 10000.0) / 10000.0;
}

Json sync_row(const Entity& sync, const Aggregate& runs) {
  const auto status = last_run_status(runs);
  return {{"sync_id", sync.id},
          {"sync_name", sync.name},
          {"status", sync.status},
          {"last_run_status", status ? Json(*status) : Json(nullptr)},
          {"last_run_at", time_or_null(runs.last_time)},
          {"success_rate", runs.total() == 0
                               ? Json(nullptr)
                               : Json(round4(double(runs.successes()) / double(runs.total())))},
          {"total_runs", runs.total()},
          {"failed_runs", runs.failures()},
          {"avg_duration_seconds",
           runs.has_latency() ? Json(round2(runs.latency_avg() / 1000.0)) : Json(nullptr)},
          {"total_rows_synced", runs.item("rows")}};
}

}  // namespace

int failing_syncs(const InsightsSources& sources, const std::string& tenant_id, TimeMs from,
                  TimeMs to) {
  int failing = 0;
  for (const auto& sync : sources.entities.list(tenant_id, "sync")) {
    if (sync.status != "active") continue;
    const Aggregate runs = runs_of(sources.rollups, tenant_id, kSyncRunType, sync.id, from, to);
    if (last_run_status(runs) == "failed") ++failing;
  }
  return failing;
}

Json sync_health(const InsightsSources& sources, const std::string& tenant_id, int days,
                 TimeMs now) {
  const TimeMs from = now - days * kMsPerDay;
  int active = 0, paused = 0, failing = 0;
  Json rows = Json::array();
  const auto syncs = sources.entities.list(tenant_id, "sync");
  for (const auto& sync : syncs) {
    const Aggregate runs = runs_of(sources.rollups, tenant_id, kSyncRunType, sync.id, from, now);
    if (sync.status == "active") {
      ++active;
      if (last_run_status(runs) == "failed") ++failing;
    } else if (sync.status == "paused") {
      ++paused;
    }
    rows.push_back(sync_row(sync, runs));
  }
  return {
      {"total_syncs", syncs.size()}, {"active_syncs", active}, {"healthy_syncs", active - failing},
      {"failing_syncs", failing},    {"paused_syncs", paused}, {"syncs", rows}};
}

}  // namespace vitals
