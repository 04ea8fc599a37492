#include "catalog/entity_kinds.h"

#include <algorithm>
#include <map>

namespace vitals {
namespace {

// An empty list means any status (up to 64 characters) is accepted, as it is informational.
const std::map<std::string, std::vector<std::string>, std::less<>>& allowed_statuses() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> kStatuses = {
      {"warehouse_connection", {}},
      {"source", {"connected", "error", "disconnected"}},
      {"destination", {"connected", "error", "disconnected"}},
      {"model", {"active", "inactive"}},
      {"sync", {"active", "paused"}},
      {"audience", {"active", "inactive"}},
      {"loader", {"active", "inactive"}},
  };
  return kStatuses;
}

}  // namespace

const std::vector<std::string>& entity_kinds() {
  static const std::vector<std::string> kKinds = [] {
    std::vector<std::string> kinds;
    for (const auto& [kind, statuses] : allowed_statuses()) kinds.push_back(kind);
    return kinds;
  }();
  return kKinds;
}

bool is_entity_kind(std::string_view kind) {
  return allowed_statuses().count(kind) > 0;
}

std::optional<std::string> entity_status_problem(std::string_view kind, std::string_view status) {
  auto it = allowed_statuses().find(kind);
  if (it == allowed_statuses().end()) return "unknown kind";
  if (status.empty() || status.size() > 64) return "status must be 1 to 64 characters";
  const auto& allowed = it->second;
  if (allowed.empty() || std::find(allowed.begin(), allowed.end(), status) != allowed.end()) {
    return std::nullopt;
  }
  std::string list;
  for (const auto& s : allowed) list += (list.empty() ? "" : ", ") + s;
  return "status of a " + std::string(kind) + " must be one of " + list;
}

std::span<const UsedAttribute> used_attributes(std::string_view kind) {
  static constexpr UsedAttribute kDestination[] = {{"type", AttributeValue::kString}};
  static constexpr UsedAttribute kSync[] = {{"audience_id", AttributeValue::kString},
                                            {"destination_id", AttributeValue::kString}};
  static constexpr UsedAttribute kAudience[] = {
      {"estimated_size", AttributeValue::kNonNegativeInteger}};
  if (kind == "destination") return kDestination;
  if (kind == "sync") return kSync;
  if (kind == "audience") return kAudience;
  return {};
}

bool is_valid_entity_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == ':' || c == '-';
  });
}

}  // namespace vitals
