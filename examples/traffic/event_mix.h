#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "random.h"

namespace vitals::traffic {

using TimeMs = std::int64_t;  // milliseconds since the Unix epoch

inline constexpr TimeMs kMsPerHour = 3'600'000;
inline constexpr TimeMs kForever = std::numeric_limits<TimeMs>::max();

// RFC 3339 in UTC with milliseconds: "2026-02-17T10:00:00.123Z".
std::string format_time(TimeMs time);

enum class IntegrationKind { kGeneric, kWarehouseDelivery, kSyncRun, kLoaderRun };

// How a warehouse connection's deliveries go. Each tenant has one connection of each kind, so
// that every status of SPEC 6.2 can be seen side by side.
enum class WarehouseHealth {
  kHealthy,  // never fails: active
  kFlaky,    // one failure every ~20 deliveries, never two in a row: degraded
  kBroken,   // every delivery since its outage began fails and grows the queue: error
  kRetired,  // delivered until a day ago, then nothing: idle
  kSilent,   // declared but has never delivered: idle with no data at all
};

struct WarehouseConnectionSpec {
  const char* suffix;     // the id is "wh-<tenant>-<suffix>"
  const char* name;       // for the entity catalog
  const char* warehouse;  // the product, also what error messages blame
  WarehouseHealth health;
  double weight;  // share of the tenant's traffic, as for Integration::weight
  const char* mode;
};

const std::vector<WarehouseConnectionSpec>& warehouse_connection_specs();
std::string warehouse_connection_id(std::string_view tenant, std::string_view suffix);

// What a warehouse connection remembers between deliveries.
struct DeliveryState {
  std::int64_t dlq_depth = 0;          // the dead-letter queue as of now
  bool report_dlq = false;             // the next delivery reports the queue depth
  std::int64_t since_failure = 0;      // kFlaky: deliveries since the last failure
  std::int64_t failure_gap = 0;        // kFlaky: deliveries before the next failure; 0 = not drawn
  std::optional<TimeMs> last_failure;  // kFlaky: or, before any, the first delivery
};

struct Integration {
  IntegrationKind kind = IntegrationKind::kGeneric;
  std::string type;
  std::string key;
  std::string subject;  // what an error message blames: the vendor, warehouse or destination
  std::vector<std::string> modes;  // picked uniformly, so repeating a mode makes it more common
  double weight = 1;               // how often it fires relative to the tenant's other integrations
  double failure_rate = 0.05;
  double median_latency_ms = 200;
  std::string incident_category;   // set on the unhealthy one: most of its failures share a cause
  TimeMs active_until = kForever;  // sends nothing at or after this time (retired, paused)
  WarehouseHealth health = WarehouseHealth::kHealthy;  // warehouse deliveries only
  TimeMs outage_since = kForever;                      // kBroken: every delivery from then fails
  DeliveryState delivery;                              // warehouse deliveries only
};

// One tenant's integrations and the events they produce. Stateful: a warehouse connection's
// dead-letter queue grows with failed deliveries and drains with good ones, so events must be
// requested in time order for the dlq_depth readings to tell a coherent story.
class TenantTraffic {
 public:
  // tenant_index picks which integration is the tenant's unhealthy one, so that two tenants
  // have different problems. Retirements and outages are placed relative to now, the start of
  // the run, so that the statuses they produce hold when the run is looked at.
  TenantTraffic(std::string tenant, std::size_t tenant_index, TimeMs now);

  nlohmann::ordered_json next_event(Rng& rng, TimeMs time, const std::string& id);

  const std::string& tenant() const { return tenant_; }
  const std::vector<Integration>& integrations() const { return integrations_; }

 private:
  Integration& choose(Rng& rng, TimeMs time);

  std::string tenant_;
  std::vector<Integration> integrations_;
};

}  // namespace vitals::traffic
