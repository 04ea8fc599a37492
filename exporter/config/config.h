#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/role.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/toml_reader.h"
#include "notify/backoff.h"
#include "notify/route.h"
#include "sources/source_config.h"
#include "warehouse/thresholds.h"

namespace vitals {

struct ServerConfig {
  std::string listen_host = "127.0.0.1";
  int listen_port = 9470;
  size_t max_body_bytes = 16 * 1024 * 1024;
  // Worker threads: the connections served at once. civetweb serves a connection (keep-alive
  // included) on one thread, so this is the concurrent connection limit.
  int threads = 16;
  // Accepted connections waiting for a free thread, and the kernel's queue of connections not
  // yet accepted (listen(2)'s backlog). Past both, clients wait in connect().
  int connection_queue = 20;
  int listen_backlog = 200;
  // A request's header and body must have arrived whole this long after it began, or the
  // connection is closed (slow clients would otherwise hold a thread each).
  TimeMs request_timeout = 30 * kMsPerSecond;
  // An idle keep-alive connection is closed after this long.
  TimeMs keep_alive_timeout = 30 * kMsPerSecond;
  // Request line and headers together.
  size_t max_header_bytes = 16 * 1024;
};

// Bounds on what memory and /metrics grow to with the data (docs/reliability-limits.md).
struct LimitsConfig {
  // Distinct (type, key, mode, status, error category) series a tenant's rollups may hold; an
  // event that would start one past it is refused. What bounds the rollups' memory.
  size_t max_series_per_tenant = 100'000;
  // Series each vitals_integration_* family holds; new series past it go to `__overflow__`.
  size_t max_series_per_family = 100'000;
  // An integration with no event for this long leaves /metrics; 0: never. SPEC §4: counters are
  // reset by nothing but a restart, and a series that left /metrics comes back from zero; an idle
  // TTL is the operator's choice to trade that.
  TimeMs series_idle_ttl = 0;
};

struct StorageConfig {
  std::string path = "data/vitals.db";
  TimeMs retention = 35 * kMsPerDay;
  // Minute-resolution rollups are kept this long; older data is answered from hour buckets.
  TimeMs minute_rollup_horizon = 8 * kMsPerDay;
  TimeMs prune_interval = 5 * kMsPerMinute;
  // Save the rollups beside the database at shutdown (`<path>.rollups`) and start from them.
  bool rollup_snapshot = true;

  std::string rollup_snapshot_path() const { return rollup_snapshot ? path + ".rollups" : ""; }
};

struct TenantConfig {
  std::string slug;
  std::string name;
  std::string id;  // UUID; derived from the slug when the file gives none
};

struct TokenConfig {
  Sha256Digest token_hash{};
  Role role = Role::kViewer;
  bool all_tenants = false;
  std::vector<std::string> tenants;  // slugs, when not all_tenants
  std::optional<std::string> user;
  std::string where;  // "file:line" of the entry, for log lines that must not show the secret
};

struct RulesConfig {
  std::vector<std::string> files;
  TimeMs interval = 15 * kMsPerSecond;
};

struct AlertmanagerConfig {
  std::vector<std::string> urls;  // each one gets every alert (an HA pair lists both)
  TimeMs resend_interval = kMsPerMinute;
  TimeMs timeout = 10 * kMsPerSecond;
  notify::Route route;
};

struct WebhookConfig {
  std::string name;
  std::string url;
  std::string secret;  // signs the body when set
  TimeMs timeout = 10 * kMsPerSecond;
  notify::Route route;
};

struct NotificationsConfig {
  std::string external_url;  // where people reach this vitals; default http://<server.listen>
  size_t queue_limit = 10'000;
  notify::Backoff backoff;
  AlertmanagerConfig alertmanager;
  std::vector<WebhookConfig> webhooks;
};

struct Config {
  std::string source_path;
  ServerConfig server;
  StorageConfig storage;
  LimitsConfig limits;
  std::vector<TenantConfig> tenants;
  std::vector<TokenConfig> tokens;
  RulesConfig rules;
  NotificationsConfig notifications;
  WarehouseThresholds warehouse;
  std::vector<sources::SourceConfig> sources;
};

using ConfigProblem = SourceProblem;

struct ConfigLoad {
  std::optional<Config> config;  // set only when problems is empty
  std::vector<ConfigProblem> problems;
};

ConfigLoad load_config_file(const std::string& path);
ConfigLoad parse_config(std::string_view text, const std::string& source_name);

bool is_valid_tenant_slug(std::string_view slug);

// Pieces of the readers that more than one section uses.
bool is_http_url(std::string_view url);
bool has_credentials(std::string_view url);
bool is_config_name(std::string_view name);  // [A-Za-z0-9_.-]{1,64}
std::optional<std::string> read_url(TableReader& r, std::string_view key);
// A duration key within [min, max] ("must be between <range>" otherwise), stored only when valid.
void read_duration_between(TableReader& r, std::string_view key, TimeMs min, TimeMs max,
                           std::string_view range, TimeMs& field);
void read_timeout(TableReader& r, TimeMs& timeout);           // 100ms to 5m
void read_backoff(TableReader& r, notify::Backoff& backoff);  // retry_initial, retry_max

}  // namespace vitals
