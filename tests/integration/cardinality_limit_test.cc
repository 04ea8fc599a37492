// limits.max_series_per_family as a scraper sees it: keys past the limit land in one
// __overflow__ series, the refusals are counted, promtool still finds nothing to report, and the
// JSON APIs (which read the rollups, not /metrics) still count every event.

#include <gtest/gtest.h>

#include "support/promtool.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

constexpr int kLimit = 5;
constexpr int kKeys = 20;

std::string events_with_distinct_keys(int keys) {
  std::string body;
  for (int k = 0; k < keys; ++k) {
    body += R"({"tenant":"acme","type":"sync_run","key":"conn-)" + std::to_string(k) +
            R"(","mode":"batch","status":")" + (k % 4 == 0 ? "vendor_error" : "success") +
            R"(","latency_ms":120,"counts":{"rows":10}})"
            "\n";
  }
  return body;
}

class CardinalityLimit : public ::testing::Test {
 protected:
  CardinalityLimit()
      : vitals_("", "[limits]\nmax_series_per_family = " + std::to_string(kLimit) + "\n") {}
  void SetUp() override {
    vitals_.start();
    ASSERT_EQ(vitals_.ingest(events_with_distinct_keys(kKeys)).status, 200);
    scrape_ = client_.get(vitals_.url("/metrics"));
    ASSERT_EQ(scrape_.status, 200);
  }

  VitalsProcess vitals_;
  HttpClient client_;
  HttpResponse scrape_;
};

TEST_F(CardinalityLimit, KeysPastTheLimitShareOneOverflowSeriesAndAreCounted) {
  const std::string overflow =
      R"({integration_key="__overflow__",integration_type="sync_run",mode="__overflow__",)";
  // Keys 0-4 made five series (0 and 4 failed, 1-3 succeeded) and used up the limit; the rest
  // share one overflow series per status.
  EXPECT_EQ(count_samples(scrape_.body, "vitals_integration_events_total{"), size_t(kLimit) + 2);
  EXPECT_EQ(sample(scrape_.body, R"(vitals_integration_events_total{integration_key="conn-4",)"
                                 R"(integration_type="sync_run",mode="batch",)"
                                 R"(status="vendor_error",tenant="acme"})"),
            1);
  EXPECT_EQ(sample(scrape_.body, "vitals_integration_events_total" + overflow +
                                     R"(status="success",tenant="acme"})"),
            12);  // keys 5-19 but the failed 8, 12 and 16: with the five own ones, all 20
  EXPECT_EQ(sample(scrape_.body, "vitals_integration_events_total" + overflow +
                                     R"(status="vendor_error",tenant="acme"})"),
            3);
  EXPECT_EQ(sample(scrape_.body, R"(vitals_integration_items_total{integration_key="__overflow__",)"
                                 R"(integration_type="sync_run",item="__overflow__",)"
                                 R"(tenant="acme"})"),
            12 * 10);
  EXPECT_EQ(count_samples(scrape_.body, "vitals_integration_latency_seconds_count{"),
            size_t(kLimit) + 1);
  EXPECT_EQ(
      sample(scrape_.body,
             R"(vitals_metrics_series_dropped_total{family="vitals_integration_events_total"})"),
      kKeys - kLimit);
  EXPECT_EQ(
      sample(scrape_.body, R"(vitals_metrics_series{family="vitals_integration_events_total"})"),
      kLimit + 2);
  EXPECT_EQ(sample(scrape_.body, "vitals_metrics_series_limit"), kLimit);
  EXPECT_NE(vitals_.log().find("is at limits.max_series_per_family (5 series)"), std::string::npos)
      << vitals_.log();
}

TEST_F(CardinalityLimit, PromtoolAcceptsTheOverflowSeries) {
  ASSERT_NE(scrape_.body.find("__overflow__"), std::string::npos);
  const auto lint = promtool_check_metrics(scrape_.body);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  EXPECT_EQ(lint.output.find("error"), std::string::npos) << lint.output;
}

TEST_F(CardinalityLimit, TheJsonApisStillCountEveryKey) {
  const auto health = vitals_.get("/spaces/acme/integration-health", "dev-viewer-token");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json()["total_events"], kKeys);
  EXPECT_EQ(health.json()["error_count"], 5);
}

}  // namespace
}  // namespace vitals::testing
