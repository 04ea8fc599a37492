#include "api/access.h"

#include <spdlog/spdlog.h>

#include "http/http_server.h"
#include "store/sqlite.h"

namespace vitals {

bool role_allows(Role role, Need need) {
  switch (need) {
    case Need::kRead:
      return can_read(role);
    case Need::kWriteData:
      return can_write_data(role);
    case Need::kWriteAlerts:
      return can_write_alerts(role);
    case Need::kAdminister:
      return can_administer(role);
  }
  return false;
}

Response forbidden_response() {
  return Response::json(403, error_body("forbidden", "this token's role may not make this call"));
}

Response tenant_not_found_response() {
  return Response::json(404, error_body("not_found", "no such tenant"));
}

Response bad_parameter(std::string_view name, std::string_view message) {
  return Response::json(
      400, error_body("invalid_parameter", std::string(name) + ": " + std::string(message)));
}

Response store_unavailable_response() {
  Response r = Response::json(503, error_body("unavailable", "the store cannot take writes now"));
  r.headers.emplace_back("Retry-After", "5");
  return r;
}

Handler answering_503_when_store_unavailable(Handler handler) {
  return [handler = std::move(handler)](Request& request) -> Response {
    try {
      return handler(request);
    } catch (const sqlite::Error& e) {
      if (!e.is_unavailable()) throw;
      spdlog::warn("{} {}: store unavailable: {}", request.method, request.path, e.what());
      return store_unavailable_response();
    }
  };
}

std::variant<Principal, Response> authenticate(const Request& request, const ApiContext& ctx) {
  auto token = presented_token(request.header("authorization"), request.header("x-api-key"));
  std::optional<Principal> principal;
  if (token) principal = ctx.authenticator.authenticate(*token);
  if (!principal) {
    Response r = Response::json(
        401, error_body("unauthorized",
                        "send a valid token as 'Authorization: Bearer <token>' or 'x-api-key'"));
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  return *principal;
}

std::variant<TenantAccess, Response> authorize_tenant(const Request& request, const ApiContext& ctx,
                                                      std::string_view tenant_ref, Need need) {
  auto who = authenticate(request, ctx);
  if (auto* error = std::get_if<Response>(&who)) return std::move(*error);
  Principal principal = std::get<Principal>(std::move(who));
  const Tenant* tenant = ctx.tenants.find(tenant_ref);
  if (!tenant || !principal.may_access(*tenant)) return tenant_not_found_response();
  if (!role_allows(principal.role, need)) return forbidden_response();
  return TenantAccess{std::move(principal), tenant};
}

std::variant<TenantAccess, Response> authorize_header_tenant(const Request& request,
                                                             const ApiContext& ctx, Need need) {
  const std::string_view named = request.header("x-tenant");
  if (!named.empty()) return authorize_tenant(request, ctx, named, need);
  auto who = authenticate(request, ctx);
  if (auto* error = std::get_if<Response>(&who)) return std::move(*error);
  Principal principal = std::get<Principal>(std::move(who));
  const auto tenants = principal.visible_tenants(ctx.tenants);
  if (tenants.empty()) return tenant_not_found_response();
  if (!role_allows(principal.role, need)) return forbidden_response();
  if (tenants.size() > 1) {
    return Response::json(
        400, error_body("tenant_required",
                        "this token may access several tenants: name one in the X-Tenant header "
                        "(slug or id)"));
  }
  return TenantAccess{std::move(principal), tenants.front()};
}

}  // namespace vitals
