#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals {

// The kinds of the entity catalog and the statuses each accepts (SPEC §3.2).
const std::vector<std::string>& entity_kinds();
bool is_entity_kind(std::string_view kind);

// Returns a problem description, or nullopt when `status` is valid for `kind`.
std::optional<std::string> entity_status_problem(std::string_view kind, std::string_view status);

// Entity ids are path segments: [A-Za-z0-9_.:-]{1,128}.
bool is_valid_entity_id(std::string_view id);

}  // namespace vitals
