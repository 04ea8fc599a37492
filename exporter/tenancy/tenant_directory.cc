#include "tenancy/tenant_directory.h"

namespace vitals {

TenantDirectory::TenantDirectory(const std::vector<TenantConfig>& tenants) {
  for (const auto& t : tenants) {
    by_slug_.emplace(t.slug, tenants_.size());
    by_id_.emplace(t.id, tenants_.size());
    tenants_.push_back({t.slug, t.id, t.name});
  }
}

const Tenant* TenantDirectory::find(std::string_view slug_or_id) const {
  const std::string key(slug_or_id);
  if (auto it = by_slug_.find(key); it != by_slug_.end()) return &tenants_[it->second];
  return find_by_id(slug_or_id);
}

const Tenant* TenantDirectory::find_by_id(std::string_view id) const {
  std::string key(id);
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (auto it = by_id_.find(key); it != by_id_.end()) return &tenants_[it->second];
  return nullptr;
}

std::string TenantDirectory::slug_of(std::string_view id) const {
  const Tenant* tenant = find_by_id(id);
  return tenant ? tenant->slug : std::string(id);
}

}  // namespace vitals
