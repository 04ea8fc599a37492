#include "metrics/exporter_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <string>

namespace vitals {
namespace {

// The value of the one sample of `name` whose labels include `label` = `value` (or any, when
// `label` is empty); -1 when there is none.
double sample(prometheus::Registry& registry, const std::string& name,
              const std::string& label = "", const std::string& value = "") {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      bool matches = label.empty();
      for (const auto& pair : metric.label) matches |= pair.name == label && pair.value == value;
      if (!matches) continue;
      return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                            : metric.gauge.value;
    }
  }
  return -1;
}

// increase(vitals_ingest_rejections_total{reason="unauthorized"}[5m]) > 0 reads 0, not no data,
// before the first refusal.
TEST(ExporterMetrics, EveryBatchResultAndRejectionReasonIsShownAtZeroFromTheStart) {
  prometheus::Registry registry;
  ExporterMetrics metrics(registry);
  for (const char* result : {"accepted", "rejected", "unavailable"}) {
    EXPECT_EQ(sample(registry, "vitals_ingest_batches_total", "result", result), 0) << result;
  }
  for (const char* reason : {"invalid", "unauthorized", "forbidden", "timeout", "too_large",
                             "unsupported_media_type", "unavailable", "error"}) {
    EXPECT_EQ(sample(registry, "vitals_ingest_rejections_total", "reason", reason), 0) << reason;
  }
}

TEST(ExporterMetrics, ARefusedIngestRequestIsCountedUnderTheReasonForItsStatus) {
  prometheus::Registry registry;
  ExporterMetrics metrics(registry);
  metrics.count_rejection(401);
  metrics.count_rejection(415);
  metrics.count_rejection(415);
  metrics.count_rejection(500);
  EXPECT_EQ(sample(registry, "vitals_ingest_rejections_total", "reason", "unauthorized"), 1);
  EXPECT_EQ(sample(registry, "vitals_ingest_rejections_total", "reason", "unsupported_media_type"),
            2);
  EXPECT_EQ(sample(registry, "vitals_ingest_rejections_total", "reason", "error"), 1);
  EXPECT_EQ(sample(registry, "vitals_ingest_rejections_total", "reason", "invalid"), 0);
}

TEST(ExporterMetrics, TheClosedDayCacheIsShownBySizeAndLookups) {
  prometheus::Registry registry;
  ExporterMetrics metrics(registry);
  metrics.set_closed_day_cache(4096, 10, 3);
  EXPECT_EQ(sample(registry, "vitals_rollup_closed_day_cache_bytes"), 4096);
  EXPECT_EQ(sample(registry, "vitals_rollup_closed_day_cache_lookups_total", "result", "hit"), 10);
  EXPECT_EQ(sample(registry, "vitals_rollup_closed_day_cache_lookups_total", "result", "miss"), 3);
}

// Two scrapes may read the totals in one order and report them in the other: an older total
// never counts the difference twice.
TEST(ExporterMetrics, CountersFollowRunningTotalsThatArriveOutOfOrder) {
  prometheus::Registry registry;
  ExporterMetrics metrics(registry);
  metrics.set_closed_day_cache(0, 12, 0);
  metrics.set_closed_day_cache(0, 10, 0);
  metrics.set_closed_day_cache(0, 12, 0);
  EXPECT_EQ(sample(registry, "vitals_rollup_closed_day_cache_lookups_total", "result", "hit"), 12);
  metrics.set_closed_day_cache(0, 15, 0);
  EXPECT_EQ(sample(registry, "vitals_rollup_closed_day_cache_lookups_total", "result", "hit"), 15);

  metrics.set_recent_events(0, 0, 4);
  metrics.set_recent_events(0, 0, 2);
  metrics.set_recent_events(0, 0, 4);
  EXPECT_EQ(sample(registry, "vitals_rollup_recent_bound_hits_total"), 4);
}

}  // namespace
}  // namespace vitals
