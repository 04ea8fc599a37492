// The store's disk fails under the ingest pipeline: a write refused as on a file system turned
// read-only, as on a full disk, or an fsync that fails. Each refused batch must surface as an
// "unavailable" error (the HTTP API's 503 + Retry-After), reach neither the rollups nor the
// store, not come back after a crash, and the pipeline must take the next batch once the disk
// works again, without being rebuilt.

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <filesystem>
#include <set>

#include "ingest/ingest_pipeline.h"
#include "support/failing_vfs.h"
#include "support/store_and_rollups.h"

namespace vitals {
namespace {

constexpr TimeMs kFaultNow = 1'771'322'400'000;  // 2026-02-17T10:00:00Z

std::vector<Event> batch(const std::string& name, int events) {
  std::vector<Event> out;
  for (int i = 0; i < events; ++i) {
    Event e;
    e.id = name + "-" + std::to_string(i);
    e.tenant_id = "acme-id";
    e.type = "sync_run";
    e.key = "orders";
    e.mode = "default";
    e.time = kFaultNow - i;
    out.push_back(std::move(e));
  }
  return out;
}

// The ids a store file holds, as a process opening it after a crash would find them: the
// database and its write-ahead log copied as they are on disk, without the shared-memory index,
// so that SQLite recovers the log from its frames alone.
std::multiset<std::string> ids_after_a_crash(const std::string& db_path) {
  const auto dir = std::filesystem::path(db_path).parent_path() / "after-crash";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const char* suffix : {"", "-wal"}) {
    const std::filesystem::path file = db_path + suffix;
    if (std::filesystem::exists(file)) {
      std::filesystem::copy_file(file, dir / ("vitals.db" + std::string(suffix)));
    }
  }
  std::multiset<std::string> ids;
  EventStore recovered((dir / "vitals.db").string());
  recovered.scan_all([&](StoredEvent&& e) { ids.insert(e.event.id); });
  return ids;
}

class DiskFaults : public ::testing::TestWithParam<testing::DiskFault> {
 protected:
  DiskFaults()
      : data_({35 * kMsPerDay, 8 * kMsPerDay}, kFaultNow),
        metrics_([](const std::string& id) { return id; }),
        exporter_metrics_(registry_),
        pipeline_(data_.store(), data_.rollups(), metrics_, exporter_metrics_) {}

  std::uint64_t events_in_rollups() {
    RollupFilter acme;
    acme.tenant_ids = {"acme-id"};
    return data_.rollups().total(acme, kFaultNow - kMsPerDay, kFaultNow + 1).total();
  }

  // How many of a copy's ids start with `prefix`.
  static size_t count_with_prefix(const std::multiset<std::string>& ids,
                                  const std::string& prefix) {
    size_t n = 0;
    for (const auto& id : ids) n += id.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  }

  testing::FailingVfs vfs_;  // first: every database below opens through it
  testing::StoreAndRollups data_;
  prometheus::Registry registry_;
  IntegrationMetrics metrics_;
  ExporterMetrics exporter_metrics_;
  IngestPipeline pipeline_;
};

TEST_P(DiskFaults, ARefusedBatchIsUnavailableNeverHalfStoredAndTheRetryIsTakenOnce) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(pipeline_.submit(batch("ok" + std::to_string(i), 10), PastSeriesLimit::kRefuseBatch)
                  .accepted,
              10u);
  }

  vfs_.set(GetParam());
  try {
    pipeline_.submit(batch("refused", 10), PastSeriesLimit::kRefuseBatch);
    FAIL() << "the batch was acknowledged on a failing disk";
  } catch (const sqlite::Error& e) {
    EXPECT_TRUE(e.is_unavailable()) << "a client must be told to retry: " << e.what();
  }
  EXPECT_GT(vfs_.failures(), 0);
  EXPECT_EQ(events_in_rollups(), 30u) << "the rollups saw nothing of the refused batch";
  vfs_.set(testing::DiskFault::kNone);
  EXPECT_EQ(data_.store().count(), 30) << "nor did this process's store";

  // Killed now, before anything else is written: a refused write left nothing behind. A failed
  // fsync is different: the batch's frames, commit mark and all, may already be in the log, so
  // the batch can be there after a crash; but only whole, and so a 503 is the right answer:
  // SPEC §3.1 promises a 5xx never means "partly stored", and the retry below is safe.
  const auto crashed = ids_after_a_crash(data_.db_path());
  EXPECT_EQ(count_with_prefix(crashed, "ok"), 30u);
  const size_t refused_kept = count_with_prefix(crashed, "refused");
  if (GetParam() == testing::DiskFault::kSync) {
    EXPECT_TRUE(refused_kept == 0 || refused_kept == 10) << refused_kept << " of 10 kept";
  } else {
    EXPECT_EQ(refused_kept, 0u);
  }

  // The client retries with the same ids once the disk works again: no restart needed, and
  // each event is stored once whatever the crash copy above found.
  const Submission retry = pipeline_.submit(batch("refused", 10), PastSeriesLimit::kRefuseBatch);
  EXPECT_EQ(retry.accepted, 10u);
  EXPECT_EQ(retry.duplicates, 0u);
  EXPECT_EQ(events_in_rollups(), 40u);
  EXPECT_EQ(data_.store().count(), 40);
  const auto after_retry = ids_after_a_crash(data_.db_path());
  EXPECT_EQ(after_retry.size(), 40u);
  EXPECT_EQ(count_with_prefix(after_retry, "refused"), 10u);
}

INSTANTIATE_TEST_SUITE_P(EveryFault, DiskFaults,
                         ::testing::Values(testing::DiskFault::kWrite, testing::DiskFault::kFull,
                                           testing::DiskFault::kSync),
                         [](const auto& info) {
                           switch (info.param) {
                             case testing::DiskFault::kWrite:
                               return "ReadOnly";
                             case testing::DiskFault::kFull:
                               return "Full";
                             case testing::DiskFault::kSync:
                               return "FsyncFails";
                             default:
                               return "None";
                           }
                         });

}  // namespace
}  // namespace vitals
