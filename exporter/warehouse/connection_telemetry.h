#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/event.h"
#include "rollup/rollup_engine.h"
#include "store/event_store.h"
#include "warehouse/thresholds.h"

namespace vitals {

enum class ConnectionState { kActive, kDegraded, kError, kIdle };
inline constexpr ConnectionState kConnectionStates[] = {
    ConnectionState::kActive, ConnectionState::kDegraded, ConnectionState::kError,
    ConnectionState::kIdle};
std::string_view state_name(ConnectionState state);

struct DeliveryError {
  TimeMs at = 0;
  std::string message;
};

struct ConnectionTelemetry {
  ConnectionState status = ConnectionState::kIdle;
  TimeMs last_delivery = kNoTime;  // latest successful delivery
  ItemCounts delivered_24h;        // item sums of successful deliveries, dlq_depth excluded
  ItemCounts delivered_7d;
  std::uint64_t failed_24h = 0;
  std::vector<DeliveryError> recent_errors;  // newest first, at most 10, last 7 days
  std::optional<std::int64_t> dlq_depth;     // the latest report, if any
};

// Derives a warehouse connection's telemetry from its warehouse_delivery events: sums from the
// rollups, the latest deliveries (for the error rules and recent errors) from the store.
class WarehouseTelemetry {
 public:
  WarehouseTelemetry(const RollupEngine& rollups, const EventStore& store,
                     WarehouseThresholds thresholds, TimeMs retention);

  ConnectionTelemetry compute(const std::string& tenant_id, const std::string& connection_id,
                              TimeMs now) const;

 private:
  Aggregate deliveries(const std::string& tenant_id, const std::string& connection_id, TimeMs from,
                       TimeMs to) const;
  bool last_deliveries_all_failed(const std::string& tenant_id, const std::string& id,
                                  TimeMs now) const;
  bool dlq_growing(const std::string& tenant_id, const std::string& id, TimeMs now,
                   std::optional<std::int64_t>& latest) const;
  ConnectionState derive_state(const std::string& tenant_id, const std::string& id, TimeMs now,
                               ConnectionTelemetry& t) const;

  const RollupEngine& rollups_;
  const EventStore& store_;
  WarehouseThresholds thresholds_;
  TimeMs retention_;
};

inline constexpr std::string_view kWarehouseDeliveryType = "warehouse_delivery";
inline constexpr std::string_view kDlqDepthItem = "dlq_depth";

}  // namespace vitals
