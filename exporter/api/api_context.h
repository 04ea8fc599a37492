#pragma once

#include <prometheus/registry.h>

#include <atomic>

#include "auth/authenticator.h"
#include "config/config.h"
#include "core/clock.h"
#include "metrics/exporter_metrics.h"
#include "rollup/rollup_engine.h"
#include "store/audience_store.h"
#include "store/entity_store.h"
#include "store/event_store.h"
#include "store/member_store.h"
#include "tenancy/tenant_directory.h"
#include "warehouse/connection_telemetry.h"

namespace vitals {

class IngestPipeline;

// What request handlers may use. Handlers are thin views: they check access, parse parameters,
// ask the rollups or the store, and shape the documented answer.
struct ApiContext {
  const Config& config;
  const TenantDirectory& tenants;
  const Authenticator& authenticator;
  const Clock& clock;
  EventStore& store;
  EntityStore& entities;
  AudienceStore& audiences;
  MemberStore& members;
  RollupEngine& rollups;
  const WarehouseTelemetry& warehouse;
  IngestPipeline& ingest;
  ExporterMetrics& exporter_metrics;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables;
  std::atomic<bool>& ready;
  std::atomic<bool>& shutting_down;
};

}  // namespace vitals
