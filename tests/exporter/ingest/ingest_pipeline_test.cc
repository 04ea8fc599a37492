#include "ingest/ingest_pipeline.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "support/store_and_rollups.h"

namespace vitals {
namespace {

constexpr TimeMs kPipelineNow = 1'771'322'400'000;  // 2026-02-17T10:00:00Z
constexpr size_t kSeriesLimit = 3;

Event event_for_key(std::string key, std::string tenant = "acme-id") {
  Event e;
  e.tenant_id = std::move(tenant);
  e.type = "sync_run";
  e.key = std::move(key);
  e.mode = "default";
  e.time = kPipelineNow;
  return e;
}

// The real store and rollups behind a pipeline with a series limit of three per tenant.
class IngestPipelineTest : public ::testing::Test {
 protected:
  IngestPipelineTest()
      : data_({35 * kMsPerDay, 8 * kMsPerDay}, kPipelineNow),
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

// A batch whose commit the test holds open (through the batch's own extra write) until it lets
// go, so that other batches queue up behind it meanwhile.
class HeldCommit {
 public:
  explicit HeldCommit(IngestPipeline& pipeline, std::vector<Event> events)
      : events_(std::move(events)), thread_([this, &pipeline] {
          result_ = pipeline.submit(events_, PastSeriesLimit::kRefuseBatch,
                                    [this](sqlite::Database&) { hold(); });
        }) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return inside_; });
  }
  ~HeldCommit() {
    release();
    if (thread_.joinable()) thread_.join();
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  Submission result() {
    release();
    if (thread_.joinable()) thread_.join();
    return result_;
  }

 private:
  void hold() {
    std::unique_lock lock(mutex_);
    inside_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return released_; });
  }

  std::vector<Event> events_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool inside_ = false;
  bool released_ = false;
  Submission result_;
  std::thread thread_;
};

// Submits from a thread of its own and waits until the batch is queued.
class QueuedBatch {
 public:
  QueuedBatch(IngestPipeline& pipeline, std::vector<Event> events,
              const EventStore::AlsoWrite& also = {})
      : events_(std::move(events)) {
    const size_t before = pipeline.waiting_batches();
    thread_ = std::thread([this, &pipeline, also] {
      try {
        result_ = pipeline.submit(events_, PastSeriesLimit::kRefuseBatch, also);
      } catch (const sqlite::Error&) {
        failed_ = true;
      }
    });
    while (pipeline.waiting_batches() == before) std::this_thread::yield();
  }
  ~QueuedBatch() {
    if (thread_.joinable()) thread_.join();
  }
  Submission result() {
    thread_.join();
    return result_;
  }
  bool failed() {
    if (thread_.joinable()) thread_.join();
    return failed_;
  }

 private:
  std::vector<Event> events_;
  Submission result_;
  bool failed_ = false;
  std::thread thread_;
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

TEST_F(IngestPipelineTest, BatchesThatWaitForACommitAreStoredTogetherInTheNextOne) {
  int commits = 0;
  pipeline_.on_commit([&] { ++commits; });
  HeldCommit first(pipeline_, {event_for_key("a")});
  QueuedBatch second(pipeline_, {event_for_key("a"), event_for_key("b")});
  QueuedBatch third(pipeline_, {event_for_key("b")});
  EXPECT_EQ(pipeline_.waiting_batches(), 2u);

  EXPECT_EQ(first.result().accepted, 1u);
  EXPECT_EQ(second.result().accepted, 2u);
  EXPECT_EQ(third.result().accepted, 1u);
  EXPECT_EQ(commits, 2) << "the two that waited share one commit";
  EXPECT_EQ(data_.store().count(), 4);
  EXPECT_EQ(data_.rollups().series_count(), 2u);
}

TEST_F(IngestPipelineTest, AFailedGroupCommitFailsEveryBatchInItAndStoresNone) {
  HeldCommit first(pipeline_, {event_for_key("a")});
  QueuedBatch good(pipeline_, {event_for_key("a")});
  QueuedBatch failing(pipeline_, {event_for_key("b")}, [](sqlite::Database&) {
    throw sqlite::Error(SQLITE_FULL, "database or disk is full");
  });
  EXPECT_EQ(first.result().accepted, 1u);
  EXPECT_TRUE(good.failed()) << "its group was not stored, so it must not be acknowledged";
  EXPECT_TRUE(failing.failed());
  EXPECT_EQ(data_.store().count(), 1);
  EXPECT_EQ(data_.rollups().series_count(), 1u);
  EXPECT_EQ(pipeline_.submit({event_for_key("b")}, PastSeriesLimit::kRefuseBatch).accepted, 1u)
      << "the next commit is not affected";
}

TEST_F(IngestPipelineTest, BatchesInOneCommitAreEachCheckedAgainstTheSeriesAheadOfThem) {
  ASSERT_EQ(pipeline_.submit({event_for_key("a")}, PastSeriesLimit::kRefuseBatch).accepted, 1u);
  HeldCommit first(pipeline_, {event_for_key("a")});
  QueuedBatch takes_b(pipeline_, {event_for_key("b")});
  QueuedBatch refused(pipeline_, {event_for_key("a"), event_for_key("c"), event_for_key("d")});
  QueuedBatch takes_c(pipeline_, {event_for_key("c")});
  first.release();

  EXPECT_TRUE(takes_b.result().past_series_limit.empty());
  const Submission r = refused.result();
  EXPECT_EQ(r.past_series_limit, (std::vector<size_t>{2})) << "b and c fill the tenant's three";
  EXPECT_EQ(r.accepted, 0u);
  EXPECT_TRUE(takes_c.result().past_series_limit.empty())
      << "the refused batch started nothing, so its c did not take the last place";
  EXPECT_EQ(data_.rollups().series_count(), 3u);
  EXPECT_EQ(data_.store().count(), 4);
}

}  // namespace
}  // namespace vitals
