#include "api/system_health_api.h"

#include "api/access.h"
#include "api/json_fields.h"
#include "api/json_values.h"
#include "core/bounded_json.h"
#include "core/time_format.h"
#include "http/http_server.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

// Bounds on what POST may store: enough for any real alert, small enough that a page of 200
// stays a few megabytes at worst.
constexpr size_t kMaxSourceBytes = 64;
constexpr size_t kMaxTitleBytes = 256;
constexpr size_t kMaxMessageBytes = 4096;
constexpr size_t kMaxLinkBytes = 2048;
constexpr size_t kMaxUserIdBytes = 256;
constexpr size_t kMaxMetadataBytes = 16 * 1024;
constexpr size_t kMaxSourceFilters = 100;
constexpr long long kMaxLimit = 200;
constexpr long long kDefaultLimit = 50;

Json names(std::span<const std::string_view> list) {
  Json out = Json::array();
  for (auto name : list) out.push_back(name);
  return out;
}

Json alert_json(const FeedAlert& alert, bool read) {
  return {{"id", alert.id},
          {"tenantId", alert.tenant_id},
          {"userId", text_or_null(alert.user_id)},
          {"severity", alert.severity},
          {"source", alert.source},
          {"title", alert.title},
          {"message", alert.message},
          {"link", text_or_null(alert.link)},
          {"metadata", alert.metadata},
          {"pinned", alert.pinned},
          {"createdAt", format_rfc3339_ms(alert.created_at)},
          {"read", read}};
}

Json page_json(const FeedPage& page, size_t limit) {
  Json data = Json::array();
  for (const auto& row : page.rows) data.push_back(alert_json(row.alert, row.read));
  const Json cursor = page.rows.empty() ? Json(nullptr) : Json(page.rows.back().alert.id);
  return {{"data", std::move(data)},
          {"pagination", {{"limit", limit}, {"cursor", cursor}, {"hasMore", page.has_more}}},
          {"sources", names(kFeedSources)},
          {"severities", names(kFeedSeverities)}};
}

// Each reader below fills part of the query from GET's parameters, or answers the 400 naming the
// bad parameter.
std::optional<Response> read_paging(const Request& request, FeedQuery& query) {
  const auto limit_text = request.query_param("limit");
  const auto limit = limit_text ? parse_bounded_int(*limit_text, 1, kMaxLimit)
                                : std::optional<long long>(kDefaultLimit);
  if (!limit) return bad_parameter("limit", "must be an integer from 1 to 200");
  query.limit = static_cast<size_t>(*limit);
  // An empty cursor is the first page, as clients often send it.
  const std::string cursor = request.query_param("cursor").value_or("");
  if (cursor.empty()) return std::nullopt;
  if (!is_alert_id(cursor)) {
    return bad_parameter("cursor", "must be an alert id as returned in pagination.cursor");
  }
  query.before_id = cursor;
  return std::nullopt;
}

std::optional<Response> read_time_and_state(const Request& request, FeedQuery& query) {
  const std::string unread = request.query_param("unreadOnly").value_or("false");
  if (unread != "true" && unread != "false") {
    return bad_parameter("unreadOnly", "must be true or false");
  }
  query.unread_only = unread == "true";
  if (auto since = request.query_param("since")) {
    query.created_after = parse_rfc3339(*since);
    if (!query.created_after) return bad_parameter("since", "must be an RFC 3339 date-time");
  }
  return std::nullopt;
}

std::optional<Response> read_value_filters(const Request& request, FeedQuery& query) {
  query.severities = split_csv(request.query_param("severity").value_or(""));
  for (const auto& severity : query.severities) {
    if (!is_feed_severity(severity)) {
      return bad_parameter("severity",
                           "'" + severity + "' is not one of " + comma_separated(kFeedSeverities));
    }
  }
  query.sources = split_csv(request.query_param("source").value_or(""));
  if (query.sources.size() > kMaxSourceFilters) {
    return bad_parameter("source", "may list at most 100 sources");
  }
  return std::nullopt;
}

Response list(Request& request, ApiContext& ctx, const TenantAccess& access) {
  FeedQuery query;
  query.tenant_id = access.tenant->id;
  query.user_id = access.principal.user;
  if (auto error = read_feed_query(request, query)) return std::move(*error);
  return Response::json(200, page_json(ctx.feed_store.page(query), query.limit));
}

// The alert a POST body describes, or the problem with it.
std::variant<FeedAlert, std::string> alert_from_body(const std::string& body) {
  nlohmann::json json;
  const JsonParse parsed = parse_bounded_json(body, json);
  if (parsed == JsonParse::kTooDeep) return "the body " + too_deep_text();
  if (parsed != JsonParse::kOk || !json.is_object()) return "the body must be a JSON object";
  JsonFields fields(json);
  FeedAlert alert;
  alert.severity = fields.choice("severity", kFeedSeverities);
  alert.source = fields.text("source", kMaxSourceBytes);
  alert.title = fields.text("title", kMaxTitleBytes);
  alert.message = fields.text("message", kMaxMessageBytes);
  alert.link = fields.nullable_text("link", kMaxLinkBytes);
  alert.metadata = fields.object("metadata", kMaxMetadataBytes);
  alert.pinned = fields.flag("pinned");
  alert.user_id = fields.nullable_text("userId", kMaxUserIdBytes);
  if (fields.problem()) return *fields.problem();
  return alert;
}

Response publish(Request& request, ApiContext& ctx, const TenantAccess& access) {
  auto parsed = alert_from_body(request.body);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    return Response::json(400, error_body("invalid_alert", *problem));
  }
  FeedAlert alert = std::get<FeedAlert>(std::move(parsed));
  alert.tenant_id = access.tenant->id;
  alert.created_at = ctx.clock.now_ms();
  return Response::json(201, alert_json(ctx.feed.publish(std::move(alert)).alert, false));
}

Response alert_not_found(const Request& request) {
  return Response::json(404,
                        error_body("not_found", "no alert '" + request.path_params.at("id") + "'"));
}

// Read state belongs to a user; an API-key caller has none to change.
std::optional<Response> refuse_without_user(const TenantAccess& access) {
  if (access.principal.user) return std::nullopt;
  return Response::json(
      403, error_body("forbidden", "read state is per user and this token has no user"));
}

// One alert, as a row of the list: an alert addressed to another user, or dismissed, is 404.
Response get_one(Request& request, ApiContext& ctx, const TenantAccess& access) {
  const std::string& id = request.path_params.at("id");
  const auto alert = ctx.feed_store.find(access.tenant->id, id);
  const auto& user = access.principal.user;
  if (!alert || (alert->user_id && alert->user_id != user)) return alert_not_found(request);
  const bool read = user && ctx.feed_store.is_read(access.tenant->id, *user, id);
  return Response::json(200, alert_json(*alert, read));
}

Response mark_read(Request& request, ApiContext& ctx, const TenantAccess& access) {
  if (auto refused = refuse_without_user(access)) return std::move(*refused);
  if (!ctx.feed_store.mark_read(access.tenant->id, *access.principal.user,
                                request.path_params.at("id"), ctx.clock.now_ms())) {
    return alert_not_found(request);
  }
  return Response::no_content();
}

Response mark_all_read(Request&, ApiContext& ctx, const TenantAccess& access) {
  if (auto refused = refuse_without_user(access)) return std::move(*refused);
  const auto updated =
      ctx.feed_store.mark_all_read(access.tenant->id, *access.principal.user, ctx.clock.now_ms());
  return Response::json(200, Json{{"updated", updated}});
}

Response dismiss(Request& request, ApiContext& ctx, const TenantAccess& access) {
  if (!ctx.feed_store.dismiss(access.tenant->id, access.principal.user,
                              request.path_params.at("id"), ctx.clock.now_ms())) {
    return alert_not_found(request);
  }
  return Response::no_content();
}

using Action = Response (*)(Request&, ApiContext&, const TenantAccess&);

Handler feed_handler(ApiContext& ctx, Need need, Action action) {
  return [&ctx, need, action](Request& request) -> Response {
    auto access = authorize_header_tenant(request, ctx, need);
    if (auto* error = std::get_if<Response>(&access)) return std::move(*error);
    return action(request, ctx, std::get<TenantAccess>(access));
  };
}

Handler feed_writer(ApiContext& ctx, Need need, Action action) {
  return answering_503_when_store_unavailable(feed_handler(ctx, need, action));
}

}  // namespace

std::optional<Response> read_feed_query(const Request& request, FeedQuery& query) {
  for (auto reader : {read_paging, read_time_and_state, read_value_filters}) {
    if (auto error = reader(request, query)) return error;
  }
  return std::nullopt;
}

void register_system_health_api(Router& router, ApiContext& ctx) {
  const std::string base = "/api/v1/system-health";
  router.add("GET", base, "system_health_list", feed_handler(ctx, Need::kRead, list));
  router.add("POST", base, "system_health_publish", feed_writer(ctx, Need::kWriteAlerts, publish));
  router.add("POST", base + "/read-all", "system_health_read_all",
             feed_writer(ctx, Need::kRead, mark_all_read));
  router.add("GET", base + "/{id}", "system_health_get", feed_handler(ctx, Need::kRead, get_one));
  router.add("PATCH", base + "/{id}/read", "system_health_read",
             feed_writer(ctx, Need::kRead, mark_read));
  router.add("DELETE", base + "/{id}", "system_health_dismiss",
             feed_writer(ctx, Need::kRead, dismiss));
}

}  // namespace vitals
