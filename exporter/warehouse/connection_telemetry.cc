#include "warehouse/connection_telemetry.h"

namespace vitals {
namespace {

constexpr size_t kRecentErrors = 10;
constexpr TimeMs kWeek = 7 * kMsPerDay;

std::optional<std::int64_t> dlq_reading(const Event& e) {
  for (const auto& [kind, n] : e.counts) {
    if (kind == kDlqDepthItem) return n;
  }
  return std::nullopt;
}

ItemCounts delivered_items(const Aggregate& a) {
  ItemCounts out;
  for (const auto& item : a.items) {
    if (item.first != kDlqDepthItem) out.push_back(item);
  }
  return out;
}

}  // namespace

std::string_view state_name(ConnectionState state) {
  switch (state) {
    case ConnectionState::kActive:
      return "active";
    case ConnectionState::kDegraded:
      return "degraded";
    case ConnectionState::kError:
      return "error";
    case ConnectionState::kIdle:
      return "idle";
  }
  return "idle";
}

WarehouseTelemetry::WarehouseTelemetry(const RollupEngine& rollups, const EventStore& store,
                                       WarehouseThresholds thresholds, TimeMs retention)
    : rollups_(rollups), store_(store), thresholds_(thresholds), retention_(retention) {}

Aggregate WarehouseTelemetry::deliveries(const std::string& tenant_id,
                                         const std::string& connection_id, TimeMs from,
                                         TimeMs to) const {
  RollupFilter filter;
  filter.tenant_ids = {tenant_id};
  filter.type = std::string(kWarehouseDeliveryType);
  filter.key = connection_id;
  return rollups_.total(filter, from, to);
}

bool WarehouseTelemetry::last_deliveries_all_failed(const std::string& tenant_id,
                                                    const std::string& id, TimeMs now) const {
  int seen = 0;
  bool all_failed = true;
  store_.latest_deliveries(tenant_id, id, now - retention_, now, false, [&](const Event& e) {
    all_failed = all_failed && is_failure(e.status);
    return ++seen < thresholds_.failures_in_a_row && all_failed;
  });
  return all_failed && seen >= thresholds_.failures_in_a_row;
}

// True when the depth rose at every step across the latest reports within the window.
bool WarehouseTelemetry::dlq_growing(const std::string& tenant_id, const std::string& id,
                                     TimeMs now, std::optional<std::int64_t>& latest) const {
  std::vector<std::int64_t> newest_first;
  store_.latest_deliveries(tenant_id, id, now - kWeek, now, false, [&](const Event& e) {
    auto depth = dlq_reading(e);
    if (!depth) return true;
    if (!latest) latest = depth;
    if (e.time < now - thresholds_.dlq_window) return false;
    newest_first.push_back(*depth);
    return static_cast<int>(newest_first.size()) < thresholds_.dlq_growth_reports;
  });
  if (static_cast<int>(newest_first.size()) < thresholds_.dlq_growth_reports) return false;
  for (size_t i = 1; i < newest_first.size(); ++i) {
    if (newest_first[i - 1] <= newest_first[i]) return false;
  }
  return true;
}

ConnectionState WarehouseTelemetry::derive_state(const std::string& tenant_id,
                                                 const std::string& id, TimeMs now,
                                                 ConnectionTelemetry& t) const {
  const bool dlq_grew = dlq_growing(tenant_id, id, now, t.dlq_depth);
  if (deliveries(tenant_id, id, now - thresholds_.idle_after, now).total() == 0) {
    return ConnectionState::kIdle;
  }
  if (dlq_grew || last_deliveries_all_failed(tenant_id, id, now)) return ConnectionState::kError;
  if (deliveries(tenant_id, id, now - thresholds_.degraded_window, now).failures() > 0) {
    return ConnectionState::kDegraded;
  }
  return ConnectionState::kActive;
}

ConnectionTelemetry WarehouseTelemetry::compute(const std::string& tenant_id, const std::string& id,
                                                TimeMs now) const {
  ConnectionTelemetry t;
  const Aggregate day = deliveries(tenant_id, id, now - kMsPerDay, now);
  t.delivered_24h = delivered_items(day);
  t.failed_24h = day.failures();
  t.delivered_7d = delivered_items(deliveries(tenant_id, id, now - kWeek, now));
  // Newest first through the delivery index, stopping at the first success: cheaper than
  // merging a whole retention of hour buckets. Deliveries may be stamped up to 5 minutes ahead;
  // the latest success counts all the same.
  store_.latest_deliveries(tenant_id, id, now - retention_, now + 10 * kMsPerMinute, false,
                           [&](const Event& e) {
                             if (is_failure(e.status)) return true;
                             t.last_delivery = e.time;
                             return false;
                           });
  store_.latest_deliveries(tenant_id, id, now - kWeek, now, true, [&](const Event& e) {
    t.recent_errors.push_back(
        {e.time, e.error_message.empty() ? e.error_category : e.error_message});
    return t.recent_errors.size() < kRecentErrors;
  });
  t.status = derive_state(tenant_id, id, now, t);
  return t;
}

}  // namespace vitals
