#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "evaluator/signal_source.h"
#include "rollup/rollup_engine.h"
#include "store/audience_store.h"
#include "store/entity_store.h"
#include "tenancy/tenant_directory.h"
#include "warehouse/connection_telemetry.h"

namespace vitals {

// The rule evaluator's view of vitals' data: event signals from the rollups (exact for any
// window), warehouse states and dead-letter depths from the connection telemetry, failing syncs
// from the catalog and the run events, audience sizes from their observations.
class ExporterSignalSource : public evaluator::SignalSource {
 public:
  ExporterSignalSource(const TenantDirectory& tenants, const RollupEngine& rollups,
                       const EntityStore& entities, const AudienceStore& audiences,
                       const WarehouseTelemetry& warehouse);

  std::vector<evaluator::TenantRef> tenants() const override;
  std::vector<evaluator::SignalSample> sample(
      const evaluator::SignalRequest& request) const override;
  void begin_cycle() const override;
  void end_cycle() const override;

 private:
  // One tenant's events in [from, to) grouped by some dimensions, indexed by the values of the
  // leading `filtered` ones: what every rule with the same filter keys and grouping reads.
  struct Grouped {
    size_t filtered = 0;
    std::map<std::vector<std::string>, std::vector<std::pair<std::vector<std::string>, Aggregate>>>
        by_filter;
  };
  std::shared_ptr<const Grouped> grouped(const std::string& tenant_id,
                                         const std::vector<std::string>& dimensions,
                                         size_t filtered, TimeMs from, TimeMs to) const;
  // A connection's telemetry at `at`; every rule about connections reads it once per cycle.
  ConnectionTelemetry telemetry(const std::string& tenant_id, const std::string& connection_id,
                                TimeMs at) const;
  std::vector<evaluator::SignalSample> event_signal(const evaluator::SignalRequest& r) const;
  std::vector<evaluator::SignalSample> connection_signal(const evaluator::SignalRequest& r) const;
  std::vector<evaluator::SignalSample> failing_syncs(const evaluator::SignalRequest& r) const;
  std::vector<evaluator::SignalSample> audience_size_change(
      const evaluator::SignalRequest& r) const;

  const TenantDirectory& tenants_;
  const RollupEngine& rollups_;
  const EntityStore& entities_;
  const AudienceStore& audiences_;
  const WarehouseTelemetry& warehouse_;

  // Within a cycle the data is read once per distinct (tenant, dimensions, window), and each
  // connection's telemetry once per instant.
  mutable std::mutex cache_mutex_;
  mutable bool caching_ = false;
  mutable std::map<std::string, std::shared_ptr<const Grouped>> cache_;
  mutable std::map<std::string, ConnectionTelemetry> telemetry_cache_;
};

}  // namespace vitals
