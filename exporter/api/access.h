#pragma once

#include <string_view>
#include <variant>

#include "api/api_context.h"
#include "http/request.h"
#include "http/router.h"

namespace vitals {

enum class Need { kRead, kWriteData, kWriteAlerts, kAdminister };

struct TenantAccess {
  Principal principal;
  const Tenant* tenant = nullptr;
};

// 401 without a known token.
std::variant<Principal, Response> authenticate(const Request& request, const ApiContext& ctx);

// The order of checks is deliberate: token (401), then tenant (404, whether it does not exist or
// the token does not list it, so existence never leaks), then role (403).
std::variant<TenantAccess, Response> authorize_tenant(const Request& request, const ApiContext& ctx,
                                                      std::string_view tenant_ref, Need need);

// For paths that name no tenant: the one the X-Tenant header names (slug or id), or without the
// header the token's only tenant. Checks in authorize_tenant's order (401, 404, 403); a token of
// several tenants that sends no X-Tenant gets 400 after those checks, since nothing leaks then.
std::variant<TenantAccess, Response> authorize_header_tenant(const Request& request,
                                                             const ApiContext& ctx, Need need);

bool role_allows(Role role, Need need);
Response forbidden_response();
Response tenant_not_found_response();
Response bad_parameter(std::string_view name, std::string_view message);

// 503 with Retry-After, for when the store cannot take writes now (disk full, locked, read-only).
Response store_unavailable_response();

// Wraps a handler that writes to the store: a temporary store failure becomes a 503 (nothing was
// written: every write is one transaction) instead of a 500.
Handler answering_503_when_store_unavailable(Handler handler);

}  // namespace vitals
