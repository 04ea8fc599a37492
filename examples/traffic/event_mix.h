#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "random.h"

namespace vitals::traffic {

using TimeMs = std::int64_t;  // milliseconds since the Unix epoch

// RFC 3339 in UTC with milliseconds: "2026-02-17T10:00:00.123Z".
std::string format_time(TimeMs time);

enum class IntegrationKind { kGeneric, kWarehouseDelivery, kSyncRun, kLoaderRun };

struct Integration {
  IntegrationKind kind = IntegrationKind::kGeneric;
  std::string type;
  std::string key;
  std::string subject;  // what an error message blames: the vendor, warehouse or destination
  std::vector<std::string> modes;  // picked uniformly, so repeating a mode makes it more common
  double weight = 1;               // how often it fires relative to the tenant's other integrations
  double failure_rate = 0.05;
  double median_latency_ms = 200;
  std::string incident_category;  // set on the unhealthy one: most of its failures share a cause
  std::int64_t dlq_depth = 0;     // warehouse deliveries: the dead-letter queue as of now
};

// One tenant's integrations and the events they produce. Stateful: a warehouse connection's
// dead-letter queue grows with failed deliveries and drains with good ones, so events must be
// requested in time order for the dlq_depth readings to tell a coherent story.
class TenantTraffic {
 public:
  // tenant_index picks which integration is the tenant's unhealthy one, so that two tenants
  // have different problems.
  TenantTraffic(std::string tenant, std::size_t tenant_index);

  nlohmann::ordered_json next_event(Rng& rng, TimeMs time, const std::string& id);

  const std::vector<Integration>& integrations() const { return integrations_; }

 private:
  Integration& choose(Rng& rng);

  std::string tenant_;
  std::vector<Integration> integrations_;
  double total_weight_ = 0;
};

}  // namespace vitals::traffic
