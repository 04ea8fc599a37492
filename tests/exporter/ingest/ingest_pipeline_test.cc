#include "ingest/ingest_pipeline.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "support/store_and_rollups.h"

namespace vitals {
namespace {

constexpr TimeMs kNow = 1'771'322'400'000;  // 2026-02-17T10:00:00Z
constexpr size_t kSeriesLimit = 3;

Event event_for_key(std::string key, std::string tenant = "acme-id") {
  Event e;
  e.tenant_id = std::move(tenant);
  e.type = "sync_run";
  e.key = std::move(key);
  e.mode = "default";
  e.time = kNow;
  return e;
}

// The real store and rollups behind a pipeline with a series limit of three per tenant.
class IngestPipelineTest : public ::testing::Test {
 protected:
  IngestPipelineTest()
      : data_({35 * kMsPerDay, 8 * kMsPerDay}, kNow),
        metrics_([](const std::string& id) { return id; }),
        exporter_metrics_(registry_),
        pipeline_(data_.store(), data_.rollups(), metrics_, exporter_metrics_, kSeriesLimit) {}

  double counted_past_limit() {
    for (const auto& family : registry_.Collect()) {
      if (family.name == "vitals_ingest_events_past_series_limit_total") {
        return family.metric.at(0).counter.value;
      }
    }
    return -1;
  }

  testing::StoreAndRollups data_;
  prometheus::Registry registry_;
  IntegrationMetrics metrics_;
  ExporterMetrics exporter_metrics_;
  IngestPipeline pipeline_;
};

TEST_F(IngestPipelineTest, ABatchPastTheSeriesLimitIsRefusedWhole) {
  ASSERT_TRUE(
      pipeline_.submit({event_for_key("a"), event_for_key("b")}, PastSeriesLimit::kRefuseBatch)
          .past_series_limit.empty());
  const Submission refused = pipeline_.submit(
      {event_for_key("a"), event_for_key("c"), event_for_key("d"), event_for_key("e")},
      PastSeriesLimit::kRefuseBatch);
  EXPECT_EQ(refused.past_series_limit, (std::vector<size_t>{2, 3}));
  EXPECT_EQ(refused.accepted, 0u);
  EXPECT_EQ(data_.store().count(), 2) << "nothing of the refused batch is stored";
  EXPECT_EQ(data_.rollups().series_count(), 2u);
  EXPECT_EQ(counted_past_limit(), 2);

  // The sender drops what was past the limit and sends the rest again.
  const Submission rest =
      pipeline_.submit({event_for_key("a"), event_for_key("c")}, PastSeriesLimit::kRefuseBatch);
  EXPECT_TRUE(rest.past_series_limit.empty());
  EXPECT_EQ(rest.accepted, 2u);
  EXPECT_EQ(data_.store().count(), 4);
}

TEST_F(IngestPipelineTest, DroppingStoresEverythingButTheEventsPastTheLimit) {
  const Submission s =
      pipeline_.submit({event_for_key("a"), event_for_key("b"), event_for_key("c"),
                        event_for_key("d"), event_for_key("a"), event_for_key("a", "globex-id")},
                       PastSeriesLimit::kDropEvents);
  EXPECT_EQ(s.past_series_limit, (std::vector<size_t>{3}));
  EXPECT_EQ(s.accepted, 5u);
  EXPECT_EQ(data_.store().count(), 5);
  EXPECT_EQ(data_.rollups().series_count(), 4u) << "three of acme's, one of globex's";
  // A known series is never refused, however full its tenant is.
  EXPECT_TRUE(pipeline_.submit({event_for_key("c")}, PastSeriesLimit::kDropEvents)
                  .past_series_limit.empty());
}

}  // namespace
}  // namespace vitals
