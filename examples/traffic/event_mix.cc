#include "event_mix.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <utility>

namespace vitals::traffic {
namespace {

using nlohmann::ordered_json;

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

std::optional<Failure> maybe_fail(Rng& rng, const Integration& integration) {
  if (!rng.chance(integration.failure_rate)) return std::nullopt;
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

// A failed delivery lands in the dead-letter queue; good ones drain it, as a retry worker would.
void add_warehouse_counts(Rng& rng, Integration& connection, bool failed, ordered_json& event) {
  const bool primary = connection.key.ends_with("-primary");
  const std::int64_t evaluations = round_count(rng.log_normal(primary ? 1500 : 100, 0.8));
  const std::int64_t custom_events = round_count(rng.log_normal(primary ? 40 : 300, 0.8));
  ordered_json counts = ordered_json::object();
  if (failed) {
    connection.dlq_depth =
        std::min<std::int64_t>(connection.dlq_depth + evaluations + custom_events, 1'000'000);
  } else {
    counts["evaluations"] = evaluations;
    counts["custom_events"] = custom_events;
    connection.dlq_depth = connection.dlq_depth * 7 / 10;
  }
  if (failed || rng.chance(0.3)) counts["dlq_depth"] = connection.dlq_depth;
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

std::vector<Integration> generic_integrations() {
  std::vector<Integration> result;
  for (const GenericSpec& spec : generic_catalog()) {
    for (const std::string& key : spec.keys) {
      result.push_back({IntegrationKind::kGeneric, spec.type, key, key, spec.modes, spec.weight,
                        spec.failure_rate, spec.median_latency_ms, "", 0});
    }
  }
  return result;
}

void add_tenant_pipelines(const std::string& tenant, std::vector<Integration>& out) {
  for (const char* suffix : {"primary", "events"}) {
    const std::string key = "wh-" + tenant + "-" + suffix;
    const double weight = std::string(suffix) == "primary" ? 3.0 : 2.0;
    const std::vector<std::string> modes = {std::string(suffix) == "primary" ? "batch"
                                                                             : "realtime"};
    out.push_back({IntegrationKind::kWarehouseDelivery, "warehouse_delivery", key,
                   "warehouse " + key, modes, weight, 0.05, 2500, "", 0});
  }
  static const std::vector<std::string> destinations = {"salesforce", "hubspot", "google_ads",
                                                        "facebook_ads"};
  for (std::size_t i = 0; i < destinations.size(); ++i) {
    out.push_back({IntegrationKind::kSyncRun,
                   "sync_run",
                   "sync-" + tenant + "-" + std::to_string(i + 1),
                   destinations[i],
                   {"scheduled", "scheduled", "scheduled", "manual"},
                   0.4,
                   0.08,
                   90000,
                   "",
                   0});
  }
  out.push_back({IntegrationKind::kLoaderRun,
                 "loader_run",
                 "loader-" + tenant + "-1",
                 "s3://" + tenant + "-landing",
                 {"scheduled"},
                 0.2,
                 0.05,
                 240000,
                 "",
                 0});
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

TenantTraffic::TenantTraffic(std::string tenant, std::size_t tenant_index)
    : tenant_(std::move(tenant)), integrations_(generic_integrations()) {
  add_tenant_pipelines(tenant_, integrations_);
  const Incident& incident = incident_for(tenant_index);
  for (Integration& integration : integrations_) {
    if (integration.type == incident.type && integration.key == incident.key) {
      integration.failure_rate = 0.4;
      integration.incident_category = incident.category;
    }
    total_weight_ += integration.weight;
  }
}

Integration& TenantTraffic::choose(Rng& rng) {
  double remaining = rng.uniform() * total_weight_;
  for (Integration& integration : integrations_) {
    remaining -= integration.weight;
    if (remaining < 0) return integration;
  }
  return integrations_.back();  // only reachable through rounding
}

nlohmann::ordered_json TenantTraffic::next_event(Rng& rng, TimeMs time, const std::string& id) {
  Integration& integration = choose(rng);
  const std::optional<Failure> failure = maybe_fail(rng, integration);
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
