#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <mutex>

#include "core/clock.h"
#include "store/audience_store.h"
#include "store/entity_store.h"
#include "tenancy/tenant_directory.h"
#include "warehouse/connection_telemetry.h"

namespace vitals {

// vitals_entities, vitals_warehouse_connection_status, vitals_warehouse_dlq_depth and
// vitals_audience_size. They are
// derived at scrape time from the catalog and the deliveries, so a connection that stops
// delivering turns idle on /metrics with no new input. The result is reused for `max_age`, so
// several scrapers (an HA pair of Prometheus) do not each pay for it.
class CatalogCollector final : public prometheus::Collectable {
 public:
  CatalogCollector(const EntityStore& entities, const AudienceStore& audiences,
                   const WarehouseTelemetry& warehouse, const TenantDirectory& tenants,
                   const Clock& clock, TimeMs max_age = 5 * kMsPerSecond);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::vector<prometheus::MetricFamily> compute(TimeMs now) const;

  const EntityStore& entities_;
  const AudienceStore& audiences_;
  const WarehouseTelemetry& warehouse_;
  const TenantDirectory& tenants_;
  const Clock& clock_;
  TimeMs max_age_;
  mutable std::mutex mutex_;
  mutable TimeMs computed_at_ = kNoTimeYet;
  mutable std::vector<prometheus::MetricFamily> cached_;

  static constexpr TimeMs kNoTimeYet = INT64_MIN;
};

}  // namespace vitals
