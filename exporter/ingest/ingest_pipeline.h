#pragma once

#include <vector>

#include "ingest/event.h"
#include "metrics/exporter_metrics.h"
#include "metrics/integration_metrics.h"
#include "rollup/rollup_engine.h"
#include "store/event_store.h"
#include "tenancy/tenant_directory.h"

namespace vitals {

// The one path by which validated events enter vitals, whoever sent them: commit to the store,
// then (still in commit order) update the rollups and the metrics.
class IngestPipeline {
 public:
  IngestPipeline(EventStore& store, RollupEngine& rollups, IntegrationMetrics& metrics,
                 ExporterMetrics& exporter_metrics);

  // Durable when it returns; throws sqlite::Error when the store cannot take the batch. `also`
  // commits (or not) with the batch.
  AppendOutcome submit(const std::vector<Event>& events, const EventStore::AlsoWrite& also = {});

  // Rebuilds the rollups and the last-seen gauges from everything the store holds.
  // Called after every committed batch (the rule evaluator is nudged to look soon).
  void on_commit(std::function<void()> listener) { listener_ = std::move(listener); }

  void rebuild_from_store(const TenantDirectory& tenants, TimeMs now);

 private:
  EventStore& store_;
  RollupEngine& rollups_;
  IntegrationMetrics& metrics_;
  ExporterMetrics& exporter_metrics_;
  std::function<void()> listener_;
};

}  // namespace vitals
