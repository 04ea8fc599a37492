#include "event_mix.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <map>
#include <optional>
#include <utility>

namespace vitals::traffic {
namespace {

using nlohmann::ordered_json;

// A day and a minute: deliveries this old are outside the 24 h window of SPEC 6.2 from the first
// moment of the run, however long it lasts.
constexpr TimeMs kRetiredAgo = 24 * kMsPerHour + 60'000;
// Long enough for the backfill at its default rate to hold a long run of failed deliveries.
constexpr TimeMs kOutageAgo = 12 * kMsPerHour;
// A flaky connection fails at least this often, so every 24 h window holds a failure even when
// it delivers rarely.
constexpr TimeMs kFlakyQuietMax = 8 * kMsPerHour;
constexpr std::int64_t kMaxDlqDepth = 1'000'000;

struct GenericSpec {
  const char* type;
  std::vector<std::string> keys;
  std::vector<std::string> modes;
  double weight;
  double failure_rate;
  double median_latency_ms;
};

// Webhooks and alerts fire on every upstream change, so they dominate the volume; profiling is
// heavy and rare.
const std::vector<GenericSpec>& generic_catalog() {
  static const std::vector<GenericSpec> catalog = {
      {"metadata_sync",
       {"salesforce", "hubspot", "snowflake", "bigquery"},
       {"scheduled", "scheduled", "batch", "manual"},
       1.0,
       0.06,
       1500},
      {"quality_check",
       {"snowflake", "bigquery", "salesforce"},
       {"scheduled", "manual"},
       0.8,
       0.05,
       900},
      {"profiling", {"snowflake", "bigquery"}, {"batch", "scheduled"}, 0.4, 0.08, 6000},
      {"webhook", {"salesforce", "hubspot", "slack", "zendesk"}, {"realtime"}, 3.0, 0.05, 180},
      {"alert",
       {"slack", "pagerduty", "zendesk"},
       {"realtime", "realtime", "manual"},
       1.5,
       0.04,
       250},
  };
  return catalog;
}

struct Incident {
  const char* type;
  const char* key;
  const char* category;
};

// Each tenant gets a different broken integration with a single dominant cause, the way real
// incidents look on an error panel.
const Incident& incident_for(std::size_t tenant_index) {
  static const std::vector<Incident> incidents = {
      {"webhook", "zendesk", "rate_limited"},
      {"alert", "pagerduty", "timeout"},
      {"metadata_sync", "hubspot", "auth"},
      {"quality_check", "bigquery", "schema_mismatch"},
  };
  return incidents[tenant_index % incidents.size()];
}

const std::map<std::string, std::vector<std::string>>& message_templates() {
  static const std::map<std::string, std::vector<std::string>> templates = {
      {"timeout",
       {"request to {} timed out after 30s", "{} did not answer within the 30s deadline"}},
      {"rate_limited",
       {"429 Too Many Requests from {}: retry after 30s", "{} API quota exhausted for this hour"}},
      {"auth",
       {"401 Unauthorized from {}: OAuth token expired",
        "403 Forbidden: the {} service user lacks the required scope"}},
      {"schema_mismatch",
       {"{} rejected record: field 'amount' expected NUMBER, got STRING",
        "unknown column 'customer_tier' in {} payload"}},
      {"network",
       {"connection reset by peer while talking to {}", "could not resolve the {} endpoint"}},
      {"internal",
       {"unexpected null in the {} response mapper",
        "worker crashed while processing a {} payload: std::out_of_range"}},
  };
  return templates;
}

std::string error_message(Rng& rng, const std::string& category, const std::string& subject) {
  std::string text = rng.pick(message_templates().at(category));
  text.replace(text.find("{}"), 2, subject);
  return text;
}

struct Failure {
  std::string status;
  std::string category;
  std::string message;
};

Failure describe_failure(Rng& rng, const Integration& integration) {
  static const std::vector<std::string> vendor_causes = {"timeout", "rate_limited", "auth",
                                                         "schema_mismatch", "network"};
  static const std::vector<std::string> exception_causes = {"internal", "network", "timeout"};
  Failure failure;
  if (!integration.incident_category.empty() && rng.chance(0.75)) {
    failure = {"vendor_error", integration.incident_category, ""};
  } else if (rng.chance(0.7)) {
    failure = {"vendor_error", rng.pick(vendor_causes), ""};
  } else {
    failure = {"exception", rng.pick(exception_causes), ""};
  }
  failure.message = error_message(rng, failure.category, integration.subject);
  return failure;
}

std::optional<Failure> maybe_fail(Rng& rng, const Integration& integration) {
  if (!rng.chance(integration.failure_rate)) return std::nullopt;
  return describe_failure(rng, integration);
}

// Fails after a random run of good deliveries, or once the connection has gone too long without
// a failure; never twice in a row, so the "last three failed" rule cannot turn it into an error.
bool flaky_delivery_fails(Rng& rng, DeliveryState& state, TimeMs time) {
  if (state.failure_gap == 0) state.failure_gap = 1 + static_cast<std::int64_t>(rng.below(20));
  if (!state.last_failure) state.last_failure = time;
  const bool overdue = state.since_failure > 0 && time - *state.last_failure >= kFlakyQuietMax;
  if (state.since_failure < state.failure_gap && !overdue) {
    ++state.since_failure;
    return false;
  }
  state.since_failure = 0;
  state.failure_gap = 15 + static_cast<std::int64_t>(rng.below(11));
  state.last_failure = time;
  return true;
}

std::optional<Failure> warehouse_failure(Rng& rng, Integration& connection, TimeMs time) {
  if (connection.health == WarehouseHealth::kFlaky) {
    if (!flaky_delivery_fails(rng, connection.delivery, time)) return std::nullopt;
    return describe_failure(rng, connection);
  }
  if (time >= connection.outage_since) {
    const std::string& category = connection.incident_category;
    return Failure{"vendor_error", category, error_message(rng, category, connection.subject)};
  }
  return maybe_fail(rng, connection);
}

double round_tenth(double value) {
  return std::round(value * 10) / 10;
}

std::int64_t round_count(double value) {
  return std::max<std::int64_t>(0, std::llround(value));
}

// A timed-out call lasts as long as the timeout and a throttled one is refused at once, so the
// latency depends on how the call ended, not only on the integration.
double call_latency_ms(Rng& rng, const Integration& integration,
                       const std::optional<Failure>& failure) {
  if (failure && failure->category == "timeout") return 30000 + rng.log_normal(40, 0.5);
  if (failure && failure->category == "rate_limited") return rng.log_normal(90, 0.5);
  return std::max(1.0, rng.log_normal(integration.median_latency_ms, 0.9));
}

void add_generic_counts(Rng& rng, const Integration& integration, ordered_json& event) {
  static const std::map<std::string, std::pair<const char*, double>> carried = {
      {"metadata_sync", {"objects", 400}},
      {"quality_check", {"checks", 25}},
      {"profiling", {"columns", 120}},
  };
  const auto kind = carried.find(integration.type);
  if (kind == carried.end()) return;
  event["counts"] = {{kind->second.first, round_count(rng.log_normal(kind->second.second, 0.7))}};
}

// A failed delivery lands in the dead-letter queue and reports its depth; good ones drain it, as a
// retry worker would, and the first good one after a failure always reports the drained depth.
// So three readings in a row can only rise when deliveries fail back to back, which is what
// SPEC 6.2 counts as an error, and an occasional failure never looks like one.
void add_warehouse_counts(Rng& rng, Integration& connection, bool failed, ordered_json& event) {
  DeliveryState& state = connection.delivery;
  // Batch loads carry mostly evaluations; the streaming connection mostly custom events.
  const bool batch = connection.modes.front() == "batch";
  const std::int64_t evaluations = round_count(rng.log_normal(batch ? 1500 : 100, 0.8));
  const std::int64_t custom_events = round_count(rng.log_normal(batch ? 40 : 300, 0.8));
  ordered_json counts = ordered_json::object();
  if (failed) {
    // At least one item, so that consecutive failures always read as a growing queue.
    const std::int64_t items = std::max<std::int64_t>(1, evaluations + custom_events);
    state.dlq_depth = std::min(state.dlq_depth + items, kMaxDlqDepth);
  } else {
    counts["evaluations"] = evaluations;
    counts["custom_events"] = custom_events;
    state.dlq_depth = state.dlq_depth * 7 / 10;
  }
  if (failed || state.report_dlq || rng.chance(0.3)) counts["dlq_depth"] = state.dlq_depth;
  state.report_dlq = failed;
  if (!counts.empty()) event["counts"] = std::move(counts);
}

void add_error(const std::optional<Failure>& failure, ordered_json& event) {
  if (failure) event["error"] = {{"category", failure->category}, {"message", failure->message}};
}

// Runs report their duration even when they fail, and a failed run may have moved some rows
// before it stopped.
void add_run_fields(Rng& rng, const Integration& run, const std::optional<Failure>& failure,
                    ordered_json& event) {
  const bool sync = run.kind == IntegrationKind::kSyncRun;
  const double duration = std::clamp(rng.log_normal(run.median_latency_ms, 0.8),
                                     sync ? 2000.0 : 10000.0, sync ? 1'800'000.0 : 3'600'000.0);
  double rows = rng.log_normal(sync ? 5000 : 60000, 1.1);
  if (failure) rows *= rng.uniform() * 0.5;
  event["latency_ms"] = round_tenth(duration);
  add_error(failure, event);
  event["counts"] = {{"rows", round_count(rows)}};
}

void add_call_fields(Rng& rng, Integration& integration, const std::optional<Failure>& failure,
                     ordered_json& event) {
  // Some senders do not measure latency; the exporter must cope with its absence.
  if (rng.chance(0.97)) {
    event["latency_ms"] = round_tenth(call_latency_ms(rng, integration, failure));
  }
  add_error(failure, event);
  if (integration.kind == IntegrationKind::kWarehouseDelivery) {
    add_warehouse_counts(rng, integration, failure.has_value(), event);
  } else if (!failure) {
    add_generic_counts(rng, integration, event);
  }
}

// The fields that every integration sets; the rest keep their defaults. (Brace initialisation
// would have to list every member to keep -Wextra quiet.)
Integration make_integration(IntegrationKind kind, std::string type, std::string key,
                             std::string subject, std::vector<std::string> modes, double weight,
                             double failure_rate, double median_latency_ms) {
  Integration integration;
  integration.kind = kind;
  integration.type = std::move(type);
  integration.key = std::move(key);
  integration.subject = std::move(subject);
  integration.modes = std::move(modes);
  integration.weight = weight;
  integration.failure_rate = failure_rate;
  integration.median_latency_ms = median_latency_ms;
  return integration;
}

std::vector<Integration> generic_integrations() {
  std::vector<Integration> result;
  for (const GenericSpec& spec : generic_catalog()) {
    for (const std::string& key : spec.keys) {
      result.push_back(make_integration(IntegrationKind::kGeneric, spec.type, key, key, spec.modes,
                                        spec.weight, spec.failure_rate, spec.median_latency_ms));
    }
  }
  return result;
}

// Places each connection's story relative to now, the start of the run: the outage is still on
// and the retirement far enough back for the status to hold while the run is watched.
Integration warehouse_connection(const std::string& tenant, const WarehouseConnectionSpec& spec,
                                 TimeMs now) {
  Integration connection =
      make_integration(IntegrationKind::kWarehouseDelivery, "warehouse_delivery",
                       warehouse_connection_id(tenant, spec.suffix), spec.warehouse, {spec.mode},
                       spec.weight, 0.05, 2500);
  connection.health = spec.health;
  switch (spec.health) {
    case WarehouseHealth::kHealthy:
      connection.failure_rate = 0;
      break;
    case WarehouseHealth::kFlaky:  // fails on a schedule, see flaky_delivery_fails
      break;
    case WarehouseHealth::kBroken:  // a rotated password: intermittent first, then every call
      connection.incident_category = "auth";
      connection.outage_since = now - kOutageAgo;
      break;
    case WarehouseHealth::kRetired:
      connection.failure_rate = 0.03;
      connection.active_until = now - kRetiredAgo;
      break;
    case WarehouseHealth::kSilent:
      connection.active_until = std::numeric_limits<TimeMs>::min();
      break;
  }
  return connection;
}

// The last sync was paused a day ago (the entity catalog says so), so it has no runs since.
void add_syncs(const std::string& tenant, TimeMs now, std::vector<Integration>& out) {
  static const std::vector<std::string> destinations = {"salesforce", "hubspot", "google_ads",
                                                        "facebook_ads"};
  for (std::size_t i = 0; i < destinations.size(); ++i) {
    Integration sync = make_integration(
        IntegrationKind::kSyncRun, "sync_run", "sync-" + tenant + "-" + std::to_string(i + 1),
        destinations[i], {"scheduled", "scheduled", "scheduled", "manual"}, 0.4, 0.08, 90000);
    if (i + 1 == destinations.size()) sync.active_until = now - kRetiredAgo;
    out.push_back(std::move(sync));
  }
}

void add_tenant_pipelines(const std::string& tenant, TimeMs now, std::vector<Integration>& out) {
  for (const WarehouseConnectionSpec& spec : warehouse_connection_specs()) {
    out.push_back(warehouse_connection(tenant, spec, now));
  }
  add_syncs(tenant, now, out);
  out.push_back(make_integration(IntegrationKind::kLoaderRun, "loader_run",
                                 "loader-" + tenant + "-1", "s3://" + tenant + "-landing",
                                 {"scheduled"}, 0.2, 0.05, 240000));
}

}  // namespace

std::string format_time(TimeMs time) {
  const auto seconds = static_cast<std::time_t>(time / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(time % 1000));
  return text;
}

// The connections differ in weight as well as health: a broken one is retried, so it attempts
// deliveries more often than its share of the data would suggest.
const std::vector<WarehouseConnectionSpec>& warehouse_connection_specs() {
  static const std::vector<WarehouseConnectionSpec> specs = {
      {"primary", "Primary warehouse", "snowflake", WarehouseHealth::kHealthy, 3.0, "batch"},
      {"events", "Event stream", "bigquery", WarehouseHealth::kFlaky, 2.0, "realtime"},
      {"backlog", "Reporting warehouse", "redshift", WarehouseHealth::kBroken, 3.0, "batch"},
      {"legacy", "Legacy warehouse", "postgres", WarehouseHealth::kRetired, 1.5, "batch"},
      {"new", "New lakehouse", "databricks", WarehouseHealth::kSilent, 0, "batch"},
  };
  return specs;
}

std::string warehouse_connection_id(std::string_view tenant, std::string_view suffix) {
  return "wh-" + std::string(tenant) + "-" + std::string(suffix);
}

TenantTraffic::TenantTraffic(std::string tenant, std::size_t tenant_index, TimeMs now)
    : tenant_(std::move(tenant)), integrations_(generic_integrations()) {
  add_tenant_pipelines(tenant_, now, integrations_);
  const Incident& incident = incident_for(tenant_index);
  for (Integration& integration : integrations_) {
    if (integration.type == incident.type && integration.key == incident.key) {
      integration.failure_rate = 0.4;
      integration.incident_category = incident.category;
    }
  }
}

// Only integrations still sending at that time take part, so retired ones simply fall silent.
Integration& TenantTraffic::choose(Rng& rng, TimeMs time) {
  double total_weight = 0;
  for (const Integration& integration : integrations_) {
    if (time < integration.active_until) total_weight += integration.weight;
  }
  double remaining = rng.uniform() * total_weight;
  Integration* last = nullptr;
  for (Integration& integration : integrations_) {
    if (time >= integration.active_until) continue;
    last = &integration;
    remaining -= integration.weight;
    if (remaining < 0) return integration;
  }
  return *last;  // only reachable through rounding; the generic integrations always send
}

nlohmann::ordered_json TenantTraffic::next_event(Rng& rng, TimeMs time, const std::string& id) {
  Integration& integration = choose(rng, time);
  const std::optional<Failure> failure = integration.kind == IntegrationKind::kWarehouseDelivery
                                             ? warehouse_failure(rng, integration, time)
                                             : maybe_fail(rng, integration);
  ordered_json event = {{"tenant", tenant_},
                        {"type", integration.type},
                        {"key", integration.key},
                        {"mode", rng.pick(integration.modes)},
                        {"status", failure ? failure->status : "success"},
                        {"time", format_time(time)}};
  if (integration.kind == IntegrationKind::kSyncRun ||
      integration.kind == IntegrationKind::kLoaderRun) {
    add_run_fields(rng, integration, failure, event);
  } else {
    add_call_fields(rng, integration, failure, event);
  }
  event["id"] = id;
  return event;
}

}  // namespace vitals::traffic
