#include "tenancy/tenant_directory.h"

namespace vitals {

TenantDirectory::Generation::Generation(const std::vector<TenantConfig>& declared) {
  for (const auto& t : declared) {
    by_slug.emplace(t.slug, tenants.size());
    by_id.emplace(t.id, tenants.size());
    tenants.push_back({t.slug, t.id, t.name});
  }
}

TenantDirectory::TenantDirectory(const std::vector<TenantConfig>& tenants) {
  replace(tenants);
}

void TenantDirectory::replace(const std::vector<TenantConfig>& tenants) {
  std::lock_guard lock(replace_mutex_);
  generations_.push_back(std::make_unique<const Generation>(tenants));
  current_.store(generations_.back().get(), std::memory_order_release);
}

// One generation for the whole lookup: a reload between the slug and the id lookups must not
// mix two lists.
const Tenant* TenantDirectory::find(std::string_view slug_or_id) const {
  const Generation& g = current();
  if (auto it = g.by_slug.find(std::string(slug_or_id)); it != g.by_slug.end()) {
    return &g.tenants[it->second];
  }
  return find_by_id_in(g, slug_or_id);
}

const Tenant* TenantDirectory::find_by_id(std::string_view id) const {
  return find_by_id_in(current(), id);
}

const Tenant* TenantDirectory::find_by_id_in(const Generation& g, std::string_view id) {
  std::string key(id);
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (auto it = g.by_id.find(key); it != g.by_id.end()) return &g.tenants[it->second];
  return nullptr;
}

std::string TenantDirectory::slug_of(std::string_view id) const {
  const Tenant* tenant = find_by_id(id);
  return tenant ? tenant->slug : std::string(id);
}

}  // namespace vitals
