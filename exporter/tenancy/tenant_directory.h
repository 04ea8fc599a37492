#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"

namespace vitals {

struct Tenant {
  std::string slug;
  std::string id;
  std::string name;
};

// The declared tenants, found by slug or by id: every path and event may name either.
class TenantDirectory {
 public:
  explicit TenantDirectory(const std::vector<TenantConfig>& tenants);

  const Tenant* find(std::string_view slug_or_id) const;
  const Tenant* find_by_id(std::string_view id) const;
  // What metrics label a tenant with: its slug, or the id itself for a tenant no longer declared.
  std::string slug_of(std::string_view id) const;
  const std::vector<Tenant>& all() const { return tenants_; }

 private:
  std::vector<Tenant> tenants_;
  std::unordered_map<std::string, size_t> by_slug_;
  std::unordered_map<std::string, size_t> by_id_;
};

}  // namespace vitals
