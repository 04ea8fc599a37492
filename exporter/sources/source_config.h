#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "notify/backoff.h"

namespace vitals::sources {

// How one field of an event is taken from a scraped record: a dotted path into the record
// ("run.stats.rows", numeric segments index arrays) or a constant, then optionally a value map
// and, for numbers, a scale (seconds to milliseconds, say).
struct FieldSpec {
  std::string path;         // empty when `constant` is used
  nlohmann::json constant;  // null when `path` is used
  std::map<std::string, std::string> value_map;
  std::optional<double> scale;
};

// Event field name (tenant, type, key, mode, status, time, latency_ms, error_category,
// error_message, id) to its spec, plus one spec per `counts` kind.
struct FieldMapping {
  std::map<std::string, FieldSpec> fields;
  std::map<std::string, FieldSpec> counts;
};

struct HttpSourceConfig {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // ${env:NAME} already expanded
  std::string records;       // dotted path of the record array; empty: the body is the array
  std::string next_url;      // dotted path of the next page's URL in a response, or empty
  std::string cursor;        // dotted path of the next cursor in a response, or empty
  std::string cursor_param;  // query parameter the cursor is sent back in
  int max_pages = 100;       // per poll, so one busy source cannot hold its thread forever
  size_t max_body_bytes = 8 * 1024 * 1024;
  FieldMapping mapping;
};

struct FileSourceConfig {
  std::string path;
  size_t max_line_bytes = 1024 * 1024;
};

struct SourceConfig {
  std::string name;
  std::string tenant;  // slug of a configured tenant
  TimeMs interval = kMsPerMinute;
  TimeMs timeout = 10 * kMsPerSecond;
  notify::Backoff backoff{kMsPerSecond, 5 * kMsPerMinute};
  std::optional<HttpSourceConfig> http;  // exactly one of http and file is set
  std::optional<FileSourceConfig> file;
};

}  // namespace vitals::sources
