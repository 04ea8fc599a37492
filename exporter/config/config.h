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
  int threads = 16;
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
void read_timeout(TableReader& r, TimeMs& timeout);           // 100ms to 5m
void read_backoff(TableReader& r, notify::Backoff& backoff);  // retry_initial, retry_max

}  // namespace vitals
