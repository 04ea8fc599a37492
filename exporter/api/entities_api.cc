#include "api/entities_api.h"

#include <limits>

#include "api/access.h"
#include "api/json_values.h"
#include "catalog/entity_kinds.h"
#include "core/bounded_json.h"
#include "http/http_server.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

constexpr size_t kMaxNameBytes = 256;
constexpr size_t kMaxAttributesBytes = 64 * 1024;

Response invalid(std::string_view message) {
  return Response::json(400, error_body("invalid_entity", message));
}

// Checks the {kind} and {id} path segments; fills `error` when they are not acceptable.
bool check_path(Request& request, bool with_id, std::optional<Response>& error) {
  const std::string& kind = request.path_params["kind"];
  if (!is_entity_kind(kind)) {
    std::string kinds;
    for (const auto& k : entity_kinds()) kinds += (kinds.empty() ? "" : ", ") + k;
    error = Response::json(400, error_body("invalid_kind", "kind must be one of " + kinds));
    return false;
  }
  if (with_id && !is_valid_entity_id(request.path_params["id"])) {
    error = Response::json(400, error_body("invalid_id", "id must match [A-Za-z0-9_.:-]{1,128}"));
    return false;
  }
  return true;
}

// Whether the attributes that vitals reads from this kind of entity have the types it reads.
std::optional<Response> check_used_attributes(std::string_view kind, const Json& attributes) {
  for (const UsedAttribute& used : used_attributes(kind)) {
    const auto value = attributes.find(used.name);
    if (value == attributes.end() || value->is_null()) continue;
    const std::string field = "attributes." + std::string(used.name);
    switch (used.value) {
      case AttributeValue::kString:
        if (!value->is_string()) return invalid(field + ": must be a string");
        break;
      case AttributeValue::kNonNegativeInteger:
        if (!value->is_number_unsigned() ||
            value->get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()}) {
          return invalid(field + ": must be a non-negative integer");
        }
        break;
    }
  }
  return std::nullopt;
}

// Parses a PUT body into `entity`; returns the 400 to send when it is not acceptable.
std::optional<Response> read_body(const Request& request, Entity& entity) {
  Json body;
  const JsonParse parsed = parse_bounded_json(request.body, body);
  if (parsed == JsonParse::kTooDeep) return invalid("the body " + too_deep_text());
  if (parsed != JsonParse::kOk || !body.is_object())
    return invalid("the body must be a JSON object");
  const auto name = body.find("name");
  if (name == body.end() || !name->is_string() || name->get<std::string>().empty() ||
      name->get<std::string>().size() > kMaxNameBytes) {
    return invalid("name: must be a string of 1 to 256 bytes");
  }
  const auto status = body.find("status");
  if (status == body.end() || !status->is_string()) return invalid("status: must be a string");
  if (auto problem = entity_status_problem(entity.kind, status->get<std::string>())) {
    return invalid("status: " + *problem);
  }
  const auto attributes = body.find("attributes");
  if (attributes != body.end() && !attributes->is_null() && !attributes->is_object()) {
    return invalid("attributes: must be an object");
  }
  if (attributes != body.end() && attributes->is_object()) {
    if (auto error = check_used_attributes(entity.kind, *attributes)) return error;
  }
  entity.name = name->get<std::string>();
  entity.status = status->get<std::string>();
  entity.attributes_json =
      attributes == body.end() || attributes->is_null() ? "{}" : attributes->dump();
  if (entity.attributes_json.size() > kMaxAttributesBytes) {
    return invalid("attributes: must be at most 65536 bytes of JSON");
  }
  return std::nullopt;
}

class EntitiesEndpoint {
 public:
  explicit EntitiesEndpoint(ApiContext& ctx) : ctx_(ctx) {}

  Response put(Request& request) {
    const Tenant* tenant = nullptr;
    if (auto error = access(request, Need::kWriteData, true, tenant)) return std::move(*error);
    Entity entity{tenant->id, request.path_params["kind"], request.path_params["id"], "", "", "", 0,
                  0};
    if (auto error = read_body(request, entity)) return std::move(*error);
    const auto [created, stored] = ctx_.entities.put(entity, ctx_.clock.now_ms());
    return Response::json(created ? 201 : 200, entity_json(stored));
  }

  Response get(Request& request) {
    const Tenant* tenant = nullptr;
    if (auto error = access(request, Need::kRead, true, tenant)) return std::move(*error);
    auto entity =
        ctx_.entities.get(tenant->id, request.path_params["kind"], request.path_params["id"]);
    if (!entity) return not_found(request);
    return Response::json(200, entity_json(*entity));
  }

  Response list(Request& request) {
    const Tenant* tenant = nullptr;
    if (auto error = access(request, Need::kRead, false, tenant)) return std::move(*error);
    Json data = Json::array();
    for (const auto& e : ctx_.entities.list(tenant->id, request.path_params["kind"])) {
      data.push_back(entity_json(e));
    }
    return Response::json(200, Json{{"data", data}});
  }

  Response remove(Request& request) {
    const Tenant* tenant = nullptr;
    if (auto error = access(request, Need::kWriteData, true, tenant)) return std::move(*error);
    if (!ctx_.entities.remove(tenant->id, request.path_params["kind"], request.path_params["id"])) {
      return not_found(request);
    }
    return Response::no_content();
  }

 private:
  std::optional<Response> access(Request& request, Need need, bool with_id, const Tenant*& tenant) {
    auto granted = authorize_tenant(request, ctx_, request.path_params["tenant"], need);
    if (auto* error = std::get_if<Response>(&granted)) return std::move(*error);
    std::optional<Response> error;
    if (!check_path(request, with_id, error)) return error;
    tenant = std::get<TenantAccess>(granted).tenant;
    return std::nullopt;
  }

  static Response not_found(Request& request) {
    return Response::json(
        404, error_body("not_found", "no " + request.path_params["kind"] + " with id '" +
                                         request.path_params["id"] + "'"));
  }

  ApiContext& ctx_;
};

}  // namespace

Json entity_json(const Entity& e) {
  return {{"kind", e.kind},
          {"id", e.id},
          {"name", e.name},
          {"status", e.status},
          {"attributes", Json::parse(e.attributes_json, nullptr, false)},
          {"created_at", time_or_null(e.created)},
          {"updated_at", time_or_null(e.updated)}};
}

void register_entities_api(Router& router, ApiContext& ctx) {
  auto endpoint = std::make_shared<EntitiesEndpoint>(ctx);
  const std::string one = "/api/v1/tenants/{tenant}/entities/{kind}/{id}";
  router.add("PUT", one, "entity_put", answering_503_when_store_unavailable([endpoint](Request& r) {
               return endpoint->put(r);
             }));
  router.add("GET", one, "entity_get", [endpoint](Request& r) { return endpoint->get(r); });
  router.add(
      "DELETE", one, "entity_delete",
      answering_503_when_store_unavailable([endpoint](Request& r) { return endpoint->remove(r); }));
  router.add("GET", "/api/v1/tenants/{tenant}/entities/{kind}", "entity_list",
             [endpoint](Request& r) { return endpoint->list(r); });
}

}  // namespace vitals
