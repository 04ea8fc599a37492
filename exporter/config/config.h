#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/role.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/toml_reader.h"
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

struct Config {
  std::string source_path;
  ServerConfig server;
  StorageConfig storage;
  std::vector<TenantConfig> tenants;
  std::vector<TokenConfig> tokens;
  RulesConfig rules;
  WarehouseThresholds warehouse;
};

using ConfigProblem = SourceProblem;

struct ConfigLoad {
  std::optional<Config> config;  // set only when problems is empty
  std::vector<ConfigProblem> problems;
};

ConfigLoad load_config_file(const std::string& path);
ConfigLoad parse_config(std::string_view text, const std::string& source_name);

bool is_valid_tenant_slug(std::string_view slug);

}  // namespace vitals
