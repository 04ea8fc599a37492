#include "metrics/integration_metrics.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

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

// The cardinality limit and the idle TTL, on a clock the test moves.
class IntegrationMetricsLimitTest : public ::testing::Test {
 protected:
  static constexpr TimeMs kStart = 1'700'000'000'000;

  IntegrationMetrics make(size_t max_series, TimeMs idle_ttl = 0) {
    return IntegrationMetrics([](const std::string& id) { return id == "tid-1" ? "acme" : id; },
                              clock_, SeriesLimits{max_series, idle_ttl},
                              [this](const std::string& m) { warnings_.push_back(m); });
  }

  static StoredEvent keyed(const std::string& key, EventStatus status = EventStatus::kSuccess,
                           const std::string& type = "sync_run",
                           const std::string& mode = "batch") {
    StoredEvent s = event(status, kStart, 250.0, {{"rows", 10}});
    s.event.key = key;
    s.event.type = type;
    s.event.mode = mode;
    return s;
  }

  // Every sample of a family in a text, by its labels.
  static std::map<std::string, double> samples(const std::string& text, const std::string& name) {
    std::map<std::string, double> found;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (!line.starts_with(name + "{")) continue;
      const auto space = line.rfind(' ');
      found[line.substr(name.size(), space - name.size())] = std::stod(line.substr(space + 1));
    }
    return found;
  }

  static double total(const std::map<std::string, double>& samples) {
    double sum = 0;
    for (const auto& [labels, value] : samples) sum += value;
    return sum;
  }

  ManualClock clock_{kStart};
  std::vector<std::string> warnings_;
};

TEST_F(IntegrationMetricsLimitTest, NewSeriesPastTheLimitGoToOverflowAndTotalsStayRight) {
  auto metrics = make(3);
  std::vector<StoredEvent> batch;
  for (int k = 0; k < 10; ++k) batch.push_back(keyed("k" + std::to_string(k)));
  batch.push_back(keyed("k1"));  // a known key keeps its own series
  metrics.observe(batch);
  const std::string text = text_of(metrics);

  const auto events = samples(text, "vitals_integration_events_total");
  EXPECT_EQ(events.size(), 4u) << text;  // k0..k2 and the overflow series
  EXPECT_EQ(total(events), 11);
  EXPECT_EQ(events.at(R"({integration_key="k1",integration_type="sync_run",mode="batch",)"
                      R"(status="success",tenant="acme"})"),
            2);
  EXPECT_EQ(events.at(R"({integration_key="__overflow__",integration_type="sync_run",)"
                      R"(mode="__overflow__",status="success",tenant="acme"})"),
            7);
  const auto items = samples(text, "vitals_integration_items_total");
  EXPECT_EQ(total(items), 110);
  EXPECT_EQ(items.at(R"({integration_key="__overflow__",integration_type="sync_run",)"
                     R"(item="__overflow__",tenant="acme"})"),
            70);
  EXPECT_EQ(samples(text, "vitals_integration_latency_seconds_count").size(), 4u);
  EXPECT_NE(text.find(R"(vitals_metrics_series{family="vitals_integration_events_total"} 4)"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          R"(vitals_metrics_series_dropped_total{family="vitals_integration_events_total"} 7)"),
      std::string::npos);
  EXPECT_NE(text.find("vitals_metrics_series_limit 3\n"), std::string::npos);
}

TEST_F(IntegrationMetricsLimitTest, ANewModeOrItemOfAKnownKeyIsLimitedToo) {
  auto metrics = make(2);
  metrics.observe({keyed("k0", EventStatus::kSuccess, "sync_run", "batch"),
                   keyed("k0", EventStatus::kSuccess, "sync_run", "realtime"),
                   keyed("k0", EventStatus::kSuccess, "sync_run", "stream")});
  const auto events = samples(text_of(metrics), "vitals_integration_events_total");
  EXPECT_EQ(events.size(), 3u);
  EXPECT_TRUE(events.count(R"({integration_key="__overflow__",integration_type="sync_run",)"
                           R"(mode="__overflow__",status="success",tenant="acme"})"));
}

TEST_F(IntegrationMetricsLimitTest, WarnsAtMostOnceAMinutePerFamily) {
  auto metrics = make(1);
  metrics.observe({keyed("k0"), keyed("k1"), keyed("k2")});
  // events, latency, items and last-success each refused k1's series: one warning each.
  ASSERT_EQ(warnings_.size(), 4u);
  EXPECT_NE(warnings_[0].find("vitals_integration_events_total"), std::string::npos);
  EXPECT_NE(warnings_[0].find("limits.max_series_per_family"), std::string::npos);
  clock_.advance(59 * kMsPerSecond);
  metrics.observe({keyed("k3")});
  EXPECT_EQ(warnings_.size(), 4u);
  clock_.advance(kMsPerSecond);
  metrics.observe({keyed("k4")});
  ASSERT_EQ(warnings_.size(), 8u);
  EXPECT_NE(warnings_[4].find("3 new series"), std::string::npos) << warnings_[4];
}

TEST_F(IntegrationMetricsLimitTest, OverflowRecordsAreBoundedEvenWhenTypesAreNot) {
  auto metrics = make(2);
  std::vector<StoredEvent> batch = {keyed("a", EventStatus::kSuccess, "t0"),
                                    keyed("b", EventStatus::kSuccess, "t1")};
  for (int t = 0; t < 20; ++t)
    batch.push_back(keyed("x", EventStatus::kSuccess, "n" + std::to_string(t)));
  metrics.observe(batch);
  const auto events = samples(text_of(metrics), "vitals_integration_events_total");
  // Two own series, overflow records for the first two new types, then one for every other type.
  EXPECT_EQ(events.size(), 5u);
  EXPECT_EQ(total(events), 22);
  EXPECT_TRUE(events.count(R"({integration_key="__overflow__",integration_type="__overflow__",)"
                           R"(mode="__overflow__",status="success",tenant="acme"})"));
}

TEST_F(IntegrationMetricsLimitTest, TheOverflowKeyItselfIsCountedAsOverflow) {
  auto metrics = make(10);
  metrics.observe({keyed("__overflow__")});
  const auto events = samples(text_of(metrics), "vitals_integration_events_total");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events.begin()->first.find(R"(mode="__overflow__")"), std::string::npos);
}

// The default: counters are reset by nothing but a restart (SPEC §4), however long the quiet.
TEST_F(IntegrationMetricsLimitTest, WithoutATtlAQuietIntegrationKeepsItsCounters) {
  auto metrics = make(10);
  metrics.observe({keyed("quiet")});
  metrics.observe({keyed("quiet")});
  clock_.advance(400 * kMsPerDay);
  EXPECT_EQ(metrics.expire_idle(), 0u);
  metrics.observe({keyed("quiet")});
  const auto events = samples(text_of(metrics), "vitals_integration_events_total");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events.begin()->second, 3);
}

TEST_F(IntegrationMetricsLimitTest, IdleSeriesLeaveAfterTheTtlAndFreeTheirSlots) {
  auto metrics = make(2, kMsPerHour);
  metrics.observe({keyed("old")});
  clock_.advance(30 * kMsPerMinute);
  metrics.observe({keyed("busy")});
  EXPECT_EQ(metrics.expire_idle(), 0u);
  metrics.observe({keyed("new")});  // no room yet: into the overflow record
  clock_.advance(60 * kMsPerMinute);
  metrics.observe({keyed("busy")});
  EXPECT_EQ(metrics.expire_idle(), 2u) << "'old' and the overflow record idled an hour";
  metrics.observe({keyed("new")});
  const std::string text = text_of(metrics);
  const auto events = samples(text, "vitals_integration_events_total");
  EXPECT_EQ(events.size(), 2u) << text;
  EXPECT_EQ(text.find(R"(integration_key="old")"), std::string::npos);
  EXPECT_EQ(text.find("__overflow__\""), std::string::npos);
  EXPECT_EQ(events.at(R"({integration_key="new",integration_type="sync_run",mode="batch",)"
                      R"(status="success",tenant="acme"})"),
            1)
      << "a returning series restarts from zero";
  EXPECT_NE(text.find(R"(vitals_metrics_series{family="vitals_integration_events_total"} 2)"),
            std::string::npos);
}

TEST_F(IntegrationMetricsLimitTest, NoTtlKeepsSeriesForever) {
  auto metrics = make(5, 0);
  metrics.observe({keyed("k")});
  clock_.advance(400 * kMsPerDay);
  EXPECT_EQ(metrics.expire_idle(), 0u);
  EXPECT_EQ(samples(text_of(metrics), "vitals_integration_events_total").size(), 1u);
}

TEST_F(IntegrationMetricsLimitTest, RestoredReadingsRespectTheLimitAndTheTtl) {
  auto metrics = make(1, kMsPerDay);
  const auto key = [](const std::string& k) {
    return SeriesKey{"tid-1", "sync_run", k, "", EventStatus::kSuccess, ""};
  };
  metrics.restore_last_seen(key("a"), kStart - kMsPerHour, kNoTime);
  metrics.restore_last_seen(key("b"), kStart - 2 * kMsPerHour, kNoTime);
  metrics.restore_last_seen(key("ancient"), kStart - 2 * kMsPerDay, kNoTime);
  const auto seen = samples(text_of(metrics), "vitals_integration_last_success_timestamp_seconds");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen.at(R"({integration_key="a",integration_type="sync_run",tenant="acme"})"),
            double(kStart - kMsPerHour) / 1000);
  EXPECT_EQ(
      seen.at(R"({integration_key="__overflow__",integration_type="sync_run",tenant="acme"})"),
      double(kStart - 2 * kMsPerHour) / 1000);
}

}  // namespace
}  // namespace vitals
