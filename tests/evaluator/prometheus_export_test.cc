#include "evaluator/prometheus_export.h"

#include <gtest/gtest.h>

#include "evaluator/rule_loader.h"

namespace vitals::evaluator {
namespace {

// One rule from the body of a [[rules]] table (name and title are added).
Rule parsed_rule(const std::string& body) {
  const auto load =
      parse_rules("[[rules]]\nname = \"R\"\ntitle = \"t\"\n" + body, "export_test.toml");
  EXPECT_TRUE(load.problems.empty()) << (load.problems.empty() ? "" : load.problems[0].to_string());
  return load.rules.empty() ? Rule{} : load.rules.front();
}

std::string expr_of(const std::string& body) {
  const auto p = to_prometheus(parsed_rule(body));
  EXPECT_TRUE(p.expr) << p.why_not;
  return p.expr.value_or("");
}

TEST(PrometheusExport, CountsAreIncreasesOverTheWindowGroupedByTenantAndBy) {
  EXPECT_EQ(expr_of("signal = \"error_count\"\nwhere = { integration_type = \"webhook\" }\n"
                    "by = [\"integration_key\"]\nwindow = \"10m\"\nop = \">\"\nthreshold = 100\n"),
            "(sum by (tenant, integration_key) (increase(vitals_integration_events_total{"
            "integration_type=\"webhook\",status!=\"success\"}[10m]))) > 100");
}

TEST(PrometheusExport, TenantsBecomeAnAlternationAndItemsAFilter) {
  EXPECT_EQ(expr_of("tenants = [\"acme\", \"globex\"]\nsignal = \"items\"\nitem = \"rows\"\n"
                    "window = \"1d\"\nop = \"<\"\nthreshold = 1000\n"),
            "(sum by (tenant) (increase(vitals_integration_items_total{tenant=~\"acme|globex\","
            "item=\"rows\"}[1d]))) < 1000");
}

TEST(PrometheusExport, PctChangeComparesWithTheWindowBeforeAndMinEventsIsAnAnd) {
  EXPECT_EQ(expr_of("signal = \"pct_change(event_count)\"\nwindow = \"15m\"\nop = \">\"\n"
                    "threshold = 200\nmin_events = 50\n"),
            "((sum by (tenant) (increase(vitals_integration_events_total[15m])) - sum by (tenant) "
            "(increase(vitals_integration_events_total[15m] offset 15m))) / (sum by (tenant) "
            "(increase(vitals_integration_events_total[15m] offset 15m)) > 0) * 100) > 200 and "
            "sum by (tenant) (increase(vitals_integration_events_total[15m])) >= 50");
}

TEST(PrometheusExport, QuantilesComeFromTheHistogramInMilliseconds) {
  EXPECT_EQ(expr_of("signal = \"p99_ms\"\nby = [\"integration_key\"]\nop = \">\"\n"
                    "threshold = 5000\n"),
            "(1000 * histogram_quantile(0.99, sum by (tenant, integration_key, le) "
            "(rate(vitals_integration_latency_seconds_bucket[5m])))) > 5000");
}

TEST(PrometheusExport, ConnectionsAreRenamedToVitalsDimension) {
  EXPECT_EQ(expr_of("signal = \"warehouse_connection_status\"\nwhere = { state = \"error\" }\n"
                    "by = [\"integration_key\"]\nop = \"==\"\nthreshold = 1\n"),
            "(max by (tenant, integration_key) (label_replace(vitals_warehouse_connection_status{"
            "state=\"error\"}, \"integration_key\", \"$1\", \"connection\", \"(.*)\"))) == 1");
}

TEST(PrometheusExport, SignalsAndFiltersMetricsCannotCarryAreNotExported) {
  for (const std::string body :
       {"signal = \"failing_syncs\"\nop = \">\"\nthreshold = 0\n",
        "signal = \"max_ms\"\nop = \">\"\nthreshold = 0\n",
        "signal = \"error_count\"\nwhere = { error_category = \"timeout\" }\nop = \">\"\n"
        "threshold = 0\n",
        "signal = \"p95_ms\"\nwhere = { status = \"success\" }\nop = \">\"\nthreshold = 0\n",
        "signal = \"pct_change(seconds_since_last_success)\"\nop = \">\"\nthreshold = 0\n",
        "signal = \"dlq_depth\"\nop = \">\"\nthreshold = 0\nmin_events = 2\n"}) {
    const auto p = to_prometheus(parsed_rule(body));
    EXPECT_FALSE(p.expr) << body << " → " << p.expr.value_or("");
    EXPECT_FALSE(p.why_not.empty()) << body;
  }
}

TEST(PrometheusExport, TheFileHasEveryExportedRuleWithTemplatesInPrometheusTerms) {
  auto exported = parsed_rule(
      "signal = \"error_count\"\nby = [\"integration_key\"]\nop = \">\"\nthreshold = 3\n"
      "for = \"5m\"\nkeep_firing_for = \"10m\"\nseverity = \"critical\"\nsource = \"flow\"\n"
      "labels = { team = \"data\" }\n"
      "message = \"{{integration_key}} in {{tenant}}: {{value}} > {{threshold}} over {{window}} "
      "({{team}})\"\nannotations = { runbook_url = \"https://r/{{alertname}}\" }\n");
  exported.title = "{{integration_key}} fails";
  auto skipped = parsed_rule("signal = \"failing_syncs\"\nop = \">\"\nthreshold = 0\n");
  skipped.name = "Skipped";
  const std::string file = prometheus_rule_file({exported, skipped}, "vitals", {"a.toml"});
  for (const std::string expected :
       {"#   a.toml\n", "#   Skipped: failing_syncs reads the entity catalog",
        "  - name: \"vitals\"\n", "      - alert: \"R\"\n", "        for: 5m\n",
        "        keep_firing_for: 10m\n", "          severity: \"critical\"\n",
        "          source: \"flow\"\n", "          team: \"data\"\n",
        "          summary: \"{{ $labels.integration_key }} fails\"\n",
        "          description: \"{{ $labels.integration_key }} in {{ $labels.tenant }}: {{ printf "
        "\\\"%.2f\\\" $value }} > 3 over 5m (data)\"\n",
        "          runbook_url: \"https://r/R\"\n"}) {
    EXPECT_NE(file.find(expected), std::string::npos) << expected << "\nin\n" << file;
  }
  EXPECT_EQ(file.find("alert: \"Skipped\""), std::string::npos);
}

}  // namespace
}  // namespace vitals::evaluator
