#include "metrics/exposition.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <limits>

namespace vitals {
namespace {

std::vector<prometheus::MetricFamily> sample_families() {
  static auto registry = std::make_shared<prometheus::Registry>();
  static bool built = false;
  if (!built) {
    built = true;
    prometheus::BuildCounter()
        .Name("demo_events_total")
        .Help("Events.")
        .Register(*registry)
        .Add({{"key", "quote\" back\\slash\nnewline"}})
        .Increment(3);
    prometheus::BuildHistogram()
        .Name("demo_latency_seconds")
        .Help("Latency.")
        .Register(*registry)
        .Add({}, prometheus::Histogram::BucketBoundaries{0.1, 1})
        .Observe(0.5);
  }
  return registry->Collect();
}

TEST(Exposition, NegotiatesOpenMetricsOnlyWhenAsked) {
  EXPECT_EQ(negotiate_exposition(""), ExpositionFormat::kText004);
  EXPECT_EQ(negotiate_exposition("text/plain;version=0.0.4"), ExpositionFormat::kText004);
  EXPECT_EQ(negotiate_exposition("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"),
            ExpositionFormat::kOpenMetrics100);
  // What Prometheus sends.
  EXPECT_EQ(negotiate_exposition("application/openmetrics-text;version=1.0.0,application/"
                                 "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;"
                                 "q=0.5,*/*;q=0.1"),
            ExpositionFormat::kOpenMetrics100);
  EXPECT_EQ(negotiate_exposition("APPLICATION/OpenMetrics-Text"),
            ExpositionFormat::kOpenMetrics100);
}

TEST(Exposition, AScraperThatRefusesOrRanksOpenMetricsLowerGetsText) {
  EXPECT_EQ(negotiate_exposition("application/openmetrics-text;q=0"), ExpositionFormat::kText004);
  EXPECT_EQ(negotiate_exposition(
                "text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.1"),
            ExpositionFormat::kText004);
  EXPECT_EQ(negotiate_exposition("application/openmetrics-text;q=0.5, */*"),
            ExpositionFormat::kText004);
}

TEST(Exposition, OpenMetricsNamesCountersWithoutTotalAndEndsWithEof) {
  const std::string text = render_exposition(sample_families(), ExpositionFormat::kOpenMetrics100);
  EXPECT_NE(text.find("# TYPE demo_events counter\n"), std::string::npos);
  EXPECT_NE(text.find("demo_events_total{key=\"quote\\\" back\\\\slash\\nnewline\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("demo_latency_seconds_bucket{le=\"+Inf\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("demo_latency_seconds_count 1\n"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 6), "# EOF\n");
}

TEST(Exposition, TextFormatEscapesLabelValues) {
  const std::string text = render_exposition(sample_families(), ExpositionFormat::kText004);
  EXPECT_NE(text.find("# TYPE demo_events_total counter"), std::string::npos);
  EXPECT_NE(text.find("quote\\\" back\\\\slash\\nnewline"), std::string::npos);
}

TEST(Exposition, TextFormatHasHelpThenTypeAndKeepsTotalOnCounters) {
  const std::string text = render_exposition(sample_families(), ExpositionFormat::kText004);
  EXPECT_NE(text.find("# HELP demo_events_total Events.\n# TYPE demo_events_total counter\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("demo_latency_seconds_bucket{le=\"0.1\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("demo_latency_seconds_sum 0.5\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("# EOF"), std::string::npos);
}

TEST(Exposition, NumbersAreWholeOrTheShortestExactText) {
  prometheus::MetricFamily family{"demo", "Demo.", prometheus::MetricType::Gauge, {}};
  for (double v : {100000.0, 0.1, 1795473928.901, -3.0, 1e300}) {
    prometheus::ClientMetric m;
    m.gauge.value = v;
    family.metric.push_back(m);
  }
  const std::string text = render_exposition({family}, ExpositionFormat::kText004);
  for (const char* line :
       {"demo 100000\n", "demo 0.1\n", "demo 1795473928.901\n", "demo -3\n", "demo 1e+300\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << " in\n" << text;
  }
}

// Prometheus keeps an le label as written, so a selector le="0.0005" (how Prometheus's clients
// write that bound) matches only a bucket written the same way, not "5e-04".
TEST(Exposition, SmallNumbersArePositionalDownToATenThousandth) {
  prometheus::MetricFamily family{"demo", "Demo.", prometheus::MetricType::Histogram, {}};
  prometheus::ClientMetric m;
  m.histogram.sample_count = 1;
  m.histogram.bucket = {{1, 0.0005},  {1, 0.0001}, {1, 0.00002},
                        {1, -0.0025}, {1, 60},     {1, std::numeric_limits<double>::infinity()}};
  family.metric.push_back(m);
  for (auto format : {ExpositionFormat::kText004, ExpositionFormat::kOpenMetrics100}) {
    const std::string text = render_exposition({family}, format);
    for (const char* le : {"le=\"0.0005\"", "le=\"0.0001\"", "le=\"2e-05\"", "le=\"-0.0025\""}) {
      EXPECT_NE(text.find(le), std::string::npos) << le << " in\n" << text;
    }
  }
  // A whole bound: an integer in the text format, a float in OpenMetrics (as Go's client does).
  EXPECT_NE(render_exposition({family}, ExpositionFormat::kText004).find("le=\"60\""),
            std::string::npos);
  const std::string open_metrics = render_exposition({family}, ExpositionFormat::kOpenMetrics100);
  EXPECT_NE(open_metrics.find("le=\"60.0\""), std::string::npos) << open_metrics;
  EXPECT_NE(open_metrics.find("le=\"+Inf\""), std::string::npos) << open_metrics;
}

}  // namespace
}  // namespace vitals
