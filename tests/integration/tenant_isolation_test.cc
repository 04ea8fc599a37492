// Tenant isolation (issue 10): every endpoint of the served OpenAPI document × every role × the
// caller's own tenant, another tenant, an unknown tenant and (where a path names an object)
// another tenant's object under the caller's own tenant. SPEC §2 decides each cell: no token is
// 401; another tenant answers exactly like an unknown one (404, or a per-line "unknown tenant" on
// ingest); a role too low is 403. No body may carry a marker of the other tenant's data, and the
// other tenant's data is unchanged at the end.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "vitals_process.h"

namespace vitals::testing {
namespace {

// Tokens each scoped to one tenant, one per role (examples/vitals.toml's tokens hold several
// tenants or all of them, which leaves no "other" tenant to try).
const std::string kTokens = R"(
[[tokens]]
token = "iso-ingest"
role = "ingest"
tenants = ["acme"]

[[tokens]]
token = "iso-viewer"
role = "viewer"
tenants = ["acme"]
user = "u_iso_viewer"

[[tokens]]
token = "iso-editor"
role = "editor"
tenants = ["acme"]
user = "u_iso_editor"

[[tokens]]
token = "iso-admin"
role = "admin"
tenants = ["acme"]
user = "u_iso_admin"
)";

const std::string kAdminAll = "dev-admin-token";

enum class Need { kPublic, kRead, kWriteData, kWriteAlerts, kAdminister };
// Where a call names its tenant; it decides whether the tenant or the role is checked first.
enum class TenantBy { kNone, kPath, kHeader, kQuery, kBody };

struct Role {
  std::string name;
  std::string token;  // "" for no token at all
  std::string own;    // the one tenant the token holds
  std::string other;
  std::set<Need> may;
  bool has_user = true;
};

const std::vector<Role>& roles() {
  static const std::vector<Role> all = {
      {"no token", "", "acme", "globex", {}, false},
      {"ingest", "iso-ingest", "acme", "globex", {Need::kWriteData}, false},
      {"viewer", "iso-viewer", "acme", "globex", {Need::kRead}},
      {"editor",
       "iso-editor",
       "acme",
       "globex",
       {Need::kRead, Need::kWriteData, Need::kWriteAlerts}},
      {"admin",
       "iso-admin",
       "acme",
       "globex",
       {Need::kRead, Need::kWriteData, Need::kWriteAlerts, Need::kAdminister}},
      // The reverse direction, and an API-key caller (no user).
      {"globex API-key viewer", "dev-globex-viewer-key", "globex", "acme", {Need::kRead}, false},
  };
  return all;
}

enum class Column { kOwn, kOther, kUnknown, kForeignObject };

std::string column_name(Column c) {
  switch (c) {
    case Column::kOwn:
      return "own tenant";
    case Column::kOther:
      return "other tenant";
    case Column::kUnknown:
      return "unknown tenant";
    case Column::kForeignObject:
      return "own tenant, other tenant's object";
  }
  return "";
}

// What one cell calls: the tenant it names and the tenant whose objects its path addresses.
struct Target {
  std::string tenant;
  std::string objects;
};

struct Call {
  std::string path;
  HeaderList headers;
  std::string body;
};

class Matrix;
using MakeCall = std::function<Call(Matrix&, const Target&)>;

struct Operation {
  Need need;
  TenantBy by;
  std::vector<long> ok;     // the answers when the call is allowed
  bool addresses_object;    // a path id of some tenant's object (the fourth column)
  bool needs_user = false;  // read state: 403 for an API-key caller
  MakeCall make;
};

// Distinctive data, so that a leak shows as a marker in a body.
std::string marker(const std::string& tenant) {
  return tenant == "acme" ? "ACME-SECRET" : "GLOBEX-SECRET";
}
std::string prefix(const std::string& tenant) {
  return tenant == "acme" ? "ac" : "gx";
}

class Matrix {
 public:
  explicit Matrix(VitalsProcess& vitals) : vitals_(vitals) {}

  HttpResponse as_admin(std::string_view method, const std::string& path, const std::string& body,
                        HeaderList headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + kAdminAll);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return client_.request(method, vitals_.url(path), body, headers);
  }

  void seed(const std::string& tenant) {
    seed_events(tenant);
    seed_entities(tenant);
    seed_audiences(tenant);
    alert_ids_[tenant] = post_alert(tenant, marker(tenant) + "-alert");
    ensure_entity(tenant, prefix(tenant) + "_tmp");
    dismissable_alert(tenant);
  }

  void seed_events(const std::string& tenant) {
    const std::string m = marker(tenant), p = prefix(tenant);
    const auto event = [&tenant](const std::string& type, const std::string& key,
                                 const std::string& rest) {
      return R"({"tenant":")" + tenant + R"(","type":")" + type + R"(","key":")" + key + "\"," +
             rest + "}\n";
    };
    const std::string failed = R"("status":"error","error":{"message":")";
    ASSERT_EQ(vitals_
                  .ingest(event("webhook", m + "-key", failed + m + "-error\"}") +
                          event("warehouse_delivery", p + "_wc",
                                R"("status":"success","counts":{"evaluations":7})") +
                          event("sync_run", p + "_sync", failed + m + "-sync\"}"))
                  .status,
              200);
  }

  void seed_entities(const std::string& tenant) {
    const std::string m = marker(tenant), p = prefix(tenant);
    const std::vector<std::array<std::string, 3>> entities = {
        {"warehouse_connection", p + "_wc", "ok"}, {"source", p + "_src", "connected"},
        {"destination", p + "_dst", "connected"},  {"sync", p + "_sync", "active"},
        {"audience", p + "_aud1", "active"},       {"audience", p + "_aud2", "active"}};
    for (const auto& [kind, id, status] : entities) {
      const std::string attributes =
          kind == "sync"
              ? R"({"audience_id":")" + p + R"(_aud1","destination_id":")" + p + "_dst\"}"
              : R"({"note":")" + m + "-attr\"}";
      ASSERT_EQ(as_admin("PUT", "/api/v1/tenants/" + tenant + "/entities/" + kind + "/" + id,
                         R"({"name":")" + m + "-" + kind + R"(","status":")" + status +
                             R"(","attributes":)" + attributes + "}")
                    .status,
                201);
    }
  }

  void seed_audiences(const std::string& tenant) {
    const std::string m = marker(tenant), p = prefix(tenant);
    for (const std::string& audience : {p + "_aud1", p + "_aud2", m + "-aud"}) {
      const std::string base = "/api/v1/tenants/" + tenant + "/audiences/" + audience;
      ASSERT_EQ(as_admin("PUT", base + "/members", "[\"" + m + "-member\",\"shared\"]").status,
                200);
      ASSERT_EQ(as_admin("POST", base + "/sizes", R"({"size":2})").status, 200);
    }
  }

  std::string post_alert(const std::string& tenant, const std::string& title) {
    auto r = as_admin("POST", "/api/v1/system-health",
                      R"({"severity":"warning","source":"iso","title":")" + title +
                          R"(","message":"m","userId":null})",
                      {{"X-Tenant", tenant}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json()["id"].get<std::string>() : "";
  }

  const std::string& alert_id(const std::string& tenant) { return alert_ids_.at(tenant); }

  // The objects DELETE cells remove are created again only once they are gone, so that a cell
  // that wrongly removed the other tenant's shows as a changed state at the end.
  void ensure_entity(const std::string& tenant, const std::string& id) {
    const std::string path = "/api/v1/tenants/" + tenant + "/entities/source/" + id;
    if (as_admin("GET", path, "").status == 200) return;
    ASSERT_EQ(as_admin("PUT", path, R"({"name":"temporary","status":"connected"})").status, 201);
  }

  const std::string& dismissable_alert(const std::string& tenant) {
    std::string& id = dismissable_[tenant];
    if (id.empty() ||
        as_admin("GET", "/api/v1/system-health/" + id, "", {{"X-Tenant", tenant}}).status != 200) {
      id = post_alert(tenant, "to dismiss");
    }
    return id;
  }

  // Everything a tenant holds, as an admin of all tenants reads it.
  std::string state_of(const std::string& tenant) {
    std::ostringstream out;
    out << as_admin("GET", "/spaces/" + tenant + "/integration-health?days=400", "").body;
    for (const char* kind : {"warehouse_connection", "source", "destination", "sync", "audience"}) {
      out << as_admin("GET", "/api/v1/tenants/" + tenant + "/entities/" + kind, "").body;
    }
    const std::string p = prefix(tenant);
    out << as_admin("GET",
                    "/api/v1/workspaces/" + tenant +
                        "/insights/audience-overlap?audience_ids=" + p + "_aud1," + p + "_aud2",
                    "")
               .body;
    out << as_admin("GET", "/api/v1/workspaces/" + tenant + "/insights/audience-trends?days=400",
                    "")
               .body;
    out << as_admin("GET", "/api/v1/system-health?limit=200", "", {{"X-Tenant", tenant}}).body;
    return out.str();
  }

  VitalsProcess& vitals() { return vitals_; }

 private:
  VitalsProcess& vitals_;
  HttpClient client_;
  std::map<std::string, std::string> alert_ids_;
  std::map<std::string, std::string> dismissable_;
};

using PathOf = std::function<std::string(const Target&)>;

const HeaderList kJson = {{"Content-Type", "application/json"}};

// A call whose tenant is in its path.
Operation by_path(Need need, std::vector<long> ok, PathOf path, std::string body = "",
                  bool addresses_object = false) {
  return {need,
          TenantBy::kPath,
          std::move(ok),
          addresses_object,
          false,
          [path, body](Matrix&, const Target& t) {
            return Call{path(t), body.empty() ? HeaderList{} : kJson, body};
          }};
}

Operation reads(PathOf path) {
  return by_path(Need::kRead, {200}, std::move(path));
}

Operation reads_object(PathOf path) {
  return by_path(Need::kRead, {200}, std::move(path), "", true);
}

Operation writes(std::vector<long> ok, PathOf path, std::string body) {
  return by_path(Need::kWriteData, std::move(ok), std::move(path), std::move(body));
}

// A system-health call: the tenant is in X-Tenant, `id_of` names the alert (if any).
Operation feed_call(Need need, long ok, std::string method_path, bool needs_user,
                    std::function<std::string(Matrix&, const Target&)> id_of = nullptr) {
  const std::string body = need == Need::kWriteAlerts
                               ? R"({"severity":"info","source":"iso","title":"t","message":"m"})"
                               : "";
  return {need,
          TenantBy::kHeader,
          {ok},
          id_of != nullptr,
          needs_user,
          [method_path, id_of, body](Matrix& m, const Target& t) {
            std::string path = method_path;
            if (id_of) path.replace(path.find("{id}"), 4, id_of(m, t));
            return Call{path, {{"X-Tenant", t.tenant}, {"Content-Type", "application/json"}}, body};
          }};
}

Operation public_get(const std::string& path) {
  return {Need::kPublic, TenantBy::kNone,
          {200},         false,
          false,         [path](Matrix&, const Target&) { return Call{path, {}, ""}; }};
}

std::string entity_path(const Target& t, const std::string& id) {
  return "/api/v1/tenants/" + t.tenant + "/entities/source/" + prefix(t.objects) + id;
}

std::string audience_path(const Target& t, const std::string& what) {
  return "/api/v1/tenants/" + t.tenant + "/audiences/" + prefix(t.objects) + "_aud1/" + what;
}

std::string insights_path(const Target& t, const std::string& view) {
  return "/api/v1/workspaces/" + t.tenant + "/insights/" + view;
}

// Ingest: the tenant is in each event.
Operation ingest() {
  return {Need::kWriteData, TenantBy::kBody, {200}, false, false, [](Matrix&, const Target& t) {
            return Call{"/api/v1/events",
                        {{"Content-Type", "application/x-ndjson"}},
                        R"({"tenant":")" + t.tenant + R"(","type":"webhook","status":"success"})"};
          }};
}

Operation dashboard() {
  return {Need::kRead, TenantBy::kQuery, {200}, false, false, [](Matrix&, const Target& t) {
            return Call{
                "/v1/analytics/integrations/dashboard?granularity=day"
                "&start_date=2026-01-01&end_date=2026-12-31&slug=" +
                    t.tenant,
                {},
                ""};
          }};
}

Operation delete_entity() {
  return {Need::kWriteData, TenantBy::kPath, {204}, true, false, [](Matrix& m, const Target& t) {
            m.ensure_entity(t.objects, prefix(t.objects) + "_tmp");
            return Call{entity_path(t, "_tmp"), {}, ""};
          }};
}

Operation reload() {
  return {Need::kAdminister, TenantBy::kNone, {200}, false, false, [](Matrix&, const Target&) {
            return Call{"/-/reload", {}, ""};
          }};
}

// One entry per operation of the OpenAPI document, keyed "METHOD /path" as the document writes it.
std::map<std::string, Operation> operations() {
  const std::string warehouse =
      "GET /api/v1/organisations/{org}/integrations/warehouse-connections/{id}/telemetry/";
  const std::string feed = "/api/v1/system-health";
  const auto seeded_alert = [](Matrix& m, const Target& t) { return m.alert_id(t.objects); };
  const auto fresh_alert = [](Matrix& m, const Target& t) {
    return m.dismissable_alert(t.objects);
  };
  const std::string members = "[\"shared\"]";
  return {
      {"POST /api/v1/events", ingest()},
      {"GET /spaces/{slug}/integration-health",
       reads([](const Target& t) { return "/spaces/" + t.tenant + "/integration-health"; })},
      {"GET /metrics", public_get("/metrics")},
      {"GET /-/healthy", public_get("/-/healthy")},
      {"GET /-/ready", public_get("/-/ready")},
      {"GET /openapi.json", public_get("/openapi.json")},
      {"GET /v1/analytics/integrations/dashboard", dashboard()},
      {"PUT /api/v1/tenants/{tenant}/entities/{kind}/{id}",
       writes(
           {200, 201}, [](const Target& t) { return entity_path(t, "_put"); },
           R"({"name":"written","status":"connected"})")},
      {"GET /api/v1/tenants/{tenant}/entities/{kind}/{id}",
       reads_object([](const Target& t) { return entity_path(t, "_src"); })},
      {"DELETE /api/v1/tenants/{tenant}/entities/{kind}/{id}", delete_entity()},
      {"GET /api/v1/tenants/{tenant}/entities/{kind}",
       reads([](const Target& t) { return "/api/v1/tenants/" + t.tenant + "/entities/source"; })},
      {warehouse, reads_object([](const Target& t) {
         return "/api/v1/organisations/" + t.tenant + "/integrations/warehouse-connections/" +
                prefix(t.objects) + "_wc/telemetry";
       })},
      {"GET /api/v1/workspaces/{id}/insights/sync-health",
       reads([](const Target& t) { return insights_path(t, "sync-health"); })},
      {"GET /api/v1/workspaces/{id}/insights/audience-trends", reads_object([](const Target& t) {
         return insights_path(t, "audience-trends?audience_ids=" + prefix(t.objects) + "_aud1");
       })},
      {"GET /api/v1/workspaces/{id}/insights/activation-coverage",
       reads([](const Target& t) { return insights_path(t, "activation-coverage"); })},
      {"GET /api/v1/workspaces/{id}/insights/audience-overlap", reads_object([](const Target& t) {
         const std::string p = prefix(t.objects);
         return insights_path(t, "audience-overlap?audience_ids=" + p + "_aud1," + p + "_aud2");
       })},
      {"GET /api/v1/workspaces/{id}/insights/summary",
       reads([](const Target& t) { return insights_path(t, "summary"); })},
      {"POST /api/v1/tenants/{tenant}/audiences/{audience_id}/sizes",
       writes(
           {200}, [](const Target& t) { return audience_path(t, "sizes"); }, R"({"size":2})")},
      {"PUT /api/v1/tenants/{tenant}/audiences/{audience_id}/members",
       writes(
           {200}, [](const Target& t) { return audience_path(t, "members"); }, members)},
      {"POST /api/v1/tenants/{tenant}/audiences/{audience_id}/members",
       writes(
           {200}, [](const Target& t) { return audience_path(t, "members"); }, members)},
      {"DELETE /api/v1/tenants/{tenant}/audiences/{audience_id}/members",
       writes(
           {200}, [](const Target& t) { return audience_path(t, "members"); }, "[\"nobody\"]")},
      {"GET /api/v1/system-health", feed_call(Need::kRead, 200, feed, false)},
      {"POST /api/v1/system-health", feed_call(Need::kWriteAlerts, 201, feed, false)},
      {"POST /api/v1/system-health/read-all",
       feed_call(Need::kRead, 200, feed + "/read-all", true)},
      {"PATCH /api/v1/system-health/{id}/read",
       feed_call(Need::kRead, 204, feed + "/{id}/read", true, seeded_alert)},
      {"GET /api/v1/system-health/{id}",
       feed_call(Need::kRead, 200, feed + "/{id}", false, seeded_alert)},
      // Dismissing is a reader's action on the feed (system_health_api.cc), like marking read.
      {"DELETE /api/v1/system-health/{id}",
       feed_call(Need::kRead, 204, feed + "/{id}", false, fresh_alert)},
      {"POST /-/reload", reload()},
  };
}

// SPEC §2: token (401), then the tenant a path or header names (404), then the role (403). A
// body's or query's tenant is looked at after the role; on ingest it is a per-line error (400).
std::vector<long> expected(const Operation& op, const Role& role, Column column) {
  if (op.need == Need::kPublic) return {200};
  if (role.token.empty()) return {401};
  const bool allowed = role.may.count(op.need) > 0;
  const bool elsewhere = column == Column::kOther || column == Column::kUnknown;
  const bool tenant_first = op.by == TenantBy::kPath || op.by == TenantBy::kHeader;
  if (tenant_first && elsewhere) return {404};
  if (!allowed) return {403};
  if (elsewhere) return {op.by == TenantBy::kBody ? 400L : 404L};
  if (op.needs_user && !role.has_user) return {403};
  if (column == Column::kForeignObject) return {404};
  return op.ok;
}

std::vector<Column> columns_of(const Operation& op) {
  if (op.by == TenantBy::kNone) return {Column::kOwn};
  std::vector<Column> out = {Column::kOwn, Column::kOther, Column::kUnknown};
  if (op.addresses_object) out.push_back(Column::kForeignObject);
  return out;
}

Target target_of(const Role& role, Column column) {
  switch (column) {
    case Column::kOwn:
      return {role.own, role.own};
    case Column::kOther:
      return {role.other, role.other};
    case Column::kUnknown:
      return {"initech", role.own};
    case Column::kForeignObject:
      return {role.own, role.other};
  }
  return {};
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

class TenantIsolation : public ::testing::Test {
 protected:
  void SetUp() override {
    vitals_.start();
    matrix_.seed("acme");
    matrix_.seed("globex");
  }

  // "METHOD /path" of every operation the running server documents.
  std::vector<std::string> documented_operations() {
    const auto doc = client_.get(vitals_.url("/openapi.json")).json();
    std::vector<std::string> out;
    for (const auto& [path, item] : doc["paths"].items()) {
      for (const auto& [method, operation] : item.items()) {
        if (operation.is_object() && operation.contains("responses")) {
          std::string upper = method;
          for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          out.push_back(upper + " " + path);
        }
      }
    }
    return out;
  }

  HttpResponse send(const std::string& method, const Call& call, const Role& role) {
    HeaderList headers = call.headers;
    if (!role.token.empty()) headers.emplace_back("Authorization", "Bearer " + role.token);
    return client_.request(method, vitals_.url(call.path), call.body, headers);
  }

  // Every column of one operation for one role; returns the number of cells.
  size_t check_operation(const std::string& key, const Operation& op, const Role& role) {
    const std::string method = key.substr(0, key.find(' '));
    std::map<Column, std::string> bodies;
    for (Column column : columns_of(op)) {
      SCOPED_TRACE(key + " as " + role.name + " on " + column_name(column));
      const auto r = send(method, op.make(matrix_, target_of(role, column)), role);
      const auto want = expected(op, role, column);
      EXPECT_NE(std::find(want.begin(), want.end(), r.status), want.end())
          << "status " << r.status << ": " << r.body;
      if (key != "GET /metrics") {  // SPEC §4: unauthenticated, every tenant's series
        EXPECT_EQ(lower(r.body).find(lower(marker(role.other))), std::string::npos) << r.body;
        EXPECT_EQ(r.body.find(role.other == "globex" ? kGlobexId : kAcmeId), std::string::npos)
            << r.body;
      }
      bodies[column] = r.body;
    }
    if (bodies.count(Column::kOther)) {
      EXPECT_EQ(bodies[Column::kOther], bodies[Column::kUnknown])
          << key << " as " << role.name << ": another tenant must look like no tenant";
    }
    return bodies.size();
  }

  VitalsProcess vitals_{"", kTokens};
  Matrix matrix_{vitals_};
  HttpClient client_;
};

TEST_F(TenantIsolation, EveryEndpointRoleAndTenantGetsItsAnswerAndNoOtherTenantsData) {
  const auto table = operations();
  const auto documented = documented_operations();
  ASSERT_GE(documented.size(), 25u);
  for (const auto& [key, op] : table) {
    EXPECT_NE(std::find(documented.begin(), documented.end(), key), documented.end())
        << key << " is in the matrix but not in /openapi.json";
  }
  size_t cells = 0;
  for (const Role& role : roles()) {
    const std::string other_before = matrix_.state_of(role.other);
    for (const std::string& key : documented) {
      const auto it = table.find(key);
      ASSERT_NE(it, table.end()) << key << " is documented but missing from the isolation matrix";
      cells += check_operation(key, it->second, role);
    }
    EXPECT_EQ(matrix_.state_of(role.other), other_before)
        << role.name << ": a call changed the other tenant's data";
  }
  EXPECT_GE(cells, 400u);
}

}  // namespace
}  // namespace vitals::testing
