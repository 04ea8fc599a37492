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

}  // namespace
}  // namespace vitals::testing
