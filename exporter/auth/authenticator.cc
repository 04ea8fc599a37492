#include "auth/authenticator.h"

#include <algorithm>

#include "core/header_quality.h"

namespace vitals {

bool Principal::may_access(const Tenant& tenant) const {
  return all_tenants ||
         std::find(tenant_ids.begin(), tenant_ids.end(), tenant.id) != tenant_ids.end();
}

std::vector<const Tenant*> Principal::visible_tenants(const TenantDirectory& directory) const {
  std::vector<const Tenant*> out;
  for (const auto& t : directory.all()) {
    if (may_access(t)) out.push_back(&t);
  }
  return out;
}

Authenticator::Authenticator(const std::vector<TokenConfig>& tokens,
                             const TenantDirectory& directory)
    : entries_(table_of(tokens, directory)) {}

void Authenticator::replace(const std::vector<TokenConfig>& tokens,
                            const TenantDirectory& directory) {
  entries_.store(table_of(tokens, directory));
}

std::shared_ptr<const Authenticator::Table> Authenticator::table_of(
    const std::vector<TokenConfig>& tokens, const TenantDirectory& directory) {
  auto table = std::make_shared<Table>();
  for (const auto& token : tokens) {
    Entry entry{token.token_hash, {}};
    entry.principal.role = token.role;
    entry.principal.all_tenants = token.all_tenants;
    entry.principal.user = token.user;
    for (const auto& slug : token.tenants) {
      if (const Tenant* t = directory.find(slug)) entry.principal.tenant_ids.push_back(t->id);
    }
    table->push_back(std::move(entry));
  }
  return table;
}

std::optional<Principal> Authenticator::authenticate(std::string_view presented) const {
  if (presented.empty()) return std::nullopt;
  const Sha256Digest digest = sha256(presented);
  const auto entries = entries_.load();
  const Entry* match = nullptr;
  for (const auto& entry : *entries) {
    if (constant_time_equal(entry.hash, digest)) match = &entry;
  }
  if (!match) return std::nullopt;
  return match->principal;
}

std::optional<std::string_view> presented_token(std::string_view authorization,
                                                std::string_view api_key) {
  authorization = trim_whitespace(authorization);
  if (authorization.size() > 7) {
    std::string scheme(authorization.substr(0, 7));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), ::tolower);
    if (scheme == "bearer ") {
      auto token = trim_whitespace(authorization.substr(7));
      if (!token.empty()) return token;
    }
  }
  api_key = trim_whitespace(api_key);
  if (!api_key.empty()) return api_key;
  return std::nullopt;
}

}  // namespace vitals
