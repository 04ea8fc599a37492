// The entity catalog API and the warehouse connection telemetry endpoint, against the real
// binary (SPEC §3.2, §6.2).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/wait.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

const std::string kConnections = "/api/v1/tenants/acme/entities/warehouse_connection";
const std::string kTelemetry =
    "/api/v1/organisations/acme/integrations/warehouse-connections/wh-main/telemetry/";

class CatalogAndTelemetry : public ::testing::Test {
 protected:
  void SetUp() override { vitals_.start(); }

  HttpResponse put(const std::string& path, const std::string& body,
                   const std::string& token = "dev-editor-token") {
    return client_.put(
        vitals_.url(path), body,
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  }
  HttpResponse del(const std::string& path, const std::string& token = "dev-editor-token") {
    return client_.del(vitals_.url(path), {{"Authorization", "Bearer " + token}});
  }

  VitalsProcess vitals_;
  HttpClient client_;
};

TEST_F(CatalogAndTelemetry, CreateReplaceReadListDelete) {
  auto created =
      put(kConnections + "/wh-main",
          R"({"name":"Main","status":"configured","attributes":{"warehouse":"snowflake"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["attributes"]["warehouse"], "snowflake");
  auto replaced = put(kConnections + "/wh-main", R"({"name":"Main EU","status":"paused"
})");
  ASSERT_EQ(replaced.status, 200);
  EXPECT_EQ(replaced.json()["created_at"], created.json()["created_at"]);

  auto one = vitals_.get(kConnections + "/wh-main", "dev-viewer-token");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json()["name"], "Main EU");
  EXPECT_EQ(one.json()["attributes"], nlohmann::json::object());
  ASSERT_EQ(put(kConnections + "/wh-other", R"({"name":"Other","status":"ok"})").status, 201);
  auto list = vitals_.get(kConnections, "dev-viewer-token");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json()["data"].size(), 2u);
  EXPECT_EQ(list.json()["data"][0]["id"], "wh-main");

  EXPECT_EQ(del(kConnections + "/wh-main").status, 204);
  EXPECT_EQ(vitals_.get(kConnections + "/wh-main", "dev-viewer-token").status, 404);
  EXPECT_EQ(del(kConnections + "/wh-main").status, 404);
}

TEST_F(CatalogAndTelemetry, BadKindsStatusesBodiesAndIdsAre400) {
  EXPECT_EQ(put("/api/v1/tenants/acme/entities/widget/w1", R"({"name":"W","status":"x"})")
                .json()["error"],
            "invalid_kind");
  EXPECT_EQ(put("/api/v1/tenants/acme/entities/sync/s1", R"({"name":"S","status":"running"})")
                .json()["error"],
            "invalid_entity");
  for (const char* body :
       {"not json", "[]", R"({"status":"active"})", R"({"name":"","status":"active"})",
        R"({"name":"S","status":"active","attributes":[1]})"}) {
    auto r = put("/api/v1/tenants/acme/entities/sync/s1", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.json()["error"], "invalid_entity") << body;
  }
  EXPECT_EQ(put("/api/v1/tenants/acme/entities/sync/bad%20id", R"({"name":"S","status":"active"})")
                .status,
            400);
  EXPECT_EQ(vitals_.get("/api/v1/tenants/acme/entities/sync/s1", "dev-viewer-token").status, 404)
      << "nothing was stored";
}

TEST_F(CatalogAndTelemetry, AttributesThatVitalsReadsMustHaveTheirTypes) {
  const std::string audience = "/api/v1/tenants/acme/entities/audience/a1";
  for (const char* size : {"-5", "\"850\"", "8.5", "1e3", "18446744073709551615"}) {
    auto r = put(audience,
                 std::string(R"({"name":"A","status":"active","attributes":{"estimated_size":)") +
                     size + "}}");
    EXPECT_EQ(r.status, 400) << size;
    EXPECT_EQ(r.json()["error"], "invalid_entity") << size;
    EXPECT_NE(r.json()["message"].get<std::string>().find("attributes.estimated_size"),
              std::string::npos)
        << r.body;
  }
  EXPECT_EQ(vitals_.get(audience, "dev-viewer-token").status, 404) << "nothing was stored";
  auto sync = put("/api/v1/tenants/acme/entities/sync/s1",
                  R"({"name":"S","status":"active","attributes":{"audience_id":7}})");
  EXPECT_EQ(sync.status, 400);
  auto destination = put("/api/v1/tenants/acme/entities/destination/d1",
                         R"({"name":"D","status":"connected","attributes":{"type":["ads"]}})");
  EXPECT_EQ(destination.status, 400);

  EXPECT_EQ(
      put(audience, R"({"name":"A","status":"active","attributes":{"estimated_size":0}})").status,
      201);
  EXPECT_EQ(put(audience,
                R"({"name":"A","status":"active","attributes":{"estimated_size":null,"tags":[1]}})")
                .status,
            200)
      << "null is absent, and attributes vitals does not read are kept as given";
  EXPECT_EQ(put("/api/v1/tenants/acme/entities/model/m1",
                R"({"name":"M","status":"active","attributes":{"estimated_size":-5}})")
                .status,
            201)
      << "only audiences' sizes are read";
}

TEST_F(CatalogAndTelemetry, RolesAndTenantsAreEnforced) {
  ASSERT_EQ(
      put(kConnections + "/wh-main", R"({"name":"Main","status":"ok"})", "dev-ingest-token").status,
      201)
      << "ingest tokens may write the catalog";
  EXPECT_EQ(vitals_.get(kConnections + "/wh-main", "dev-ingest-token").status, 403)
      << "but not read it";
  EXPECT_EQ(put(kConnections + "/wh-x", R"({"name":"X","status":"ok"})", "dev-viewer-token").status,
            403);
  // A token of another tenant sees neither the entity nor the tenant.
  auto other = vitals_.get(kConnections + "/wh-main", "dev-globex-viewer-key");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.body,
            vitals_.get("/api/v1/tenants/initech/entities/sync/x", "dev-globex-viewer-key").body);
  EXPECT_EQ(vitals_.get(kTelemetry, "dev-globex-viewer-key").status, 404);
  EXPECT_EQ(client_.get(vitals_.url(kConnections)).status, 401);
}

TEST_F(CatalogAndTelemetry, EntitiesSurviveARestart) {
  ASSERT_EQ(put(kConnections + "/wh-main", R"({"name":"Main","status":"ok"})").status, 201);
  ASSERT_EQ(vitals_.stop(), 0);
  vitals_.start();
  auto got = vitals_.get(kConnections + "/wh-main", "dev-viewer-token");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json()["name"], "Main");
}

TEST_F(CatalogAndTelemetry, TelemetryOfAnUnknownConnectionIs404AndOfANewOneIsTheNoDataShape) {
  EXPECT_EQ(vitals_.get(kTelemetry, "dev-viewer-token").status, 404);
  ASSERT_EQ(put(kConnections + "/wh-main", R"({"name":"Main","status":"ok"})").status, 201);
  auto r = vitals_.get(kTelemetry, "dev-viewer-token");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({
    "status": "idle", "last_delivery_at": null,
    "events_last_24h": {"evaluations": 0, "custom_events": 0, "total": 0},
    "events_last_7d": {"evaluations": 0, "custom_events": 0, "total": 0},
    "failed_deliveries_last_24h": 0, "recent_errors": []})"));
}

TEST_F(CatalogAndTelemetry, DeliveriesShowInTelemetryAndOnMetrics) {
  ASSERT_EQ(put(kConnections + "/wh-main", R"({"name":"Main","status":"ok"})").status, 201);
  const std::string ok =
      R"({"tenant":"acme","type":"warehouse_delivery","key":"wh-main","status":"success","time":"T",)"
      R"("counts":{"evaluations":100,"custom_events":7,"batches":1,"dlq_depth":3}})";
  auto at = [](const std::string& line, const std::string& when) {
    std::string out = line;
    out.replace(out.find("\"T\""), 3, "\"" + when + "\"");
    return out;
  };
  const auto now = std::chrono::system_clock::now();
  auto ago = [&](int seconds) {
    const auto t = std::chrono::system_clock::to_time_t(now - std::chrono::seconds(seconds));
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return std::string(buf);
  };
  const std::string failed =
      R"({"tenant":"acme","type":"warehouse_delivery","key":"wh-main","status":"vendor_error","time":"T",)"
      R"("error":{"category":"timeout","message":"snowflake timed out"}})";
  ASSERT_EQ(
      vitals_.ingest(at(ok, ago(3 * 86400)) + "\n" + at(ok, ago(120)) + "\n" + at(failed, ago(60)))
          .status,
      200);

  auto r = vitals_.get(kTelemetry, "dev-viewer-token");
  ASSERT_EQ(r.status, 200);
  const auto t = r.json();
  EXPECT_EQ(t["status"], "degraded");
  EXPECT_EQ(t["last_delivery_at"], ago(120));
  EXPECT_EQ(
      t["events_last_24h"],
      nlohmann::json::parse(R"({"evaluations":100,"custom_events":7,"batches":1,"total":108})"));
  EXPECT_EQ(t["events_last_7d"]["total"], 216);
  EXPECT_EQ(t["failed_deliveries_last_24h"], 1);
  ASSERT_EQ(t["recent_errors"].size(), 1u);
  EXPECT_EQ(t["recent_errors"][0]["message"], "snowflake timed out");
  EXPECT_EQ(t["recent_errors"][0]["occurred_at"], ago(60));

  std::string metrics;
  ASSERT_TRUE(wait_until(
      [&] {
        metrics = client_.get(vitals_.url("/metrics")).body;
        return metrics.find(
                   R"(vitals_warehouse_connection_status{connection="wh-main",state="degraded",tenant="acme"} 1)") !=
               std::string::npos;
      },
      std::chrono::seconds(20)))
      << metrics;
  EXPECT_EQ(metrics.find(R"(item="dlq_depth")"), std::string::npos)
      << "a dead-letter depth is a reading, never delivered items";
  EXPECT_NE(metrics.find(R"(vitals_warehouse_dlq_depth{connection="wh-main",tenant="acme"} 3)"),
            std::string::npos);
  EXPECT_NE(
      metrics.find(R"(vitals_entities{kind="warehouse_connection",status="ok",tenant="acme"} 1)"),
      std::string::npos);
}

}  // namespace
}  // namespace vitals::testing
