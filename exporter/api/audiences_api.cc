#include "api/audiences_api.h"

#include <spdlog/spdlog.h>

#include "api/access.h"
#include "api/request_body.h"
#include "audience/member_list.h"
#include "catalog/entity_kinds.h"
#include "core/bounded_json.h"
#include "core/time_format.h"
#include "http/http_server.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::int64_t kMaxSize = std::int64_t{1} << 53;

struct AudienceTarget {
  const Tenant* tenant;
  std::string audience_id;
};

// The tenant and audience of the path, for a caller allowed to write the tenant's data.
std::variant<AudienceTarget, Response> audience_of(Request& request, ApiContext& ctx) {
  auto access = authorize_tenant(request, ctx, request.path_params["tenant"], Need::kWriteData);
  if (auto* error = std::get_if<Response>(&access)) return std::move(*error);
  const std::string& audience_id = request.path_params["audience_id"];
  if (!is_valid_entity_id(audience_id)) {
    return Response::json(
        400, error_body("invalid_id", "audience id must match [A-Za-z0-9_.:-]{1,128}"));
  }
  return AudienceTarget{std::get<TenantAccess>(access).tenant, audience_id};
}

// One observation: {"time"?: RFC 3339, "size": integer >= 0}.
std::optional<std::string> read_observation(const Json& item, TimeMs now, TimeMs retention,
                                            SizeObservation& out) {
  if (!item.is_object()) return "each observation must be an object with size and time";
  const auto size = item.find("size");
  if (size == item.end() || !size->is_number_integer() || size->get<std::int64_t>() < 0 ||
      size->get<std::int64_t>() > kMaxSize) {
    return "size: must be an integer from 0 to 2^53";
  }
  out.size = size->get<std::int64_t>();
  out.time = now;
  const auto time = item.find("time");
  if (time == item.end() || time->is_null()) return std::nullopt;
  auto parsed = time->is_string() ? parse_rfc3339(time->get<std::string>()) : std::nullopt;
  if (!parsed) return "time: must be an RFC 3339 date-time with a zone";
  if (*parsed > now + 5 * kMsPerMinute) return "time: is more than 5 minutes in the future";
  if (*parsed < now - retention) return "time: is older than the retention period";
  out.time = *parsed;
  return std::nullopt;
}

Response record_sizes(Request& request, ApiContext& ctx) {
  auto target = audience_of(request, ctx);
  if (auto* error = std::get_if<Response>(&target)) return std::move(*error);
  const auto& [tenant, audience_id] = std::get<AudienceTarget>(target);
  Json body;
  const JsonParse parsed = parse_bounded_json(request.body, body);
  if (parsed == JsonParse::kTooDeep) {
    return Response::json(400, error_body("invalid_sizes", "the body " + too_deep_text()));
  }
  if (parsed != JsonParse::kOk || !(body.is_object() || (body.is_array() && !body.empty()))) {
    return Response::json(
        400, error_body("invalid_sizes",
                        "the body must be an observation or a non-empty array of them"));
  }
  std::vector<SizeObservation> observations;
  const TimeMs now = ctx.clock.now_ms();
  for (const Json& item : body.is_array() ? body : Json::array({body})) {
    SizeObservation o;
    if (auto problem = read_observation(item, now, ctx.config.storage.retention, o)) {
      return Response::json(
          400,
          error_body("invalid_sizes",
                     "observation " + std::to_string(observations.size() + 1) + ": " + *problem));
    }
    observations.push_back(o);
  }
  ctx.audiences.add_sizes(tenant->id, audience_id, observations);
  return Response::json(200, Json{{"recorded", observations.size()}});
}

Response invalid_members(const MemberList& list) {
  Json errors = Json::array();
  for (const auto& p : list.problems)
    errors.push_back({{"line", p.position}, {"message", p.message}});
  return Response::json(400,
                        Json{{"error", "invalid_members"},
                             {"message", std::to_string(list.problem_count) +
                                             " problem(s) in the member list; nothing was changed"},
                             {"errors", errors}});
}

const char* changed_field(MemberStore::Change change) {
  switch (change) {
    case MemberStore::Change::kReplace:
      return "stored";
    case MemberStore::Change::kAdd:
      return "added";
    case MemberStore::Change::kRemove:
      return "removed";
  }
  return "changed";
}

// PUT replaces the audience's members, POST adds to them, DELETE removes the listed ones.
Response change_members(Request& request, ApiContext& ctx, MemberStore::Change change) {
  auto target = audience_of(request, ctx);
  if (auto* error = std::get_if<Response>(&target)) return std::move(*error);
  const auto& [tenant, audience_id] = std::get<AudienceTarget>(target);
  const auto format = body_format(request.header("content-type"));
  if (!format) return unsupported_media_type();
  std::string body;
  std::optional<Response> decode_error;
  if (!decode_body(request, ctx.config.server.max_body_bytes, body, decode_error)) {
    return std::move(*decode_error);
  }
  MemberList list = parse_member_list(body, *format);
  body = {};
  if (list.problem_count > 0) return invalid_members(list);
  if (change == MemberStore::Change::kRemove && list.members.empty()) {
    return Response::json(
        400, error_body("invalid_members", "DELETE needs the member ids to remove in its body"));
  }
  try {
    const auto result = ctx.members.change(tenant->id, audience_id, change, std::move(list.members),
                                           ctx.clock.now_ms());
    return Response::json(200, Json{{"audience_id", audience_id},
                                    {"members", result.members},
                                    {changed_field(change), result.changed}});
  } catch (const MemberNumbersExhausted& e) {
    return Response::json(400, error_body("too_many_members", e.what()));
  }
}

Handler members_handler(ApiContext& ctx, MemberStore::Change change) {
  return answering_503_when_store_unavailable(
      [&ctx, change](Request& request) { return change_members(request, ctx, change); });
}

}  // namespace

void register_audiences_api(Router& router, ApiContext& ctx) {
  const std::string base = "/api/v1/tenants/{tenant}/audiences/{audience_id}/";
  router.add("POST", base + "sizes", "audience_sizes",
             answering_503_when_store_unavailable(
                 [&ctx](Request& request) { return record_sizes(request, ctx); }));
  router.add("PUT", base + "members", "audience_members",
             members_handler(ctx, MemberStore::Change::kReplace));
  router.add("POST", base + "members", "audience_members",
             members_handler(ctx, MemberStore::Change::kAdd));
  router.add("DELETE", base + "members", "audience_members",
             members_handler(ctx, MemberStore::Change::kRemove));
}

}  // namespace vitals
