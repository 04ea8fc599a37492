#pragma once

#include <optional>
#include <string_view>

namespace vitals {

// Ordered by what they may do: each role may do everything the ones before it may, except that
// `ingest` may not read.
enum class Role { kIngest = 0, kViewer = 1, kEditor = 2, kAdmin = 3 };

std::optional<Role> parse_role(std::string_view name);
std::string_view role_name(Role role);

inline bool can_read(Role r) {
  return r != Role::kIngest;
}
inline bool can_write_data(Role r) {
  return r != Role::kViewer;
}
inline bool can_write_alerts(Role r) {
  return r == Role::kEditor || r == Role::kAdmin;
}
inline bool can_administer(Role r) {
  return r == Role::kAdmin;
}

}  // namespace vitals
