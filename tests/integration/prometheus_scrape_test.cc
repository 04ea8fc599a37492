// /metrics as Prometheus sees it: promtool's lint, content negotiation, and a real Prometheus
// scraping vitals and answering a query over what it scraped.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/gzip.h"
#include "support/prometheus_server.h"
#include "support/promtool.h"
#include "support/wait.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

std::string events(int n, const std::string& key, const std::string& status) {
  std::string body;
  for (int i = 0; i < n; ++i) {
    body += R"({"tenant":"acme","type":"webhook","key":")" + key +
            R"(","mode":"realtime",)"
            R"("status":")" +
            status + R"(","latency_ms":)" + std::to_string(10 + i) +
            R"(,"counts":{"evaluations":3},"error":{"category":"timeout"}})"
            "\n";
  }
  return body;
}

class PrometheusSide : public ::testing::Test {
 protected:
  void SetUp() override {
    vitals_.start();
    // Label values with characters the exposition format must carry as they are.
    ASSERT_EQ(vitals_.ingest(events(7, "sales.force:eu/1", "success")).status, 200);
    ASSERT_EQ(vitals_.ingest(events(2, "sales.force:eu/1", "vendor_error")).status, 200);
  }

  HttpResponse scrape(const HeaderList& headers = {}) {
    return client_.get(vitals_.url("/metrics"), headers);
  }

  VitalsProcess vitals_;
  HttpClient client_;
};

TEST_F(PrometheusSide, PromtoolFindsNothingToReport) {
  auto r = scrape();
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("text/plain; version=0.0.4"), std::string::npos);
  const auto lint = promtool_check_metrics(r.body);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  EXPECT_EQ(lint.output.find("error"), std::string::npos) << lint.output;
}

TEST_F(PrometheusSide, ExposesTheContractsFamiliesWithRawLabelValues) {
  const std::string body = scrape().body;
  const std::string labels =
      R"(integration_key="sales.force:eu/1",integration_type="webhook",mode="realtime")";
  EXPECT_NE(body.find("vitals_integration_events_total{" + labels +
                      R"(,status="success",tenant="acme"} 7)"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("vitals_integration_events_total{" + labels +
                      R"(,status="vendor_error",tenant="acme"} 2)"),
            std::string::npos);
  EXPECT_NE(
      body.find(R"(vitals_integration_latency_seconds_count{)" + labels + R"(,tenant="acme"} 9)"),
      std::string::npos);
  EXPECT_NE(body.find(R"(vitals_integration_items_total{integration_key="sales.force:eu/1",)"
                      R"(integration_type="webhook",item="evaluations",tenant="acme"} 21)"),
            std::string::npos);
  for (const char* family :
       {"vitals_integration_last_success_timestamp_seconds{",
        "vitals_integration_last_error_timestamp_seconds{", "vitals_build_info{",
        "vitals_ingest_events_total{", "vitals_http_requests_total{",
        "vitals_http_request_duration_seconds_bucket{", "vitals_store_write_duration_seconds_count",
        "process_resident_memory_bytes", "process_cpu_seconds_total"}) {
    EXPECT_NE(body.find(family), std::string::npos) << family;
  }
}

TEST_F(PrometheusSide, OpenMetricsAndGzipWhenAsked) {
  auto om = scrape({{"Accept", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5"}});
  EXPECT_NE(om.header("content-type").find("application/openmetrics-text"), std::string::npos);
  EXPECT_EQ(om.body.substr(om.body.size() - 6), "# EOF\n");
  EXPECT_NE(om.body.find("# TYPE vitals_integration_events counter"), std::string::npos);

  auto zipped = scrape({{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(zipped.header("content-encoding"), "gzip");
  std::string plain;
  ASSERT_EQ(gunzip(zipped.body, 64 << 20, plain), InflateResult::kOk);
  EXPECT_NE(plain.find("vitals_integration_events_total"), std::string::npos);
}

TEST_F(PrometheusSide, AScraperThatRefusesOpenMetricsOrGzipGetsNeither) {
  auto text = scrape({{"Accept", "application/openmetrics-text;q=0, text/plain"},
                      {"Accept-Encoding", "gzip;q=0"}});
  EXPECT_NE(text.header("content-type").find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_EQ(text.header("content-encoding"), "");
  EXPECT_NE(text.body.find("vitals_integration_events_total"), std::string::npos);
}

TEST_F(PrometheusSide, ARealPrometheusScrapesAndAnswersQueries) {
  PrometheusServer prometheus(vitals_.address());
  const std::string expr = R"(sum(vitals_integration_events_total{tenant="acme"}))";
  nlohmann::json answer;
  const bool scraped = wait_until(
      [&] {
        answer = prometheus.query(expr);
        return answer["status"] == "success" && !answer["data"]["result"].empty();
      },
      std::chrono::seconds(60), std::chrono::milliseconds(250));
  ASSERT_TRUE(scraped) << answer.dump() << "\n" << prometheus.read_log();
  EXPECT_EQ(answer["data"]["result"][0]["value"][1], "9");

  auto up = prometheus.query(R"(up{job="vitals"})");
  ASSERT_FALSE(up["data"]["result"].empty());
  EXPECT_EQ(up["data"]["result"][0]["value"][1], "1");

  auto failures =
      prometheus.query(R"(vitals_integration_events_total{status="vendor_error",tenant="acme"})");
  ASSERT_EQ(failures["data"]["result"].size(), 1u);
  EXPECT_EQ(failures["data"]["result"][0]["metric"]["integration_key"], "sales.force:eu/1");
  EXPECT_EQ(failures["data"]["result"][0]["value"][1], "2");

  // Bucket bounds are written as Prometheus's clients write them, since the le label is stored
  // as sent: "0.0005", not "5e-04".
  auto fastest = prometheus.query(R"(vitals_http_request_duration_seconds_bucket{le="0.0005"})");
  EXPECT_FALSE(fastest["data"]["result"].empty()) << fastest.dump();
  // A reason that has not happened yet is a series at 0, not an absent one.
  auto unauthorized = prometheus.query(R"(vitals_ingest_rejections_total{reason="unauthorized"})");
  ASSERT_EQ(unauthorized["data"]["result"].size(), 1u) << unauthorized.dump();
  EXPECT_EQ(unauthorized["data"]["result"][0]["value"][1], "0");
}

}  // namespace
}  // namespace vitals::testing
