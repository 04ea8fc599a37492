// The shipped Grafana dashboards against a real Prometheus: vitals runs with the shipped rules,
// a webhook receiver and the example traffic; Prometheus scrapes it; then every expression of
// every panel, and every variable's label_values, must be valid PromQL and return data.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "support/prometheus_server.h"
#include "support/recording_receiver.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

using std::chrono::seconds;

// What tests/tools/check_dashboards.py finds in dashboards/: targets with their expressions and
// query variables with their label_values, template variables already substituted.
nlohmann::json dashboard_queries(const TempDir& dir) {
  ChildProcess extract;
  const auto out = dir.path() / "queries.json";
  extract.start({"/bin/sh", "-c",
                 "python3 " + std::string(VITALS_SOURCE_DIR) +
                     "/tests/tools/check_dashboards.py expressions " +
                     std::string(VITALS_SOURCE_DIR) + "/dashboards > " + out.string()},
                {}, dir.path() / "extract.log");
  const auto status = extract.wait_exit(seconds(60));
  if (status != 0) throw std::runtime_error("extracting expressions failed: " + extract.read_log());
  std::ifstream in(out);
  return nlohmann::json::parse(in);
}

class Dashboards : protected WithReceiver, public ::testing::Test {
 protected:
  Dashboards()
      : vitals_("", "[rules]\nfiles = [\"" + std::string(VITALS_SOURCE_DIR) +
                        "/rules/*.toml\"]\ninterval = \"1s\"\n\n[[notifications.webhooks]]\n"
                        "name = \"ops\"\nurl = \"" +
                        receiver_.url() + "\"\n") {}

  void SetUp() override {
    vitals_.start();
    // Thirty hours of example history and a few live seconds: every family has series, and
    // rules fire (stale integrations, warehouse connections in error).
    ChildProcess traffic;
    traffic.start({VITALS_TRAFFIC_BINARY, "--url", "http://" + vitals_.address(), "--token",
                   "dev-admin-token", "--backfill-hours", "30", "--rate", "50", "--duration", "3"},
                  {}, vitals_.dir().path() / "traffic.log");
    ASSERT_EQ(traffic.wait_exit(seconds(120)), 0) << traffic.read_log();
    // One refused batch, so the rejection counters exist.
    ASSERT_EQ(vitals_.ingest("{not json}\n").status, 400);
  }

  // Runs `expr` until it returns data (Prometheus needs a few scrapes for rates); the last answer.
  nlohmann::json query_until_data(PrometheusServer& prometheus, const std::string& expr) {
    nlohmann::json answer;
    wait_until(
        [&] {
          answer = prometheus.query(expr);
          return answer["status"] != "success" || !answer["data"]["result"].empty();
        },
        seconds(20), std::chrono::milliseconds(500));
    return answer;
  }

  VitalsProcess vitals_;
  TempDir dir_;
};

TEST_F(Dashboards, EveryPanelExpressionAndVariableReturnsDataFromARealPrometheus) {
  const nlohmann::json queries = dashboard_queries(dir_);
  ASSERT_GT(queries.size(), 30u) << "five dashboards' worth of queries";
  PrometheusServer prometheus(vitals_.address());
  ASSERT_TRUE(wait_until(
      [&] {
        const auto alerts = prometheus.query("ALERTS{alertstate=\"firing\"}");
        const auto sent = prometheus.query("vitals_notifications_sent_total");
        return !alerts["data"]["result"].empty() && !sent["data"]["result"].empty();
      },
      seconds(60), std::chrono::milliseconds(500)))
      << "alerts fire and notifications are sent";

  size_t checked = 0;
  for (const auto& q : queries) {
    std::string expr;
    if (q.contains("expr")) {
      expr = q["expr"];
    } else {
      const auto& lv = q["label_values"];
      const std::string selector = lv.value("selector", "");
      expr = "group by (" + lv["label"].get<std::string>() + ") (" +
             lv["metric"].get<std::string>() + (selector.empty() ? "" : selector) + ")";
    }
    const std::string where = q["dashboard"].get<std::string>() + " / " +
                              q.value("panel", q.value("variable", std::string())) + ": " + expr;
    const auto answer = query_until_data(prometheus, expr);
    EXPECT_EQ(answer["status"], "success") << where << "\n" << answer.dump();
    EXPECT_FALSE(answer["data"]["result"].empty()) << "no data: " << where;
    ++checked;
  }
  EXPECT_EQ(checked, queries.size());
}

}  // namespace
}  // namespace vitals::testing
