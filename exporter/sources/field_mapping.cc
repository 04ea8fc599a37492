#include "sources/field_mapping.h"

#include <charconv>
#include <cmath>

#include "core/time_format.h"

namespace vitals::sources {
namespace {

const nlohmann::json* step(const nlohmann::json& value, std::string_view segment) {
  if (value.is_object()) {
    const auto it = value.find(std::string(segment));
    return it == value.end() ? nullptr : &*it;
  }
  size_t index = 0;
  const auto [end, error] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
  const bool whole = error == std::errc() && end == segment.data() + segment.size();
  if (!value.is_array() || !whole || index >= value.size()) return nullptr;
  return &value[index];
}

// The text a value map matches a value by: strings as they are, other scalars as JSON.
std::string map_key(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// Whole results stay integers, so a scaled count is still a count to the parser.
nlohmann::json scaled(double value, double scale) {
  const double result = value * scale;
  if (std::nearbyint(result) == result && std::fabs(result) < 9e15) {
    return static_cast<int64_t>(result);
  }
  return result;
}

nlohmann::json resolve(const FieldSpec& spec, const nlohmann::json& record) {
  nlohmann::json value = spec.constant;
  if (!spec.path.empty()) {
    const nlohmann::json* found = find_path(record, spec.path);
    value = found ? *found : nlohmann::json();
  }
  if (value.is_null()) return value;
  if (!spec.value_map.empty()) {
    const auto mapped = spec.value_map.find(map_key(value));
    if (mapped != spec.value_map.end()) value = mapped->second;
  }
  if (spec.scale && value.is_number()) value = scaled(value.get<double>(), *spec.scale);
  return value;
}

// Unix seconds (possibly fractional) become RFC 3339; anything else is left for the parser.
nlohmann::json as_event_time(nlohmann::json value) {
  if (!value.is_number()) return value;
  const double seconds = value.get<double>();
  if (!std::isfinite(seconds) || std::fabs(seconds) > 1e11) return value;
  return format_rfc3339(static_cast<TimeMs>(std::llround(seconds * 1000.0)));
}

}  // namespace

const nlohmann::json* find_path(const nlohmann::json& value, std::string_view path) {
  const nlohmann::json* at = &value;
  while (at && !path.empty()) {
    const size_t dot = path.find('.');
    at = step(*at, path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return at;
}

nlohmann::json map_record(const FieldMapping& mapping, const nlohmann::json& record,
                          std::string_view tenant) {
  nlohmann::json event = nlohmann::json::object();
  nlohmann::json error = nlohmann::json::object();
  for (const auto& [field, spec] : mapping.fields) {
    nlohmann::json value = resolve(spec, record);
    if (value.is_null()) continue;
    if (field == "time") value = as_event_time(std::move(value));
    if (field == "error_category" || field == "error_message") {
      error[field.substr(6)] = std::move(value);
    } else {
      event[field] = std::move(value);
    }
  }
  if (!event.contains("tenant")) event["tenant"] = std::string(tenant);
  if (!error.empty()) event["error"] = std::move(error);
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [kind, spec] : mapping.counts) {
    nlohmann::json value = resolve(spec, record);
    if (!value.is_null()) counts[kind] = std::move(value);
  }
  if (!counts.empty()) event["counts"] = std::move(counts);
  return event;
}

}  // namespace vitals::sources
