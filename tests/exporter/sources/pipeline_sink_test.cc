#include "sources/pipeline_sink.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "store/source_position_store.h"
#include "support/store_and_rollups.h"

namespace vitals::sources {
namespace {

constexpr TimeMs kSinkNow = 1'771'322'400'000;  // 2026-02-17T10:00:00Z
constexpr size_t kSeriesLimit = 4;

// The real store, rollups and pipeline, as the application wires them for a source.
class PipelineSinkTest : public ::testing::Test {
 protected:
  PipelineSinkTest()
      : clock_(kSinkNow),
        data_({35 * kMsPerDay, 8 * kMsPerDay}, kSinkNow),
        metrics_([](const std::string& id) { return id; }),
        exporter_metrics_(registry_),
        pipeline_(data_.store(), data_.rollups(), metrics_, exporter_metrics_, kSeriesLimit),
        positions_(data_.db_path()),
        sink_(pipeline_, "crm", Tenant{"acme", "acme-id", "Acme"}, 35 * kMsPerDay, clock_) {}

  ManualClock clock_;
  testing::StoreAndRollups data_;
  prometheus::Registry registry_;
  IntegrationMetrics metrics_;
  ExporterMetrics exporter_metrics_;
  IngestPipeline pipeline_;
  SourcePositionStore positions_;
  PipelineSink sink_;
};

TEST_F(PipelineSinkTest, StoresValidEventsWithThePositionAndCountsTheRest) {
  const Delivery d = sink_.deliver(
      R"({"tenant":"acme","type":"webhook","status":"success","id":"a","time":"2026-02-17T09:59:00Z"}
{"tenant":"globex","type":"webhook","status":"success"}
{"tenant":"acme","type":"webhook"}
not json
{"tenant":"acme-id","type":"webhook","status":"error","id":"b"}
)",
      "position-1");
  EXPECT_EQ(d.stored, 2u);
  EXPECT_EQ(d.rejected, 3u);
  EXPECT_EQ(d.duplicates, 0u);
  EXPECT_EQ(d.newest, kSinkNow) << "b has no time: the time of receipt";
  EXPECT_NE(d.first_problem.find("unknown tenant"), std::string::npos) << d.first_problem;
  EXPECT_EQ(data_.store().count(), 2);
  EXPECT_EQ(positions_.load("crm"), "position-1");
  EXPECT_EQ(positions_.load("other"), std::nullopt);
}

TEST_F(PipelineSinkTest, EventsPastTheTenantsSeriesLimitAreRejectedAndTheRestStored) {
  std::string records;
  for (int k = 0; k < 6; ++k) {
    records += R"({"tenant":"acme","type":"webhook","status":"success","key":"k)" +
               std::to_string(k) + "\"}\n";
  }
  const Delivery d = sink_.deliver(records, "p1");
  EXPECT_EQ(d.stored, kSeriesLimit);
  EXPECT_EQ(d.rejected, 6 - kSeriesLimit);
  EXPECT_NE(d.first_problem.find("record 5: key: would start a series past "
                                 "limits.max_series_per_tenant"),
            std::string::npos)
      << d.first_problem;
  EXPECT_EQ(data_.store().count(), 4);
  EXPECT_EQ(positions_.load("crm"), "p1") << "a source cannot change what it reads: it moves on";
}

TEST_F(PipelineSinkTest, AReplayedEventWithAnIdIsADuplicate) {
  const std::string line = R"({"tenant":"acme","type":"webhook","status":"success","id":"a"})";
  sink_.deliver(line, "p1");
  const Delivery again = sink_.deliver(line, "p2");
  EXPECT_EQ(again.stored, 0u);
  EXPECT_EQ(again.duplicates, 1u);
  EXPECT_EQ(data_.store().count(), 1);
  EXPECT_EQ(positions_.load("crm"), "p2");
}

TEST_F(PipelineSinkTest, AnEmptyDeliveryStillMovesThePosition) {
  const Delivery d = sink_.deliver("\n  \n", "p3");
  EXPECT_EQ(d.stored + d.rejected, 0u);
  EXPECT_EQ(positions_.load("crm"), "p3");
}

TEST_F(PipelineSinkTest, ThePositionRollsBackWithTheEvents) {
  sink_.deliver("", "before");
  // A position write that fails inside the transaction takes the events with it.
  EXPECT_THROW(pipeline_.submit({Event{"acme-id",
                                       "webhook",
                                       "webhook",
                                       "default",
                                       EventStatus::kSuccess,
                                       kSinkNow,
                                       std::nullopt,
                                       "",
                                       "",
                                       {},
                                       ""}},
                                PastSeriesLimit::kDropEvents,
                                [](sqlite::Database& db) { db.exec("SELECT * FROM missing"); }),
               sqlite::Error);
  EXPECT_EQ(data_.store().count(), 0);
  EXPECT_EQ(positions_.load("crm"), "before");
}

}  // namespace
}  // namespace vitals::sources
