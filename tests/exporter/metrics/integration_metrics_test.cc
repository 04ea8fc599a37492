#include "metrics/integration_metrics.h"

#include <gtest/gtest.h>

namespace vitals {
namespace {

StoredEvent event(EventStatus status, TimeMs time, std::optional<double> latency_ms,
                  ItemCounts counts = {}) {
  StoredEvent s;
  s.event.tenant_id = "tid-1";
  s.event.type = "sync_run";
  s.event.key = "s1";
  s.event.mode = "default";
  s.event.status = status;
  s.event.time = time;
  s.event.latency_ms = latency_ms;
  s.event.counts = std::move(counts);
  return s;
}

std::string text_of(const IntegrationMetrics& metrics) {
  return render_exposition({}, ExpositionFormat::kText004, {&metrics});
}

class IntegrationMetricsTest : public ::testing::Test {
 protected:
  IntegrationMetrics metrics_{[](const std::string& id) { return id == "tid-1" ? "acme" : id; }};
  const std::string labels_ = R"(integration_key="s1",integration_type="sync_run")";
};

TEST_F(IntegrationMetricsTest, CountsEventsByModeAndStatusUnderTheTenantSlug) {
  metrics_.observe({event(EventStatus::kSuccess, 1'000, {}),
                    event(EventStatus::kSuccess, 2'000, {}),
                    event(EventStatus::kException, 3'000, {})});
  const std::string text = text_of(metrics_);
  EXPECT_NE(text.find("# HELP vitals_integration_events_total Integration events accepted, by "
                      "status.\n# TYPE vitals_integration_events_total counter\n"),
            std::string::npos);
  EXPECT_NE(text.find("vitals_integration_events_total{" + labels_ +
                      R"(,mode="default",status="success",tenant="acme"} 2)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("vitals_integration_events_total{" + labels_ +
                      R"(,mode="default",status="exception",tenant="acme"} 1)"),
            std::string::npos);
  EXPECT_EQ(text.find("status=\"vendor_error\""), std::string::npos) << "no empty series";
}

TEST_F(IntegrationMetricsTest, LatencyBucketsAreCumulativeWithLeLast) {
  metrics_.observe({event(EventStatus::kSuccess, 1'000, 5.0),
                    event(EventStatus::kSuccess, 1'000, 7.0),
                    event(EventStatus::kSuccess, 1'000, 700'000.0)});
  const std::string text = text_of(metrics_);
  const std::string series = labels_ + R"(,mode="default",tenant="acme")";
  EXPECT_NE(text.find("vitals_integration_latency_seconds_bucket{" + series + R"(,le="0.005"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("vitals_integration_latency_seconds_bucket{" + series + R"(,le="0.01"} 2)"),
            std::string::npos);
  EXPECT_NE(text.find("vitals_integration_latency_seconds_bucket{" + series + R"(,le="600"} 2)"),
            std::string::npos);
  EXPECT_NE(text.find("vitals_integration_latency_seconds_bucket{" + series + R"(,le="+Inf"} 3)"),
            std::string::npos);
  EXPECT_NE(text.find("vitals_integration_latency_seconds_count{" + series + "} 3"),
            std::string::npos);
  EXPECT_NE(text.find("vitals_integration_latency_seconds_sum{" + series + "} 700.012"),
            std::string::npos);
}

TEST_F(IntegrationMetricsTest, ItemsOfSuccessesOnlyAndNotTheDlqReading) {
  metrics_.observe({event(EventStatus::kSuccess, 1'000, {}, {{"rows", 10}, {"dlq_depth", 4}}),
                    event(EventStatus::kSuccess, 2'000, {}, {{"rows", 5}}),
                    event(EventStatus::kVendorError, 3'000, {}, {{"rows", 99}})});
  const std::string text = text_of(metrics_);
  EXPECT_NE(
      text.find("vitals_integration_items_total{" + labels_ + R"(,item="rows",tenant="acme"} 15)"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find("item=\"dlq_depth\""), std::string::npos);
}

TEST_F(IntegrationMetricsTest, LastSeenGaugesOnlyMoveForwardIncludingRestoredOnes) {
  metrics_.restore_last_seen({"tid-1", "sync_run", "s1", "default", EventStatus::kSuccess, ""},
                             5'000, 4'000);
  metrics_.observe(
      {event(EventStatus::kSuccess, 3'000, {}), event(EventStatus::kException, 6'500, {})});
  const std::string text = text_of(metrics_);
  EXPECT_NE(text.find("vitals_integration_last_success_timestamp_seconds{" + labels_ +
                      R"(,tenant="acme"} 5)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("vitals_integration_last_error_timestamp_seconds{" + labels_ +
                      R"(,tenant="acme"} 6.5)"),
            std::string::npos);
}

}  // namespace
}  // namespace vitals
