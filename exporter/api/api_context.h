#pragma once

#include <prometheus/registry.h>

#include <atomic>
#include <functional>

#include "auth/authenticator.h"
#include "config/config.h"
#include "core/clock.h"
#include "feed/alert_feed.h"
#include "metrics/exporter_metrics.h"
#include "metrics/exposition.h"
#include "rollup/rollup_engine.h"
#include "store/audience_store.h"
#include "store/entity_store.h"
#include "store/event_store.h"
#include "store/feed_store.h"
#include "store/member_store.h"
#include "tenancy/tenant_directory.h"
#include "warehouse/connection_telemetry.h"

namespace vitals {

class IngestPipeline;

struct ReloadResult {
  bool ok = false;
  std::string message;
};

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
  FeedStore& feed_store;
  AlertFeed& feed;
  RollupEngine& rollups;
  const WarehouseTelemetry& warehouse;
  IngestPipeline& ingest;
  ExporterMetrics& exporter_metrics;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables;
  std::vector<const DirectExposition*> direct_metrics;  // written after the collectables
  std::atomic<bool>& ready;
  std::atomic<bool>& shutting_down;
  std::function<ReloadResult()> reload;  // set by the application
};

}  // namespace vitals
