#pragma once

#include <atomic>
#include <memory>
#include <mutex>
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
//
// A reload replaces the list while requests, rule cycles and scrapes hold Tenant pointers and
// references to all(). So each list is an immutable generation that is kept for the life of
// the process: readers take the current one without a lock, and what they took stays valid
// however many reloads follow. A reload costs a few hundred bytes per declared tenant.
class TenantDirectory {
 public:
  explicit TenantDirectory(const std::vector<TenantConfig>& tenants);
  TenantDirectory(const TenantDirectory&) = delete;
  TenantDirectory& operator=(const TenantDirectory&) = delete;

  // Makes `tenants` the declared ones; lookups that start afterwards see only them.
  void replace(const std::vector<TenantConfig>& tenants);

  const Tenant* find(std::string_view slug_or_id) const;
  const Tenant* find_by_id(std::string_view id) const;
  // What metrics label a tenant with: its slug, or the id itself for a tenant no longer declared.
  std::string slug_of(std::string_view id) const;
  const std::vector<Tenant>& all() const { return current().tenants; }

 private:
  struct Generation {
    explicit Generation(const std::vector<TenantConfig>& tenants);
    std::vector<Tenant> tenants;
    std::unordered_map<std::string, size_t> by_slug;
    std::unordered_map<std::string, size_t> by_id;
  };
  const Generation& current() const { return *current_.load(std::memory_order_acquire); }
  static const Tenant* find_by_id_in(const Generation& g, std::string_view id);

  std::mutex replace_mutex_;
  std::vector<std::unique_ptr<const Generation>> generations_;  // every one, oldest first
  std::atomic<const Generation*> current_ = nullptr;
};

}  // namespace vitals
