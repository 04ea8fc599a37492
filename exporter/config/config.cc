#include "config/config.h"

#include <toml++/toml.h>
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/time_format.h"
#include "core/toml_reader.h"
#include "sources/source_config_reader.h"

namespace vitals {

std::optional<Role> parse_role(std::string_view name) {
  if (name == "ingest") return Role::kIngest;
  if (name == "viewer") return Role::kViewer;
  if (name == "editor") return Role::kEditor;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kIngest:
      return "ingest";
    case Role::kViewer:
      return "viewer";
    case Role::kEditor:
      return "editor";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

bool is_valid_tenant_slug(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(s[0])) return false;
  for (char c : s.substr(1)) {
    if (!lower_or_digit(c) && c != '_' && c != '-') return false;
  }
  return true;
}

// Shared with the readers of other sections (sources/source_config_reader.cc).

namespace {

// What follows "scheme://", or nothing when there is no "//".
std::string_view after_scheme(std::string_view url) {
  const auto slashes = url.find("//");
  return slashes == std::string_view::npos ? std::string_view() : url.substr(slashes + 2);
}

}  // namespace

bool is_http_url(std::string_view url) {
  const bool http = url.starts_with("http://") || url.starts_with("https://");
  const auto host = after_scheme(url);
  return http && !host.empty() && host.front() != '/' &&
         std::none_of(url.begin(), url.end(), [](char c) { return c <= ' ' || c == 0x7f; });
}

bool has_credentials(std::string_view url) {
  const auto host = after_scheme(url);
  return host.substr(0, host.find('/')).find('@') != std::string_view::npos;
}

std::optional<std::string> read_url(TableReader& r, std::string_view key) {
  auto url = r.string(key);
  if (url && !is_http_url(*url)) {
    r.problem(*r.get(key), std::string(key), "must be an http:// or https:// URL");
    return std::nullopt;
  }
  return url;
}

void read_duration_between(TableReader& r, std::string_view key, TimeMs min, TimeMs max,
                           std::string_view range, TimeMs& field) {
  const auto v = r.duration(key);
  if (!v) return;
  if (*v < min || *v > max) {
    r.problem(*r.get(key), std::string(key), "must be between " + std::string(range));
    return;
  }
  field = *v;
}

void read_timeout(TableReader& r, TimeMs& timeout) {
  read_duration_between(r, "timeout", 100, 5 * kMsPerMinute, "100ms and 5m", timeout);
}

bool is_config_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

void read_backoff(TableReader& r, notify::Backoff& backoff) {
  if (auto v = r.duration("retry_initial")) {
    if (*v < 10) r.problem(*r.get("retry_initial"), "retry_initial", "must be at least 10ms");
    backoff.initial = std::max<TimeMs>(*v, 1);
  }
  if (auto v = r.duration("retry_max")) backoff.max = *v;
  if (backoff.max < backoff.initial) {
    r.problem_here("retry_max", "must not be shorter than retry_initial");
  }
}

namespace {

// An integer key within [min, max], stored into `field` only when valid.
template <class T>
void read_integer(TableReader& r, std::string_view key, std::int64_t min, std::int64_t max,
                  T& field) {
  const auto v = r.value<int64_t>(key, "an integer");
  if (!v) return;
  if (*v < min || *v > max) {
    r.problem(*r.get(key), std::string(key),
              "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return;
  }
  field = static_cast<T>(*v);
}

// A duration key from 100ms to 10m, the range of the server's timeouts.
void read_server_timeout(TableReader& r, std::string_view key, TimeMs& field) {
  read_duration_between(r, key, 100, 10 * kMsPerMinute, "100ms and 10m", field);
}

void read_listen(TableReader& r, ServerConfig& server) {
  auto listen = r.string("listen");
  if (!listen) return;
  const auto colon = listen->rfind(':');
  int port = 0;
  bool ok = colon != std::string::npos && colon > 0 && colon + 1 < listen->size();
  if (ok) {
    for (char c : listen->substr(colon + 1)) ok = ok && c >= '0' && c <= '9';
    if (ok && listen->size() - colon - 1 <= 5) port = std::stoi(listen->substr(colon + 1));
    ok = ok && port > 0 && port <= 65535;
  }
  if (!ok) {
    r.problem(*r.get("listen"), "listen", "must be host:port, e.g. \"127.0.0.1:9470\"");
    return;
  }
  std::string host = listen->substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  server.listen_host = host;
  server.listen_port = port;
}

void read_server(const toml::table* table, Config& config, TableReader& root) {
  if (!table) return;
  TableReader r(*table, "server", root.file(), root.problems());
  read_listen(r, config.server);
  read_integer(r, "max_body_bytes", 1024, std::int64_t{1} << 32, config.server.max_body_bytes);
  read_integer(r, "threads", 2, 256, config.server.threads);
  read_integer(r, "connection_queue", 1, 10'000, config.server.connection_queue);
  read_integer(r, "listen_backlog", 1, 65'535, config.server.listen_backlog);
  read_integer(r, "max_header_bytes", 1024, 1024 * 1024, config.server.max_header_bytes);
  read_server_timeout(r, "request_timeout", config.server.request_timeout);
  read_server_timeout(r, "keep_alive_timeout", config.server.keep_alive_timeout);
}

void read_limits(const toml::table* table, Config& config, TableReader& root) {
  if (!table) return;
  TableReader r(*table, "limits", root.file(), root.problems());
  read_integer(r, "max_series_per_family", 1, 100'000'000, config.limits.max_series_per_family);
  read_integer(r, "max_series_per_tenant", 1, 100'000'000, config.limits.max_series_per_tenant);
  if (auto v = r.duration("series_idle_ttl")) {
    if (*v != 0 && *v < kMsPerMinute) {
      r.problem(*r.get("series_idle_ttl"), "series_idle_ttl", "must be 0s (never) or at least 1m");
    }
    config.limits.series_idle_ttl = *v;
  }
}

void read_storage(const toml::table* table, Config& config, TableReader& root) {
  if (!table) return;
  TableReader r(*table, "storage", root.file(), root.problems());
  if (auto v = r.string("path")) {
    if (v->empty()) r.problem(*r.get("path"), "path", "must not be empty");
    config.storage.path = *v;
  }
  if (auto v = r.duration("retention")) {
    if (*v < kMsPerHour) r.problem(*r.get("retention"), "retention", "must be at least 1h");
    config.storage.retention = *v;
  }
  if (auto v = r.duration("minute_rollup_horizon")) config.storage.minute_rollup_horizon = *v;
  if (auto v = r.duration("prune_interval")) {
    if (*v < kMsPerSecond) {
      r.problem(*r.get("prune_interval"), "prune_interval", "must be at least 1s");
    }
    config.storage.prune_interval = *v;
  }
  if (auto v = r.value<bool>("rollup_snapshot", "a boolean")) config.storage.rollup_snapshot = *v;
}

void read_tenant(const toml::table& table, size_t index, Config& config, TableReader& root) {
  TableReader r(table, "tenants[" + std::to_string(index) + "]", root.file(), root.problems());
  TenantConfig tenant;
  if (auto slug = r.string("slug")) {
    tenant.slug = *slug;
    if (!is_valid_tenant_slug(*slug)) {
      r.problem(*r.get("slug"), "slug", "must match [a-z0-9][a-z0-9_-]{0,62}");
    }
  } else if (!r.get("slug")) {
    r.problem_here("slug", "is required");
  }
  tenant.name = r.string("name").value_or(tenant.slug);
  if (auto id = r.string("id")) {
    if (!looks_like_uuid(*id)) r.problem(*r.get("id"), "id", "must be a UUID");
    tenant.id = *id;
    for (auto& c : tenant.id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    tenant.id = uuid_v5_url(tenant.slug);
  }
  for (const auto& other : config.tenants) {
    if (other.slug == tenant.slug) r.problem_here("slug", "duplicate tenant '" + tenant.slug + "'");
    if (other.id == tenant.id) r.problem_here("id", "duplicate tenant id " + tenant.id);
    // Paths accept a slug or an id, so one tenant's slug must never be another's id.
    if (other.id == tenant.slug || other.slug == tenant.id) {
      r.problem_here("slug", "a tenant's slug may not equal another tenant's id");
    }
  }
  config.tenants.push_back(std::move(tenant));
}

void read_token_secret(TableReader& r, TokenConfig& token) {
  const toml::node* plain = r.get("token");
  const toml::node* hashed = r.get("token_sha256");
  if ((plain != nullptr) == (hashed != nullptr)) {
    r.problem_here("token", "give exactly one of token or token_sha256");
    return;
  }
  if (plain) {
    auto text = r.string("token");
    if (text && text->size() < 8) r.problem(*plain, "token", "must be at least 8 characters");
    if (text) token.token_hash = sha256(*text);
  } else if (auto hex = r.string("token_sha256")) {
    if (!parse_sha256_hex(*hex, token.token_hash)) {
      r.problem(*hashed, "token_sha256", "must be 64 hex digits (the SHA-256 of the token)");
    }
  }
}

void read_token_tenants(TableReader& r, const Config& config, TokenConfig& token) {
  const toml::node* node = r.get("tenants");
  if (!node) {
    r.problem_here("tenants", "is required (a list of tenant slugs, or [\"*\"])");
    return;
  }
  const toml::array* list = node->as_array();
  if (!list || list->empty()) {
    r.problem(*node, "tenants", "must be a non-empty list of tenant slugs, or [\"*\"]");
    return;
  }
  for (const auto& item : *list) {
    auto slug = item.value<std::string>();
    if (!slug) {
      r.problem(item, "tenants", "every entry must be a string");
    } else if (*slug == "*") {
      token.all_tenants = true;
    } else if (std::none_of(config.tenants.begin(), config.tenants.end(),
                            [&](const TenantConfig& t) { return t.slug == *slug; })) {
      r.problem(item, "tenants", "names undeclared tenant '" + *slug + "'");
    } else {
      token.tenants.push_back(*slug);
    }
  }
}

void read_token(const toml::table& table, size_t index, Config& config, TableReader& root) {
  TableReader r(table, "tokens[" + std::to_string(index) + "]", root.file(), root.problems());
  TokenConfig token;
  token.where = root.file() + ":" + std::to_string(table.source().begin.line);
  read_token_secret(r, token);
  if (auto role = r.string("role")) {
    if (auto parsed = parse_role(*role)) {
      token.role = *parsed;
    } else {
      r.problem(*r.get("role"), "role", "must be one of ingest, viewer, editor, admin");
    }
  } else if (!r.get("role")) {
    r.problem_here("role", "is required");
  }
  read_token_tenants(r, config, token);
  if (auto user = r.string("user")) {
    if (user->empty() || user->size() > 128) r.problem(*r.get("user"), "user", "1-128 chars");
    token.user = *user;
  }
  for (const auto& other : config.tokens) {
    if (other.token_hash == token.token_hash) r.problem_here("token", "duplicate token");
  }
  config.tokens.push_back(std::move(token));
}

template <class ReadOne>
void read_array_of_tables(TableReader& root, std::string_view key, Config& config,
                          ReadOne read_one) {
  const toml::node* node = root.get(key);
  if (!node) return;
  const toml::array* list = node->as_array();
  if (!list) {
    root.problem(*node, std::string(key),
                 "must be an array of tables ([[" + std::string(key) + "]])");
    return;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    if (const toml::table* t = list->at(i).as_table()) {
      read_one(*t, i, config, root);
    } else {
      root.problem(list->at(i), std::string(key), "every entry must be a table");
    }
  }
}

void read_rules(const toml::table* table, Config& config, TableReader& root) {
  if (!table) return;
  TableReader r(*table, "rules", root.file(), root.problems());
  if (const toml::node* files = r.get("files")) {
    const toml::array* list = files->as_array();
    if (!list) r.problem(*files, "files", "must be a list of glob patterns");
    for (size_t i = 0; list && i < list->size(); ++i) {
      if (auto s = list->at(i).value<std::string>()) {
        config.rules.files.push_back(*s);
      } else {
        r.problem(list->at(i), "files", "every entry must be a string");
      }
    }
  }
  if (auto v = r.duration("interval")) {
    if (*v < kMsPerSecond) r.problem(*r.get("interval"), "interval", "must be at least 1s");
    config.rules.interval = *v;
  }
}

// tenants / severities / sources: which announcements a receiver takes.
void read_route(TableReader& r, const Config& config, notify::Route& route) {
  static const std::set<std::string> kSeverities = {"info", "warning", "error", "critical"};
  if (auto tenants = r.string_list("tenants")) {
    for (const auto& slug : *tenants) {
      const bool known = std::any_of(config.tenants.begin(), config.tenants.end(),
                                     [&](const TenantConfig& t) { return t.slug == slug; });
      if (!known) r.problem(*r.get("tenants"), "tenants", "names no tenant '" + slug + "'");
    }
    route.tenants = *tenants;
  }
  if (auto severities = r.string_list("severities")) {
    for (const auto& severity : *severities) {
      if (!kSeverities.count(severity)) {
        r.problem(*r.get("severities"), "severities",
                  "'" + severity + "' is not info, warning, error or critical");
      }
    }
    route.severities = *severities;
  }
  if (auto sources = r.string_list("sources")) route.sources = *sources;
}

void read_alertmanager(const toml::table& table, Config& config, TableReader& parent) {
  TableReader r(table, "notifications.alertmanager", parent.file(), parent.problems());
  AlertmanagerConfig& am = config.notifications.alertmanager;
  if (auto urls = r.string_list("urls")) {
    for (const auto& url : *urls) {
      if (!is_http_url(url)) {
        r.problem(*r.get("urls"), "urls", "'" + url + "' is not an http:// or https:// URL");
      } else if (has_credentials(url)) {
        // The URL names the receiver on /metrics and in logs.
        r.problem(*r.get("urls"), "urls", "must not carry credentials (user:password@)");
      } else if (std::count(urls->begin(), urls->end(), url) > 1) {
        r.problem(*r.get("urls"), "urls", "lists " + url + " twice");
      }
    }
    am.urls = *urls;
  }
  if (auto v = r.duration("resend_interval")) {
    if (*v < kMsPerSecond)
      r.problem(*r.get("resend_interval"), "resend_interval", "must be at least 1s");
    am.resend_interval = *v;
  }
  read_timeout(r, am.timeout);
  if (am.timeout >= am.resend_interval) {
    // A repeat that can take longer than the interval would let Alertmanager time alerts out.
    r.problem_here("timeout", "must be shorter than resend_interval");
  }
  read_route(r, config, am.route);
}

void read_webhook(const toml::table& table, size_t index, Config& config, TableReader& parent) {
  TableReader r(table, "notifications.webhooks[" + std::to_string(index) + "]", parent.file(),
                parent.problems());
  WebhookConfig hook;
  if (auto name = r.string("name")) {
    if (!is_config_name(*name))
      r.problem(*r.get("name"), "name", "must match [A-Za-z0-9_.-]{1,64}");
    for (const auto& other : config.notifications.webhooks) {
      if (other.name == *name)
        r.problem(*r.get("name"), "name", "duplicate webhook '" + *name + "'");
    }
    hook.name = *name;
  } else if (!r.get("name")) {
    r.problem_here("name", "is required");
  }
  if (auto url = read_url(r, "url")) {
    hook.url = *url;
  } else if (!r.get("url")) {
    r.problem_here("url", "is required");
  }
  hook.secret = r.string("secret").value_or("");
  read_timeout(r, hook.timeout);
  read_route(r, config, hook.route);
  config.notifications.webhooks.push_back(std::move(hook));
}

void read_notifications(const toml::table* table, Config& config, TableReader& root) {
  if (!table) return;
  TableReader r(*table, "notifications", root.file(), root.problems());
  NotificationsConfig& n = config.notifications;
  if (auto url = read_url(r, "external_url")) {
    n.external_url = *url;
    while (n.external_url.ends_with('/')) n.external_url.pop_back();
  }
  if (auto v = r.value<int64_t>("queue_limit", "an integer")) {
    if (*v < 1 || *v > 10'000'000)
      r.problem(*r.get("queue_limit"), "queue_limit", "must be between 1 and 10000000");
    n.queue_limit = static_cast<size_t>(std::max<int64_t>(*v, 1));
  }
  read_backoff(r, n.backoff);
  if (const toml::node* am = r.get("alertmanager")) {
    if (const toml::table* t = am->as_table()) {
      read_alertmanager(*t, config, r);
    } else {
      r.problem(*am, "alertmanager", "must be a table ([notifications.alertmanager])");
    }
  }
  if (const toml::node* hooks = r.get("webhooks")) {
    const toml::array* list = hooks->as_array();
    for (size_t i = 0; list && i < list->size(); ++i) {
      if (const toml::table* t = list->at(i).as_table()) read_webhook(*t, i, config, r);
    }
    if (!list || !list->is_array_of_tables()) {
      r.problem(*hooks, "webhooks", "must be an array of tables ([[notifications.webhooks]])");
    }
  }
}

void read_warehouse(const toml::table* table, Config& config, TableReader& root) {
  if (!table) return;
  TableReader r(*table, "warehouse", root.file(), root.problems());
  WarehouseThresholds& w = config.warehouse;
  for (auto [key, field] :
       {std::pair{"idle_after", &w.idle_after}, std::pair{"dlq_window", &w.dlq_window},
        std::pair{"degraded_window", &w.degraded_window}}) {
    if (auto v = r.duration(key)) {
      if (*v < kMsPerMinute) r.problem(*r.get(key), key, "must be at least 1m");
      *field = *v;
    }
  }
  for (auto [key, field] : {std::pair{"failures_in_a_row", &w.failures_in_a_row},
                            std::pair{"dlq_growth_reports", &w.dlq_growth_reports}}) {
    if (auto v = r.value<int64_t>(key, "an integer")) {
      if (*v < 2 || *v > 100) r.problem(*r.get(key), key, "must be between 2 and 100");
      *field = static_cast<int>(*v);
    }
  }
}

const toml::table* subtable(TableReader& root, std::string_view key) {
  const toml::node* node = root.get(key);
  if (!node) return nullptr;
  if (!node->is_table()) {
    root.problem(*node, std::string(key), "must be a table ([" + std::string(key) + "])");
    return nullptr;
  }
  return node->as_table();
}

}  // namespace

ConfigLoad parse_config(std::string_view text, const std::string& source_name) {
  ConfigLoad result;
  const auto parsed = parse_toml(text, source_name, result.problems);
  if (!parsed) return result;
  const toml::table& doc = *parsed;
  Config config;
  config.source_path = source_name;
  {
    TableReader root(doc, "", source_name, result.problems);
    read_server(subtable(root, "server"), config, root);
    read_storage(subtable(root, "storage"), config, root);
    read_limits(subtable(root, "limits"), config, root);
    read_array_of_tables(root, "tenants", config, read_tenant);
    read_array_of_tables(root, "tokens", config, read_token);
    read_rules(subtable(root, "rules"), config, root);
    read_notifications(subtable(root, "notifications"), config, root);
    read_warehouse(subtable(root, "warehouse"), config, root);
    read_array_of_tables(root, "sources", config, sources::read_source);
  }
  if (config.tenants.empty()) {
    result.problems.push_back({source_name, 0, "tenants", "at least one [[tenants]] is required"});
  }
  if (config.notifications.external_url.empty()) {
    const std::string& host = config.server.listen_host;
    config.notifications.external_url =
        "http://" + (host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" +
        std::to_string(config.server.listen_port);
  }
  if (result.problems.empty()) result.config = std::move(config);
  return result;
}

ConfigLoad load_config_file(const std::string& path) {
  ConfigLoad result;
  const auto text = read_source_file(path, result.problems);
  return text ? parse_config(*text, path) : result;
}

}  // namespace vitals
