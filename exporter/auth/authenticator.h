#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/role.h"
#include "config/config.h"
#include "tenancy/tenant_directory.h"

namespace vitals {

// Who is calling, once a token has been recognised.
struct Principal {
  Role role = Role::kViewer;
  bool all_tenants = false;
  std::vector<std::string> tenant_ids;
  std::optional<std::string> user;

  bool may_access(const Tenant& tenant) const;
  // The tenants this caller may see, in directory order.
  std::vector<const Tenant*> visible_tenants(const TenantDirectory& directory) const;
};

class Authenticator {
 public:
  Authenticator(const std::vector<TokenConfig>& tokens, const TenantDirectory& directory);

  // Compares the presented token against every configured one, in constant time per entry and
  // without stopping early, so that timing reveals neither which token matched nor how much.
  std::optional<Principal> authenticate(std::string_view presented_token) const;

  // Swaps in a new token table (a configuration reload); requests in flight finish with the
  // table they started with.
  void replace(const std::vector<TokenConfig>& tokens, const TenantDirectory& directory);

 private:
  struct Entry {
    Sha256Digest hash;
    Principal principal;
  };
  using Table = std::vector<Entry>;
  static std::shared_ptr<const Table> table_of(const std::vector<TokenConfig>& tokens,
                                               const TenantDirectory& directory);
  std::atomic<std::shared_ptr<const Table>> entries_;
};

// The token of a request: "Authorization: Bearer <token>" or "x-api-key: <token>".
std::optional<std::string_view> presented_token(std::string_view authorization_header,
                                                std::string_view api_key_header);

}  // namespace vitals
