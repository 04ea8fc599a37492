// The Insights endpoints and audience size observations over HTTP (SPEC §3.4, §6.5).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/wait.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

const std::string kInsights = "/api/v1/workspaces/acme/insights/";

class InsightsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    vitals_.start();
    put("/api/v1/tenants/acme/entities/audience/hv", R"({"name":"High-Value","status":"active"})");
    put("/api/v1/tenants/acme/entities/sync/s1",
        R"({"name":"S1","status":"active","attributes":{"audience_id":"hv","destination_id":"d1"}})");
  }

  void put(const std::string& path, const std::string& body) {
    auto r = client_.put(
        vitals_.url(path), body,
        {{"Authorization", "Bearer dev-editor-token"}, {"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  HttpResponse sizes(const std::string& body, const std::string& token = "dev-ingest-token") {
    return client_.post(
        vitals_.url("/api/v1/tenants/acme/audiences/hv/sizes"), body,
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  }
  HttpResponse members(std::string_view method, const std::string& audience,
                       const std::string& body,
                       const std::string& content_type = "application/x-ndjson",
                       const std::string& token = "dev-ingest-token") {
    return client_.request(
        method, vitals_.url("/api/v1/tenants/acme/audiences/" + audience + "/members"), body,
        {{"Authorization", "Bearer " + token}, {"Content-Type", content_type}});
  }
  HttpResponse insight(const std::string& path, const HeaderList& extra = {}) {
    HeaderList headers = {{"Authorization", "Bearer dev-viewer-token"}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return client_.get(vitals_.url(kInsights + path), headers);
  }

  VitalsProcess vitals_;
  HttpClient client_;
};

TEST_F(InsightsApi, EveryEndpointAnswersWithItsDocumentedTopLevelShape) {
  const std::map<std::string, std::vector<std::string>> fields = {
      {"sync-health",
       {"total_syncs", "active_syncs", "healthy_syncs", "failing_syncs", "paused_syncs", "syncs"}},
      {"audience-trends", {"audiences"}},
      {"activation-coverage",
       {"total_audiences", "activated_audiences", "unactivated_audiences", "destinations",
        "unactivated"}},
      {"audience-overlap?audience_ids=hv,hv", {"audiences", "overlap"}},
      {"summary", {"sources", "models", "destinations", "syncs", "audiences", "loaders"}}};
  for (const auto& [path, names] : fields) {
    auto r = insight(path);
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    for (const auto& name : names) EXPECT_TRUE(r.json().contains(name)) << path << " " << name;
  }
}

TEST_F(InsightsApi, SizeObservationsFeedTrendsSummaryAndTheGauge) {
  auto recorded = sizes(R"([{"size": 4100, "time": "2026-11-20T10:00:00Z"}, {"size": 4250}])");
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  EXPECT_EQ(recorded.json()["recorded"], 2);
  auto trends = insight("audience-trends?audience_ids=hv");
  ASSERT_EQ(trends.status, 200);
  EXPECT_EQ(trends.json()["audiences"][0]["current_size"], 4250);
  EXPECT_EQ(insight("summary").json()["audiences"]["total_members"], 4250);
  std::string metrics;
  EXPECT_TRUE(wait_until(
      [&] {
        metrics = client_.get(vitals_.url("/metrics")).body;
        return metrics.find(R"(vitals_audience_size{audience="hv",tenant="acme"} 4250)") !=
               std::string::npos;
      },
      std::chrono::seconds(20)))
      << metrics;
}

TEST_F(InsightsApi, BadSizeObservationsAreRefusedWhole) {
  for (const char* body :
       {"not json", "[]", R"({"size": -1})", R"({"size": 1.5})",
        R"({"time": "2026-11-20T10:00:00Z"})", R"([{"size": 1}, {"size": 2, "time": "yesterday"}])",
        R"({"size": 1, "time": "2000-01-01T00:00:00Z"})"}) {
    auto r = sizes(body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.json()["error"], "invalid_sizes") << body;
  }
  EXPECT_TRUE(insight("audience-trends").json()["audiences"][0]["current_size"].is_null())
      << "nothing was recorded";
  EXPECT_EQ(sizes(R"({"size": 1})", "dev-viewer-token").status, 403);
}

TEST_F(InsightsApi, WorkspaceHeaderMustNameThePathsWorkspace) {
  EXPECT_EQ(insight("summary", {{"X-Workspace-ID", "acme"}}).status, 200);
  EXPECT_EQ(insight("summary", {{"X-Workspace-ID", kAcmeId}}).status, 200) << "slug or id";
  auto other = insight("summary", {{"X-Workspace-ID", "globex"}});
  EXPECT_EQ(other.status, 400);
  EXPECT_EQ(other.json()["error"], "workspace_mismatch");
  EXPECT_EQ(insight("summary", {{"X-Workspace-ID", "nonexistent"}}).status, 400);
}

TEST_F(InsightsApi, ParametersTenantsAndRoles) {
  EXPECT_EQ(insight("sync-health?days=0").status, 400);
  EXPECT_EQ(insight("audience-trends?days=401").status, 400);
  EXPECT_EQ(insight("audience-trends?audience_ids=%FF").status, 404) << "not a 500";
  auto unknown = insight("audience-trends?audience_ids=hv,ghost");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.json()["message"].get<std::string>().find("ghost"), std::string::npos);
  EXPECT_EQ(client_
                .get(vitals_.url("/api/v1/workspaces/globex/insights/summary"),
                     {{"Authorization", "Bearer dev-viewer-token"}})
                .status,
            404);
  EXPECT_EQ(
      client_
          .get(vitals_.url(kInsights + "summary"), {{"Authorization", "Bearer dev-ingest-token"}})
          .status,
      403);
  EXPECT_EQ(client_.get(vitals_.url(kInsights + "summary")).status, 401);
}

TEST_F(InsightsApi, MemberListsAreReplacedAddedToAndRemovedFromAndFeedTheOverlap) {
  put("/api/v1/tenants/acme/entities/audience/rb", R"({"name":"Recent Buyers","status":"active"})");
  auto replaced = members("PUT", "hv", "\"u1\"\n\"u2\"\n\"u3\"\n\"u4\"\n");
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(replaced.json(),
            nlohmann::json({{"audience_id", "hv"}, {"members", 4}, {"stored", 4}}));
  ASSERT_EQ(members("PUT", "rb", R"(["u3","u4","u5"])", "application/json").status, 200);
  auto added = members("POST", "rb", "\"u6\"\n\"u3\"");
  EXPECT_EQ(added.json()["added"], 1);
  EXPECT_EQ(added.json()["members"], 4);
  auto removed = members("DELETE", "hv", R"(["u1"])", "application/json");
  EXPECT_EQ(removed.json()["removed"], 1);

  auto overlap = insight("audience-overlap?audience_ids=hv,rb");
  ASSERT_EQ(overlap.status, 200) << overlap.body;
  EXPECT_EQ(overlap.json()["audiences"][0]["name"], "High-Value");
  EXPECT_EQ(overlap.json()["audiences"][0]["size"], 3);
  EXPECT_EQ(overlap.json()["audiences"][1]["size"], 4);
  EXPECT_EQ(overlap.json()["overlap"]["size"], 2);
  EXPECT_EQ(overlap.json()["overlap"]["percent_of_first"], 66.67);
  EXPECT_EQ(overlap.json()["overlap"]["percent_of_second"], 50.0);
}

TEST_F(InsightsApi, BadMemberListsChangeNothing) {
  ASSERT_EQ(members("PUT", "hv", "\"keep\"").status, 200);
  auto bad = members("PUT", "hv", "\"a\"\n7\n\"\"");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"], "invalid_members");
  EXPECT_EQ(bad.json()["errors"][0]["line"], 2);
  EXPECT_EQ(members("PUT", "hv", "[\"a\"]", "text/plain").status, 415);
  EXPECT_EQ(members("DELETE", "hv", "").status, 400) << "DELETE never clears by accident";
  EXPECT_EQ(members("PUT", "bad%20id", "\"a\"").status, 400);
  EXPECT_EQ(members("PUT", "hv", "\"a\"", "application/x-ndjson", "dev-viewer-token").status, 403);
  EXPECT_EQ(client_
                .put(vitals_.url("/api/v1/tenants/globex/audiences/hv/members"), "\"a\"",
                     {{"Authorization", "Bearer dev-viewer-token"},
                      {"Content-Type", "application/x-ndjson"}})
                .status,
            404);
  put("/api/v1/tenants/acme/entities/audience/other", R"({"name":"Other","status":"active"})");
  auto overlap = insight("audience-overlap?audience_ids=hv,other");
  EXPECT_EQ(overlap.json()["audiences"][0]["size"], 1) << "the first list is intact";
}

TEST_F(InsightsApi, OverlapNeedsTwoKnownAudiences) {
  for (const char* query : {"", "?audience_ids=", "?audience_ids=hv", "?audience_ids=hv,"}) {
    auto r = insight(std::string("audience-overlap") + query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.json()["error"], "invalid_parameter") << query;
  }
  auto unknown = insight("audience-overlap?audience_ids=hv,ghost");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.json()["message"].get<std::string>().find("ghost"), std::string::npos);
}

}  // namespace
}  // namespace vitals::testing
