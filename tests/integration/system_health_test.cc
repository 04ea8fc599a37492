// The system-health alert feed over HTTP (SPEC §6.4): the seed document's response shape,
// tenants by token or X-Tenant, the auth matrix, validation, per-user read state, dismissal and
// the vitals_system_health_alerts_total counter.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

#include "support/wait.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

const std::string kFeed = "/api/v1/system-health";

const std::string kFullAlert = R"({
  "severity": "critical", "source": "sentinel", "title": "Empty-candidate rate spiked",
  "message": "18% of decisions returned zero offers in the last 30m.",
  "link": "/dashboards/decision-health", "metadata": {"observed": 0.18, "threshold": 0.1},
  "pinned": true, "userId": null})";

std::string alert_body(const std::string& severity, const std::string& source,
                       const std::string& user_id = "null") {
  return R"({"severity":")" + severity + R"(","source":")" + source +
         R"(","title":"T","message":"M","userId":)" + user_id + "}";
}

class SystemHealthApi : public ::testing::Test {
 protected:
  void SetUp() override { vitals_.start(); }

  // `tenant` goes in X-Tenant when not empty; `token` in Authorization when not empty.
  HttpResponse call(std::string_view method, const std::string& path, const std::string& token,
                    const std::string& tenant = "", const std::string& body = "") {
    HeaderList headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!tenant.empty()) headers.emplace_back("X-Tenant", tenant);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return client_.request(method, vitals_.url(path), body, headers);
  }

  // Posts as the editor into acme; returns the alert.
  nlohmann::json post(const std::string& body, const std::string& tenant = "acme") {
    auto r = call("POST", kFeed, "dev-editor-token", tenant, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json() : nlohmann::json::object();
  }

  nlohmann::json feed(const std::string& token, const std::string& query = "",
                      const std::string& tenant = "") {
    auto r = call("GET", kFeed + query, token, tenant);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json() : nlohmann::json::object();
  }

  static std::vector<std::string> ids(const nlohmann::json& page) {
    std::vector<std::string> out;
    for (const auto& row : page.value("data", nlohmann::json::array())) {
      out.push_back(row["id"].get<std::string>());
    }
    return out;
  }

  VitalsProcess vitals_;
  HttpClient client_;
};

TEST_F(SystemHealthApi, PostAnswersTheAlertAndGetListsItInTheDocumentedShape) {
  const auto created = post(kFullAlert);
  ASSERT_TRUE(created.contains("id"));
  EXPECT_TRUE(
      std::regex_match(created["id"].get<std::string>(), std::regex("cha_[0-9A-HJKMNP-TV-Z]{26}")));
  EXPECT_EQ(created["tenantId"], kAcmeId);
  EXPECT_TRUE(created["userId"].is_null());
  EXPECT_EQ(created["severity"], "critical");
  EXPECT_EQ(created["source"], "sentinel");
  EXPECT_EQ(created["title"], "Empty-candidate rate spiked");
  EXPECT_EQ(created["message"], "18% of decisions returned zero offers in the last 30m.");
  EXPECT_EQ(created["link"], "/dashboards/decision-health");
  EXPECT_EQ(created["metadata"], nlohmann::json::parse(R"({"observed": 0.18, "threshold": 0.1})"));
  EXPECT_EQ(created["pinned"], true);
  EXPECT_TRUE(std::regex_match(created["createdAt"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  EXPECT_EQ(created["read"], false);
  EXPECT_EQ(created.size(), 12u) << created.dump();

  const auto page = feed("dev-viewer-token");
  ASSERT_EQ(page["data"].size(), 1u);
  EXPECT_EQ(page["data"][0], created);
  EXPECT_EQ(page["pagination"],
            nlohmann::json({{"limit", 50}, {"cursor", created["id"]}, {"hasMore", false}}));
  EXPECT_EQ(page["sources"], nlohmann::json::parse(R"(["flow", "decisioning", "approvals",
            "license", "system", "data", "model", "sentinel"])"));
  EXPECT_EQ(page["severities"],
            nlohmann::json::parse(R"(["info", "success", "warning", "error", "critical"])"));
  EXPECT_EQ(page.size(), 4u);
}

TEST_F(SystemHealthApi, OptionalFieldsDefaultAndAnEmptyFeedHasANullCursor) {
  const auto empty = feed("dev-viewer-token");
  EXPECT_EQ(empty["data"], nlohmann::json::array());
  EXPECT_TRUE(empty["pagination"]["cursor"].is_null());
  EXPECT_EQ(empty["pagination"]["hasMore"], false);
  const auto created =
      post(R"({"severity":"info","source":"custom-source","title":"T","message":"M"})");
  EXPECT_TRUE(created["link"].is_null());
  EXPECT_EQ(created["metadata"], nlohmann::json::object());
  EXPECT_EQ(created["pinned"], false);
  EXPECT_TRUE(created["userId"].is_null());
  EXPECT_EQ(created["source"], "custom-source") << "any source is accepted";
}

TEST_F(SystemHealthApi, TheTenantIsTheTokensOnlyOneOrTheXTenantHeader) {
  const auto in_globex = post(alert_body("error", "data"), "globex");
  const auto in_acme = post(alert_body("error", "data"), kAcmeId);  // the id works as well
  EXPECT_EQ(in_globex["tenantId"], kGlobexId);
  EXPECT_EQ(in_acme["tenantId"], kAcmeId);
  const std::vector<std::string> only_globex = {in_globex["id"].get<std::string>()};
  const std::vector<std::string> only_acme = {in_acme["id"].get<std::string>()};
  EXPECT_EQ(ids(feed("dev-viewer-token")), only_acme);
  EXPECT_EQ(ids(feed("dev-globex-viewer-key")), only_globex);
  EXPECT_EQ(ids(feed("dev-admin-token", "", "globex")), only_globex);
  EXPECT_EQ(ids(feed("dev-viewer-token", "", "acme")), only_acme)
      << "a single-tenant token may name its tenant";

  auto ambiguous = call("GET", kFeed, "dev-editor-token");
  EXPECT_EQ(ambiguous.status, 400);
  EXPECT_EQ(ambiguous.json()["error"], "tenant_required");
  EXPECT_EQ(call("POST", kFeed, "dev-admin-token", "", kFullAlert).status, 400);
  const auto foreign = call("GET", kFeed, "dev-viewer-token", "globex");
  const auto unknown = call("GET", kFeed, "dev-admin-token", "initech");
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(foreign.body, unknown.body) << "a tenant the token may not see looks nonexistent";
}

TEST_F(SystemHealthApi, EveryEndpointAnswers401Then404Then403) {
  const std::string id = post(alert_body("error", "data"))["id"];
  struct Call {
    std::string method, path, body;
  };
  const std::vector<Call> calls = {{"GET", kFeed, ""},
                                   {"POST", kFeed, kFullAlert},
                                   {"PATCH", kFeed + "/" + id + "/read", ""},
                                   {"POST", kFeed + "/read-all", ""},
                                   {"DELETE", kFeed + "/" + id, ""}};
  for (const auto& c : calls) {
    SCOPED_TRACE(c.method + " " + c.path);
    EXPECT_EQ(call(c.method, c.path, "", "", c.body).status, 401);
    EXPECT_EQ(call(c.method, c.path, "not-a-token", "acme", c.body).status, 401);
    EXPECT_EQ(call(c.method, c.path, "dev-viewer-token", "globex", c.body).status, 404);
    EXPECT_EQ(call(c.method, c.path, "dev-ingest-token", "nowhere", c.body).status, 404);
    EXPECT_EQ(call(c.method, c.path, "dev-ingest-token", "acme", c.body).status, 403);
    EXPECT_EQ(call(c.method, c.path, "dev-ingest-token", "", c.body).status, 403);
  }
  EXPECT_EQ(call("POST", kFeed, "dev-viewer-token", "", kFullAlert).status, 403)
      << "viewers may not publish";
  EXPECT_EQ(call("POST", kFeed, "dev-admin-token", "acme", kFullAlert).status, 201);
  EXPECT_EQ(ids(feed("dev-viewer-token")).size(), 2u) << "only the admin's POST was stored";
}

TEST_F(SystemHealthApi, BadQueryParametersAre400) {
  for (const std::string query :
       {"?limit=0", "?limit=201", "?limit=ten", "?limit=-1", "?limit=", "?since=yesterday",
        "?since=2026-07-03", "?since=2026-07-03T12:00:00", "?severity=fatal",
        "?severity=error,fatal", "?unreadOnly=yes", "?unreadOnly=1", "?cursor=abc",
        "?cursor=cha_01ARZ3NDEKTSV4RRFFQ69G5FAU"}) {
    auto r = call("GET", kFeed + query, "dev-viewer-token");
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.json()["error"], "invalid_parameter") << query;
  }
  for (const std::string query :
       {"?limit=1", "?limit=200", "?since=2026-07-03T12:00:00Z",
        "?since=2026-07-03T12:00:00.5%2B02:00", "?severity=error,critical", "?source=anything,else",
        "?unreadOnly=true", "?cursor=", "?cursor=cha_01ARZ3NDEKTSV4RRFFQ69G5FAV"}) {
    EXPECT_EQ(call("GET", kFeed + query, "dev-viewer-token").status, 200) << query;
  }
}

TEST_F(SystemHealthApi, BadBodiesAre400AndStoreNothing) {
  const std::string long_title(257, 't');
  for (const std::string& body : std::vector<std::string>{
           "not json",
           "[]",
           R"({"source":"data","title":"T","message":"M"})",
           R"({"severity":"fatal","source":"data","title":"T","message":"M"})",
           R"({"severity":"ERROR","source":"data","title":"T","message":"M"})",
           R"({"severity":"error","title":"T","message":"M"})",
           R"({"severity":"error","source":"","title":"T","message":"M"})",
           R"({"severity":"error","source":"data","message":"M"})",
           R"({"severity":"error","source":"data","title":"","message":"M"})",
           R"({"severity":"error","source":"data","title":")" + long_title + R"(","message":"M"})",
           R"({"severity":"error","source":"data","title":"T"})",
           R"({"severity":"error","source":"data","title":"T","message":7})",
           R"({"severity":"error","source":"data","title":"T","message":"M","link":5})",
           R"({"severity":"error","source":"data","title":"T","message":"M","link":""})",
           R"({"severity":"error","source":"data","title":"T","message":"M","metadata":[1]})",
           R"({"severity":"error","source":"data","title":"T","message":"M","metadata":"x"})",
           R"({"severity":"error","source":"data","title":"T","message":"M","pinned":"yes"})",
           R"({"severity":"error","source":"data","title":"T","message":"M","userId":5})",
           R"({"severity":"error","source":"data","title":"T","message":"M","userId":""})",
       }) {
    auto r = call("POST", kFeed, "dev-editor-token", "acme", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.json().value("error", ""), "invalid_alert") << body;
  }
  EXPECT_EQ(feed("dev-admin-token", "", "acme")["data"], nlohmann::json::array());
  EXPECT_EQ(feed("dev-viewer-token")["data"], nlohmann::json::array());
}

TEST_F(SystemHealthApi, FiltersAndCursorPagingOverHttp) {
  std::vector<std::string> posted;
  for (const auto& [severity, source] : std::vector<std::pair<std::string, std::string>>{
           {"info", "data"}, {"error", "flow"}, {"critical", "custom"}, {"error", "data"}}) {
    posted.push_back(post(alert_body(severity, source))["id"].get<std::string>());
  }
  std::vector<std::string> paged;
  std::string query = "?limit=3";
  const auto first = feed("dev-viewer-token", query);
  EXPECT_EQ(first["pagination"]["hasMore"], true);
  EXPECT_EQ(first["pagination"]["limit"], 3);
  paged = ids(first);
  const auto second = feed("dev-viewer-token",
                           "?limit=3&cursor=" + first["pagination"]["cursor"].get<std::string>());
  EXPECT_EQ(second["pagination"]["hasMore"], false);
  for (const auto& id : ids(second)) paged.push_back(id);
  EXPECT_EQ(paged, (std::vector<std::string>{posted[3], posted[2], posted[1], posted[0]}));

  EXPECT_EQ(ids(feed("dev-viewer-token", "?severity=error")),
            (std::vector<std::string>{posted[3], posted[1]}));
  EXPECT_EQ(ids(feed("dev-viewer-token", "?source=custom,flow")),
            (std::vector<std::string>{posted[2], posted[1]}));
  EXPECT_EQ(ids(feed("dev-viewer-token", "?severity=error&source=data")),
            std::vector<std::string>{posted[3]});
  EXPECT_EQ(ids(feed("dev-viewer-token", "?since=2000-01-01T00:00:00Z")).size(), 4u);
  EXPECT_EQ(ids(feed("dev-viewer-token", "?since=2100-01-01T00:00:00Z")).size(), 0u);
}

TEST_F(SystemHealthApi, ReadStateIsPerUser) {
  const std::string a = post(alert_body("error", "data"))["id"];
  const std::string b = post(alert_body("error", "data"))["id"];
  EXPECT_EQ(call("PATCH", kFeed + "/" + a + "/read", "dev-viewer-token").status, 204);
  EXPECT_EQ(call("PATCH", kFeed + "/" + a + "/read", "dev-viewer-token").status, 204)
      << "repeating is harmless";
  const auto viewer = feed("dev-viewer-token");
  ASSERT_EQ(ids(viewer), (std::vector<std::string>{b, a}));
  EXPECT_EQ(viewer["data"][0]["read"], false);
  EXPECT_EQ(viewer["data"][1]["read"], true);
  const auto editor = feed("dev-editor-token", "", "acme");  // kept alive for the loop
  for (const auto& row : editor["data"]) {
    EXPECT_EQ(row["read"], false) << "another user's read state is their own";
  }
  EXPECT_EQ(ids(feed("dev-viewer-token", "?unreadOnly=true")), std::vector<std::string>{b});

  auto all = call("POST", kFeed + "/read-all", "dev-editor-token", "acme");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json(), nlohmann::json({{"updated", 2}}));
  EXPECT_EQ(call("POST", kFeed + "/read-all", "dev-editor-token", "acme").json()["updated"], 0);
  EXPECT_EQ(call("POST", kFeed + "/read-all", "dev-viewer-token").json()["updated"], 1);
  EXPECT_EQ(ids(feed("dev-viewer-token", "?unreadOnly=true")), std::vector<std::string>{});
}

TEST_F(SystemHealthApi, AnAlertForOneUserIsInvisibleToOthers) {
  const auto addressed = post(alert_body("warning", "approvals", R"("u_viewer")"));
  const std::string id = addressed["id"];
  EXPECT_EQ(addressed["userId"], "u_viewer");
  EXPECT_EQ(ids(feed("dev-viewer-token")), std::vector<std::string>{id});
  EXPECT_EQ(ids(feed("dev-editor-token", "", "acme")), std::vector<std::string>{});
  EXPECT_EQ(call("PATCH", kFeed + "/" + id + "/read", "dev-editor-token", "acme").status, 404);
  EXPECT_EQ(call("DELETE", kFeed + "/" + id, "dev-editor-token", "acme").status, 404);
  EXPECT_EQ(call("POST", kFeed + "/read-all", "dev-editor-token", "acme").json()["updated"], 0);
  EXPECT_EQ(call("PATCH", kFeed + "/" + id + "/read", "dev-viewer-token").status, 204);
}

TEST_F(SystemHealthApi, AnApiKeyCallerSeesFanOutAlertsUnreadAndHasNoReadState) {
  const std::string fan_out = post(alert_body("error", "data"), "globex")["id"];
  post(alert_body("error", "data", R"("u_editor")"), "globex");
  ASSERT_EQ(call("PATCH", kFeed + "/" + fan_out + "/read", "dev-editor-token", "globex").status,
            204);
  const auto page = feed("dev-globex-viewer-key");
  ASSERT_EQ(ids(page), std::vector<std::string>{fan_out});
  EXPECT_EQ(page["data"][0]["read"], false);
  EXPECT_EQ(ids(feed("dev-globex-viewer-key", "?unreadOnly=true")),
            std::vector<std::string>{fan_out});
  auto patch = call("PATCH", kFeed + "/" + fan_out + "/read", "dev-globex-viewer-key");
  EXPECT_EQ(patch.status, 403);
  EXPECT_EQ(patch.json()["error"], "forbidden");
  EXPECT_EQ(call("POST", kFeed + "/read-all", "dev-globex-viewer-key").status, 403);
}

TEST_F(SystemHealthApi, DeleteDismissesForTheWholeTenant) {
  const std::string id = post(alert_body("error", "data"))["id"];
  const std::string kept = post(alert_body("error", "data"))["id"];
  EXPECT_EQ(call("DELETE", kFeed + "/" + id, "dev-viewer-token").status, 204);
  EXPECT_EQ(ids(feed("dev-viewer-token")), std::vector<std::string>{kept});
  EXPECT_EQ(ids(feed("dev-editor-token", "", "acme")), std::vector<std::string>{kept});
  EXPECT_EQ(call("DELETE", kFeed + "/" + id, "dev-viewer-token").status, 404);
  EXPECT_EQ(call("PATCH", kFeed + "/" + id + "/read", "dev-viewer-token").status, 404);
  EXPECT_EQ(call("DELETE", kFeed + "/cha_01ARZ3NDEKTSV4RRFFQ69G5FAV", "dev-viewer-token").status,
            404);
  EXPECT_EQ(call("DELETE", kFeed + "/" + kept, "dev-globex-viewer-key").status, 404)
      << "another tenant's alert is not there";
}

TEST_F(SystemHealthApi, AlertsAndReadStateSurviveARestart) {
  const std::string id = post(alert_body("error", "data"))["id"];
  ASSERT_EQ(call("PATCH", kFeed + "/" + id + "/read", "dev-viewer-token").status, 204);
  ASSERT_EQ(vitals_.stop(), 0);
  vitals_.start();
  const auto page = feed("dev-viewer-token");
  ASSERT_EQ(ids(page), std::vector<std::string>{id});
  EXPECT_EQ(page["data"][0]["read"], true);
  EXPECT_GT(post(alert_body("error", "data"))["id"].get<std::string>(), id);
}

TEST_F(SystemHealthApi, PostedAlertsAreCountedOnMetrics) {
  post(alert_body("critical", "billing-sync"));
  post(alert_body("critical", "data"));
  const std::string metrics = client_.get(vitals_.url("/metrics")).body;
  EXPECT_NE(metrics.find("# TYPE vitals_system_health_alerts_total counter"), std::string::npos);
  EXPECT_NE(
      metrics.find(
          R"(vitals_system_health_alerts_total{severity="critical",source="billing-sync",tenant="acme"} 1)"),
      std::string::npos)
      << metrics;
  EXPECT_NE(
      metrics.find(
          R"(vitals_system_health_alerts_total{severity="critical",source="data",tenant="acme"} 1)"),
      std::string::npos);
}

TEST_F(SystemHealthApi, OneAlertIsReadableByIdWithTheCallersReadState) {
  const std::string id = post(alert_body("error", "data"))["id"];
  auto one = call("GET", kFeed + "/" + id, "dev-viewer-token");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json()["id"], id);
  EXPECT_EQ(one.json()["read"], false);
  ASSERT_EQ(call("PATCH", kFeed + "/" + id + "/read", "dev-viewer-token").status, 204);
  EXPECT_EQ(call("GET", kFeed + "/" + id, "dev-viewer-token").json()["read"], true);
  EXPECT_EQ(call("GET", kFeed + "/" + id, "dev-editor-token", "acme").json()["read"], false);
  EXPECT_EQ(call("GET", kFeed + "/" + id, "dev-globex-viewer-key").status, 404)
      << "another tenant's alert is not there";
  const std::string addressed = post(alert_body("warning", "approvals", R"("u_viewer")"))["id"];
  EXPECT_EQ(call("GET", kFeed + "/" + addressed, "dev-editor-token", "acme").status, 404);
  EXPECT_EQ(call("GET", kFeed + "/" + addressed, "dev-viewer-token").status, 200);
  ASSERT_EQ(call("DELETE", kFeed + "/" + id, "dev-viewer-token").status, 204);
  EXPECT_EQ(call("GET", kFeed + "/" + id, "dev-viewer-token").status, 404);
  EXPECT_EQ(call("GET", kFeed + "/" + id, "").status, 401);
}

TEST_F(SystemHealthApi, TheOpenApiDocumentDescribesTheFeed) {
  const auto openapi = client_.get(vitals_.url("/openapi.json")).json();
  for (const auto& [path, method] :
       std::vector<std::pair<std::string, std::string>>{{kFeed, "get"},
                                                        {kFeed, "post"},
                                                        {kFeed + "/{id}/read", "patch"},
                                                        {kFeed + "/read-all", "post"},
                                                        {kFeed + "/{id}", "get"},
                                                        {kFeed + "/{id}", "delete"}}) {
    EXPECT_TRUE(openapi["paths"][path].contains(method)) << method << " " << path;
  }
}

}  // namespace
}  // namespace vitals::testing
