// End to end: the shipped rules against the real binary. A breach reaches the system-health feed
// and ALERTS on /metrics; recovery resolves it; a restart announces nothing twice; a reload keeps
// the running rules when the new ones are invalid.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

#include "core/time_format.h"
#include "event_times.h"
#include "support/wait.h"
#include "sync_runs.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

using std::chrono::seconds;

std::string rules_table(const std::string& files) {
  return "[rules]\nfiles = [" + files + "]\ninterval = \"1s\"\n";
}

std::string shipped_rules() {
  return rules_table("\"" + std::string(VITALS_SOURCE_DIR) + "/rules/*.toml\"");
}

class Alerting : public ::testing::Test {
 protected:
  explicit Alerting(std::string rules = shipped_rules()) : vitals_("", std::move(rules)) {}

  void SetUp() override {
    vitals_.start();
    auto r = client_.put(
        vitals_.url("/api/v1/tenants/acme/entities/sync/s1"), R"({"name":"S1","status":"active"})",
        {{"Authorization", "Bearer dev-editor-token"}, {"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 201) << r.body;
  }

  nlohmann::json feed() {
    auto r = vitals_.get("/api/v1/system-health?source=flow", "dev-viewer-token");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json()["data"] : nlohmann::json::array();
  }

  std::vector<nlohmann::json> feed_alerts(const std::string& rule, const std::string& state) {
    std::vector<nlohmann::json> out;
    for (const auto& a : feed()) {
      if (a["metadata"]["rule"] == rule && a["metadata"]["state"] == state) out.push_back(a);
    }
    return out;
  }

  std::string metrics() { return client_.get(vitals_.url("/metrics")).body; }

  static bool firing_in(const std::string& metrics) {
    return metrics.find("ALERTS{alertname=\"SyncFailing\",alertstate=\"firing\"") !=
           std::string::npos;
  }

  VitalsProcess vitals_;
  HttpClient client_;
  const TimeMs now_ = wall_now();
};

TEST_F(Alerting, ABreachReachesTheFeedAndAlertsAndRecoveryResolvesIt) {
  ASSERT_EQ(vitals_.ingest(sync_run("exception", now_ - 60'000)).status, 200);
  ASSERT_TRUE(
      wait_until([&] { return feed_alerts("SyncFailing", "firing").size() == 1; }, seconds(10)))
      << feed().dump(2);
  const auto firing = feed_alerts("SyncFailing", "firing")[0];
  EXPECT_EQ(firing["severity"], "error");
  EXPECT_EQ(firing["source"], "flow");
  EXPECT_EQ(firing["title"], "Sync s1 failed its latest run");
  EXPECT_TRUE(firing["userId"].is_null()) << "rule alerts fan out";
  EXPECT_EQ(firing["metadata"]["labels"]["integration_key"], "s1");
  EXPECT_EQ(firing["metadata"]["threshold"], 0);
  EXPECT_EQ(firing["metadata"]["observed"], 1);
  EXPECT_TRUE(wait_until([&] { return firing_in(metrics()); }, seconds(10))) << metrics();

  ASSERT_EQ(vitals_.ingest(sync_run("success", now_ - 30'000)).status, 200);
  ASSERT_TRUE(
      wait_until([&] { return feed_alerts("SyncFailing", "resolved").size() == 1; }, seconds(10)))
      << feed().dump(2);
  const auto resolved = feed_alerts("SyncFailing", "resolved")[0];
  EXPECT_EQ(resolved["severity"], "success");
  EXPECT_EQ(resolved["metadata"]["resolves"], firing["id"]);
  EXPECT_FALSE(firing_in(metrics()));
  EXPECT_EQ(feed_alerts("SyncFailing", "firing").size(), 1u) << "announced once";
}

TEST_F(Alerting, ARestartWhileFiringAnnouncesNothingTwice) {
  ASSERT_EQ(vitals_.ingest(sync_run("exception", now_ - 60'000)).status, 200);
  ASSERT_TRUE(
      wait_until([&] { return feed_alerts("SyncFailing", "firing").size() == 1; }, seconds(10)));
  ASSERT_EQ(vitals_.stop(), 0);
  vitals_.start();
  EXPECT_TRUE(wait_until([&] { return firing_in(metrics()); }, seconds(10)))
      << "the firing state came back with the store";
  const std::string rule_metrics = metrics();
  EXPECT_NE(rule_metrics.find("vitals_rule_evaluations_total{rule=\"SyncFailing\"}"),
            std::string::npos);
  EXPECT_EQ(feed_alerts("SyncFailing", "firing").size(), 1u);
}

TEST_F(Alerting, RuleHealthIsOnMetrics) {
  ASSERT_TRUE(wait_until(
      [&] {
        return metrics().find("vitals_rule_last_success_timestamp_seconds{rule=\"SyncFailing\"}") !=
               std::string::npos;
      },
      seconds(10)));
  EXPECT_NE(metrics().find("vitals_rules_loaded 9"), std::string::npos);
}

class Reloading : public Alerting {
 protected:
  Reloading() : Alerting(rules_table("\"rules/*.toml\"")) {}

  void write_rules(const std::string& text) {
    std::filesystem::create_directories(vitals_.dir().path() / "rules");
    std::ofstream(vitals_.dir().path() / "rules" / "r.toml") << text;
  }

  HttpResponse reload(const std::string& token = "dev-admin-token") {
    return client_.post(vitals_.url("/-/reload"), "", {{"Authorization", "Bearer " + token}});
  }
};

TEST_F(Reloading, ReloadLoadsValidRulesAndRefusesInvalidOnesKeepingTheOld) {
  EXPECT_NE(metrics().find("vitals_rules_loaded 0"), std::string::npos);
  write_rules(
      "[[rules]]\nname=\"AnyError\"\nsignal=\"error_count\"\nop=\">\"\nthreshold=0\n"
      "title=\"errors\"\n");
  auto ok = reload();
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(metrics().find("vitals_rules_loaded 1"), std::string::npos);

  write_rules("[[rules]]\nname=\"Broken\"\nsignal=\"nonsense\"\n");
  auto refused = reload();
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.json()["message"].get<std::string>().find("r.toml"), std::string::npos)
      << refused.body;
  EXPECT_NE(metrics().find("vitals_rules_loaded 1"), std::string::npos) << "the old rules run";
  EXPECT_EQ(reload("dev-editor-token").status, 403);
  EXPECT_EQ(client_.post(vitals_.url("/-/reload"), "").status, 401);
}

TEST_F(Reloading, ReloadSwapsTheTokens) {
  const std::string rotated = "rotated-viewer-token";
  EXPECT_EQ(vitals_.get("/spaces/acme/integration-health", rotated).status, 401);
  std::ofstream(vitals_.dir().path() / "vitals.toml", std::ios::app)
      << "\n[[tokens]]\ntoken = \"" << rotated << "\"\nrole = \"viewer\"\ntenants = [\"acme\"]\n";
  auto ok = reload();
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.json()["message"].get<std::string>().find("6 tokens"), std::string::npos) << ok.body;
  EXPECT_EQ(vitals_.get("/spaces/acme/integration-health", rotated).status, 200);
  EXPECT_EQ(vitals_.get("/spaces/globex/integration-health", rotated).status, 404);
}

// A tenant added by a reload can be written and read at once; one removed is gone from every
// path, and its events are there again when it comes back (its id follows from its slug).
TEST_F(Reloading, ReloadAddsAndRemovesTenants) {
  const std::string event = R"({"tenant":"initech","type":"webhook","status":"success","time":")" +
                            a_second_ago() + "\"}";
  const std::string health = "/spaces/initech/integration-health";
  EXPECT_EQ(vitals_.ingest(event).status, 400) << "not declared yet";
  EXPECT_EQ(vitals_.get(health, "dev-admin-token").status, 404);

  const auto config_path = vitals_.dir().path() / "vitals.toml";
  const std::string declared = [&] {
    std::ifstream in(config_path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  std::ofstream(config_path, std::ios::app)
      << "\n[[tenants]]\nslug = \"initech\"\nname = \"Initech\"\n";
  auto added = reload();
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_NE(added.json()["message"].get<std::string>().find("3 tenants"), std::string::npos)
      << added.body;
  ASSERT_EQ(vitals_.ingest(event).status, 200);
  auto read = vitals_.get(health, "dev-admin-token");
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.json()["total_events"], 1);
  EXPECT_EQ(vitals_.get(health, "dev-viewer-token").status, 404) << "a token of acme only";

  std::ofstream(config_path, std::ios::trunc) << declared;
  auto removed = reload();
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(vitals_.get(health, "dev-admin-token").status, 404);
  EXPECT_EQ(vitals_.ingest(event).status, 400);
  EXPECT_EQ(vitals_.get("/spaces/acme/integration-health", "dev-viewer-token").status, 200);

  std::ofstream(config_path, std::ios::app)
      << "\n[[tenants]]\nslug = \"initech\"\nname = \"Initech\"\n";
  ASSERT_EQ(reload().status, 200);
  auto back = vitals_.get(health, "dev-admin-token");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json()["total_events"], 1);
}

TEST_F(Reloading, ReloadReplacesTheNotificationReceivers) {
  EXPECT_EQ(metrics().find("vitals_notification_queue_length{"), std::string::npos);
  std::ofstream(vitals_.dir().path() / "vitals.toml", std::ios::app)
      << "\n[[notifications.webhooks]]\nname = \"late\"\nurl = \"http://127.0.0.1:1/h\"\n";
  auto ok = reload();
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.json()["message"].get<std::string>().find("1 notification receivers"),
            std::string::npos)
      << ok.body;
  EXPECT_NE(metrics().find("vitals_notification_queue_length{receiver=\"late\"} 0"),
            std::string::npos);
}

}  // namespace
}  // namespace vitals::testing
