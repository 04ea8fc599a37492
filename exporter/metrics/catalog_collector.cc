#include "metrics/catalog_collector.h"

namespace vitals {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

ClientMetric gauge(std::vector<ClientMetric::Label> labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  return m;
}

}  // namespace

CatalogCollector::CatalogCollector(const EntityStore& entities, const AudienceStore& audiences,
                                   const WarehouseTelemetry& warehouse,
                                   const TenantDirectory& tenants, const Clock& clock,
                                   TimeMs max_age)
    : entities_(entities),
      audiences_(audiences),
      warehouse_(warehouse),
      tenants_(tenants),
      clock_(clock),
      max_age_(max_age) {}

std::vector<MetricFamily> CatalogCollector::Collect() const {
  const TimeMs now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  if (computed_at_ == kNoTimeYet || now - computed_at_ >= max_age_ || now < computed_at_) {
    cached_ = compute(now);
    computed_at_ = now;
  }
  return cached_;
}

std::vector<MetricFamily> CatalogCollector::compute(TimeMs now) const {
  MetricFamily entities{
      "vitals_entities", "Entities in the catalog, by kind and status.", MetricType::Gauge, {}};
  for (const auto& c : entities_.counts()) {
    const Tenant* tenant = tenants_.find_by_id(c.tenant_id);
    if (!tenant) continue;  // a tenant removed from the configuration
    entities.metric.push_back(
        gauge({{"kind", c.kind}, {"status", c.status}, {"tenant", tenant->slug}}, double(c.count)));
  }
  MetricFamily status{"vitals_warehouse_connection_status",
                      "Current state of a warehouse connection: 1 for the state it is in, 0 for "
                      "the others.",
                      MetricType::Gauge,
                      {}};
  MetricFamily dlq{"vitals_warehouse_dlq_depth",
                   "Latest reported dead-letter queue depth of a warehouse connection.",
                   MetricType::Gauge,
                   {}};
  for (const auto& connection : entities_.list_kind("warehouse_connection")) {
    const Tenant* tenant = tenants_.find_by_id(connection.tenant_id);
    if (!tenant) continue;
    const auto t = warehouse_.compute(connection.tenant_id, connection.id, now);
    for (ConnectionState s : kConnectionStates) {
      status.metric.push_back(gauge({{"connection", connection.id},
                                     {"state", std::string(state_name(s))},
                                     {"tenant", tenant->slug}},
                                    t.status == s ? 1 : 0));
    }
    if (t.dlq_depth) {
      dlq.metric.push_back(
          gauge({{"connection", connection.id}, {"tenant", tenant->slug}}, double(*t.dlq_depth)));
    }
  }
  MetricFamily sizes{
      "vitals_audience_size", "Latest observed size of an audience.", MetricType::Gauge, {}};
  for (const auto& [tenant_id, audiences] : audiences_.all_latest_sizes()) {
    const Tenant* tenant = tenants_.find_by_id(tenant_id);
    if (!tenant) continue;
    for (const auto& [audience, observation] : audiences) {
      sizes.metric.push_back(
          gauge({{"audience", audience}, {"tenant", tenant->slug}}, double(observation.size)));
    }
  }
  return {entities, status, dlq, sizes};
}

}  // namespace vitals
