#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vitals {

// The kinds of the entity catalog and the statuses each accepts (SPEC §3.2).
const std::vector<std::string>& entity_kinds();
bool is_entity_kind(std::string_view kind);

// Returns a problem description, or nullopt when `status` is valid for `kind`.
std::optional<std::string> entity_status_problem(std::string_view kind, std::string_view status);

// What an attribute that vitals reads must hold when it is present (and not null).
enum class AttributeValue { kString, kNonNegativeInteger };
struct UsedAttribute {
  std::string_view name;
  AttributeValue value;
};
// The attributes vitals reads from entities of `kind` (SPEC §3.2). A PUT whose value of one of
// them has another type is refused, rather than stored and then read as missing (or, for a
// negative audience size, summed into totals). Other attributes are kept as given.
std::span<const UsedAttribute> used_attributes(std::string_view kind);

// Entity ids are path segments: [A-Za-z0-9_.:-]{1,128}.
bool is_valid_entity_id(std::string_view id);

}  // namespace vitals
