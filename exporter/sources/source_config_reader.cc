#include "sources/source_config_reader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace vitals::sources {
namespace {

// The event fields a mapping may fill; `counts` is a table of its own.
const std::set<std::string>& mapped_fields() {
  static const std::set<std::string> kFields = {
      "tenant",     "type",           "key",           "mode", "status", "time",
      "latency_ms", "error_category", "error_message", "id"};
  return kFields;
}

std::optional<nlohmann::json> scalar_json(const toml::node& node) {
  if (auto s = node.value_exact<std::string>()) return nlohmann::json(*s);
  if (auto i = node.value_exact<int64_t>()) return nlohmann::json(*i);
  if (auto d = node.value_exact<double>()) return nlohmann::json(*d);
  if (auto b = node.value_exact<bool>()) return nlohmann::json(*b);
  return std::nullopt;
}

// A spec written as a table: { path = "...", map = {...}, scale = 1000 } or { const = ... }.
void read_spec_table(TableReader& r, FieldSpec& spec) {
  if (auto path = r.string("path")) spec.path = *path;
  if (const toml::node* constant = r.get("const")) {
    if (auto value = scalar_json(*constant)) {
      spec.constant = *value;
    } else {
      r.problem(*constant, "const", "must be a string, a number or a boolean");
    }
  }
  if (spec.path.empty() == spec.constant.is_null()) {
    r.problem_here("path", "give exactly one of path (a dotted path) or const");
  }
  if (auto map = r.string_table("map")) spec.value_map = *map;
  if (auto scale = r.number("scale")) {
    if (!(*scale > 0)) r.problem(*r.get("scale"), "scale", "must be a positive number");
    spec.scale = *scale;
  }
}

std::optional<FieldSpec> read_spec(const toml::node& node, const std::string& where,
                                   TableReader& parent) {
  FieldSpec spec;
  if (auto path = node.value_exact<std::string>()) {
    if (path->empty()) parent.problem(node, where, "must not be an empty path");
    spec.path = *path;
    return spec;
  }
  const toml::table* table = node.as_table();
  if (!table) {
    parent.problem(node, where, "must be a dotted path or a table with path or const");
    return std::nullopt;
  }
  TableReader r(*table, parent.qualified(where), parent.file(), parent.problems());
  read_spec_table(r, spec);
  return spec;
}

void read_counts(const toml::node& node, TableReader& r, FieldMapping& mapping) {
  const toml::table* table = node.as_table();
  if (!table) {
    r.problem(node, "counts", "must be a table of item kind = field spec");
    return;
  }
  for (auto&& [kind, spec_node] : *table) {
    const std::string where = "counts." + std::string(kind.str());
    if (auto spec = read_spec(spec_node, where, r)) mapping.counts[std::string(kind.str())] = *spec;
  }
}

bool names_tenant(const TenantConfig& tenant, const nlohmann::json& value) {
  return value.is_string() && (value == tenant.slug || value == tenant.id);
}

void read_mapping(const toml::table& table, const TenantConfig* tenant, TableReader& parent,
                  FieldMapping& mapping) {
  TableReader r(table, parent.qualified("mapping"), parent.file(), parent.problems());
  for (auto&& [name, node] : table) {
    const std::string field(name.str());
    if (field == "counts") {
      read_counts(*r.get("counts"), r, mapping);
    } else if (mapped_fields().count(field)) {
      if (auto spec = read_spec(*r.get(field), field, r)) mapping.fields[field] = *spec;
    }
  }
  for (const char* required : {"type", "status"}) {
    if (!mapping.fields.count(required)) r.problem_here(required, "is required");
  }
  const auto t = mapping.fields.find("tenant");
  if (tenant && t != mapping.fields.end() && !t->second.constant.is_null() &&
      !names_tenant(*tenant, t->second.constant)) {
    // Records may only claim the source's own tenant (docs/sources.md).
    r.problem(*table.get("tenant"), "tenant", "must be the source's tenant '" + tenant->slug + "'");
  }
}

void read_headers(TableReader& r, HttpSourceConfig& http) {
  auto headers = r.string_table("headers");
  if (!headers) return;
  for (const auto& [name, value] : *headers) {
    std::string missing;
    if (auto expanded = expand_env(value, missing)) {
      http.headers.emplace_back(name, *expanded);
    } else {
      r.problem(*r.get("headers"), "headers." + name,
                "environment variable " + missing + " is not set");
    }
  }
}

void read_paging(TableReader& r, HttpSourceConfig& http) {
  http.records = r.string("records").value_or("");
  http.next_url = r.string("next_url").value_or("");
  http.cursor = r.string("cursor").value_or("");
  http.cursor_param = r.string("cursor_param").value_or("");
  if (!http.next_url.empty() && !http.cursor.empty()) {
    r.problem_here("cursor", "give at most one of next_url and cursor");
  }
  if (http.cursor.empty() != http.cursor_param.empty()) {
    r.problem_here("cursor_param", "cursor and cursor_param go together");
  }
  if (auto v = r.value<int64_t>("max_pages", "an integer")) {
    if (*v < 1 || *v > 10'000) r.problem(*r.get("max_pages"), "max_pages", "must be 1 to 10000");
    http.max_pages = static_cast<int>(std::clamp<int64_t>(*v, 1, 10'000));
  }
  if (auto v = r.value<int64_t>("max_body_bytes", "an integer")) {
    if (*v < 1024 || *v > (int64_t{1} << 30)) {
      r.problem(*r.get("max_body_bytes"), "max_body_bytes", "must be 1024 to 1073741824");
    }
    http.max_body_bytes = static_cast<size_t>(std::max<int64_t>(*v, 1024));
  }
}

void read_http(const toml::table& table, const TenantConfig* tenant, TableReader& parent,
               SourceConfig& source) {
  TableReader r(table, parent.qualified("http"), parent.file(), parent.problems());
  HttpSourceConfig http;
  if (auto url = read_url(r, "url")) {
    if (has_credentials(*url)) r.problem(*r.get("url"), "url", "put credentials in headers");
    http.url = *url;
  } else if (!r.get("url")) {
    r.problem_here("url", "is required");
  }
  read_headers(r, http);
  read_paging(r, http);
  if (const toml::node* mapping = r.get("mapping")) {
    if (const toml::table* t = mapping->as_table()) {
      read_mapping(*t, tenant, r, http.mapping);
    } else {
      r.problem(*mapping, "mapping", "must be a table ([sources.http.mapping])");
    }
  } else {
    r.problem_here("mapping", "is required ([sources.http.mapping])");
  }
  source.http = std::move(http);
}

// Relative paths are taken from the configuration file's folder, as rule files are.
std::string resolve_path(const std::string& path, const std::string& config_file) {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(config_file).parent_path() / p).lexically_normal().string();
}

void read_file(const toml::table& table, TableReader& parent, SourceConfig& source) {
  TableReader r(table, parent.qualified("file"), parent.file(), parent.problems());
  FileSourceConfig file;
  if (auto path = r.string("path")) {
    if (path->empty()) r.problem(*r.get("path"), "path", "must not be empty");
    file.path = resolve_path(*path, parent.file());
  } else if (!r.get("path")) {
    r.problem_here("path", "is required");
  }
  if (auto v = r.value<int64_t>("max_line_bytes", "an integer")) {
    if (*v < 1024 || *v > (int64_t{64} << 20)) {
      r.problem(*r.get("max_line_bytes"), "max_line_bytes", "must be 1024 to 67108864");
    }
    file.max_line_bytes = static_cast<size_t>(std::max<int64_t>(*v, 1024));
  }
  source.file = std::move(file);
}

const TenantConfig* read_tenant(TableReader& r, const Config& config, SourceConfig& source) {
  auto slug = r.string("tenant");
  if (!slug) {
    if (!r.get("tenant")) r.problem_here("tenant", "is required");
    return nullptr;
  }
  source.tenant = *slug;
  for (const auto& t : config.tenants) {
    if (t.slug == *slug) return &t;
  }
  r.problem(*r.get("tenant"), "tenant", "names no configured tenant '" + *slug + "'");
  return nullptr;
}

void read_name(TableReader& r, const Config& config, SourceConfig& source) {
  auto name = r.string("name");
  if (!name) {
    if (!r.get("name")) r.problem_here("name", "is required");
    return;
  }
  if (!is_config_name(*name)) r.problem(*r.get("name"), "name", "must match [A-Za-z0-9_.-]{1,64}");
  for (const auto& other : config.sources) {
    if (other.name == *name) r.problem(*r.get("name"), "name", "duplicate source '" + *name + "'");
  }
  source.name = *name;
}

void read_kind(TableReader& r, const TenantConfig* tenant, SourceConfig& source) {
  const toml::node* http = r.get("http");
  const toml::node* file = r.get("file");
  if ((http != nullptr) == (file != nullptr)) {
    r.problem_here("http", "give exactly one of [sources.http] and [sources.file]");
  }
  if (http && http->as_table()) read_http(*http->as_table(), tenant, r, source);
  if (http && !http->as_table()) r.problem(*http, "http", "must be a table ([sources.http])");
  if (file && file->as_table()) read_file(*file->as_table(), r, source);
  if (file && !file->as_table()) r.problem(*file, "file", "must be a table ([sources.file])");
}

}  // namespace

std::optional<std::string> expand_env(std::string_view text, std::string& missing) {
  static constexpr std::string_view kOpen = "${env:";
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find(kOpen, pos);
    const size_t end = start == std::string_view::npos ? start : text.find('}', start);
    if (end == std::string_view::npos) break;
    out.append(text.substr(pos, start - pos));
    const std::string name(text.substr(start + kOpen.size(), end - start - kOpen.size()));
    const char* value = std::getenv(name.c_str());
    if (!value) {
      missing = name;
      return std::nullopt;
    }
    out += value;
    pos = end + 1;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

void read_source(const toml::table& table, size_t index, Config& config, TableReader& root) {
  TableReader r(table, "sources[" + std::to_string(index) + "]", root.file(), root.problems());
  SourceConfig source;
  read_name(r, config, source);
  const TenantConfig* tenant = read_tenant(r, config, source);
  if (auto v = r.duration("interval")) {
    if (*v < kMsPerSecond) r.problem(*r.get("interval"), "interval", "must be at least 1s");
    source.interval = std::max<TimeMs>(*v, kMsPerSecond);
  }
  read_timeout(r, source.timeout);
  read_backoff(r, source.backoff);
  read_kind(r, tenant, source);
  config.sources.push_back(std::move(source));
}

}  // namespace vitals::sources
