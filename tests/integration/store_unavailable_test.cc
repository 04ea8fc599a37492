// When the store cannot take writes, ingest (and every other writer) answers 503 with
// Retry-After and stores nothing (SPEC §3.1), and vitals takes writes again by itself once it
// can. Real ways to get there: another process holding SQLite's exclusive lock; a full disk,
// made without privileges by lowering vitals' file-size limit (RLIMIT_FSIZE: a write past it
// fails with EFBIG exactly where a full disk fails with ENOSPC); and a real file system that
// fills up (a size-limited tmpfs in a private mount namespace, where that is allowed). A store on
// a read-only file system is refused at start with a message that says so.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "stored_events.h"
#include "support/ingest_clients.h"
#include "support/private_tmpfs.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

TEST(StoreUnavailable, IngestIs503WithRetryAfterAndStoresNothing) {
  VitalsProcess vitals;
  vitals.start();
  const std::string db_path = vitals.db_path().string();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);

  auto refused = vitals.ingest(R"({"tenant":"acme","type":"webhook","status":"success"})");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.json()["error"], "unavailable");
  EXPECT_FALSE(refused.header("retry-after").empty());

  ASSERT_EQ(sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto health = vitals.get("/spaces/acme/integration-health", "dev-viewer-token");
  EXPECT_EQ(health.json()["total_events"], 0) << "a 5xx never means partly stored";
  EXPECT_EQ(vitals.ingest(R"({"tenant":"acme","type":"webhook","status":"success"})").status, 200)
      << "and the store takes writes again once it can";
}

// Sets the soft limit only: the same user may raise it again later without privileges.
void limit_file_size(pid_t pid, rlim_t bytes) {
  rlimit limit{};
  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, nullptr, &limit), 0);
  limit.rlim_cur = std::min(bytes, limit.rlim_max);
  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, &limit, nullptr), 0);
}

uintmax_t largest_file(const std::filesystem::path& dir) {
  uintmax_t largest = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) largest = std::max(largest, entry.file_size());
  }
  return largest;
}

// Batches and member lists sent until the store is full, and what became of them.
class FillingStore : public ::testing::Test {
 protected:
  SentBatch send(size_t events) {
    SentBatch batch;
    batch.name = "full-b" + std::to_string(sent_.size());
    batch.body = batch_body(batch.name, events);
    batch.events = events;
    last_ = vitals_.ingest(batch.body);
    batch.status = last_.status;
    sent_.push_back(batch);
    return batch;
  }

  // A member list big enough that storing it must grow the store's files.
  HttpResponse put_members(size_t count) {
    std::string body;
    for (size_t i = 0; i < count; ++i) body += "\"member-" + std::to_string(i) + "\"\n";
    return http_.put(
        vitals_.url("/api/v1/tenants/acme/audiences/hv/members"), body,
        {{"Authorization", "Bearer dev-editor-token"}, {"Content-Type", "application/x-ndjson"}});
  }

  size_t acknowledged_events() const {
    size_t n = 0;
    for (const auto& b : sent_) n += b.acknowledged() ? b.events : 0;
    return n;
  }

  // Sends batches of 500 until one is refused; that refusal must be the store's 503.
  void fill_until_refused() {
    for (int i = 0; i < 400 && send(500).acknowledged(); ++i) {
    }
    ASSERT_EQ(last_.status, 503) << "the writes never hit the limit: " << last_.body;
    EXPECT_EQ(last_.json()["error"], "unavailable");
    EXPECT_FALSE(last_.header("retry-after").empty());
    EXPECT_EQ(send(500).status, 503) << "still full, still refused";
  }

  // What the store file at `db_path` holds of the batches sent: every acknowledged batch once,
  // nothing of a refused one.
  void expect_store_keeps_every_promise(const std::filesystem::path& db_path) const {
    const StoredEvents store(db_path, "full-");
    size_t refused_but_stored = 0;
    for (const auto& line : broken_batch_promises(store, sent_, refused_but_stored)) {
      ADD_FAILURE() << line;
    }
    EXPECT_EQ(refused_but_stored, 0u) << "a 503 means nothing of the batch was stored";
    EXPECT_EQ(store.total_rows(), acknowledged_events());
  }

  VitalsProcess vitals_;
  HttpClient http_;
  std::vector<SentBatch> sent_;
  HttpResponse last_;
};

class DiskFull : public FillingStore {
 protected:
  void SetUp() override { vitals_.start(); }
};

TEST_F(DiskFull, IngestAndOtherWritersAnswer503UntilSpaceReturnsThenRecoverWithoutARestart) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(send(100).status, 200) << last_.body;
  // Room for a little more than what is there: the WAL soon needs to grow past it.
  limit_file_size(vitals_.pid(), largest_file(vitals_.dir().path()) + 64 * 1024);
  fill_until_refused();
  if (HasFatalFailure()) return;
  const auto members = put_members(50'000);
  EXPECT_EQ(members.status, 503) << "the audiences cannot write either: " << members.body;
  EXPECT_FALSE(members.header("retry-after").empty());
  EXPECT_TRUE(vitals_.log().find("not stored") != std::string::npos) << vitals_.log();
  EXPECT_GE(vitals_.metric("vitals_ingest_batches_total{result=\"unavailable\"}"), 2);

  limit_file_size(vitals_.pid(), RLIM_INFINITY);
  EXPECT_EQ(send(100).status, 200) << "space is back: " << last_.body;
  EXPECT_EQ(put_members(50'000).status, 200) << last_.body;
  EXPECT_EQ(events_counted_by_vitals(vitals_), acknowledged_events())
      << "the refused batches reached neither the rollups nor the counts";
  ASSERT_EQ(vitals_.stop(), 0);
  expect_store_keeps_every_promise(vitals_.db_path());
}

// vitals' data directory on a tmpfs of its own that starts nearly full: ENOSPC from the kernel.
class FullFileSystem : public FillingStore {
 protected:
  static constexpr std::uint64_t kSmall = 3 << 20;
  static constexpr std::uint64_t kRoomy = 64 << 20;

  void SetUp() override {
    if (!PrivateTmpfs::available()) {
      GTEST_SKIP() << "this machine allows no private mount namespace (needs root or user "
                      "namespaces); DiskFull.* covers the same path with RLIMIT_FSIZE";
    }
    tmpfs_ = std::make_unique<PrivateTmpfs>(vitals_.db_path().parent_path(), kSmall);
    vitals_.set_launch_prefix(tmpfs_->launch_prefix());
    vitals_.start();
  }

  // A copy of the stopped vitals' store where SQLite can open it: through /proc/PID/root it
  // would resolve the path back into this namespace, where the tmpfs is not.
  std::filesystem::path copied_out_store() const {
    const auto copy = vitals_.dir().path() / "store-copy";
    std::filesystem::create_directories(copy);
    for (const char* suffix : {"", "-wal"}) {
      const auto file = tmpfs_->outside_path(vitals_.db_path().string() + suffix);
      if (std::filesystem::exists(file)) {
        std::filesystem::copy_file(file, copy / ("vitals.db" + std::string(suffix)));
      }
    }
    return copy / "vitals.db";
  }

  std::unique_ptr<PrivateTmpfs> tmpfs_;
};

TEST_F(FullFileSystem, WritesAre503UntilTheFileSystemGrowsThenTakenWithoutARestart) {
  fill_until_refused();
  if (HasFatalFailure()) return;
  EXPECT_GE(acknowledged_events(), 1000u) << "the store took nothing before it filled";
  const auto members = put_members(50'000);
  EXPECT_EQ(members.status, 503) << "the audiences cannot write either: " << members.body;
  EXPECT_GE(vitals_.metric("vitals_ingest_batches_total{result=\"unavailable\"}"), 2);
  EXPECT_EQ(vitals_.get("/-/healthy", "").status, 200) << "full, but still serving";

  tmpfs_->resize(kRoomy);
  EXPECT_EQ(send(500).status, 200) << "space is back: " << last_.body;
  EXPECT_EQ(put_members(50'000).status, 200) << last_.body;
  EXPECT_EQ(events_counted_by_vitals(vitals_), acknowledged_events())
      << "the refused batches reached neither the rollups nor the counts";
  ASSERT_EQ(vitals_.stop(), 0);
  expect_store_keeps_every_promise(copied_out_store());

  vitals_.start();
  EXPECT_EQ(events_counted_by_vitals(vitals_), acknowledged_events()) << "after a restart too";
}

TEST_F(FullFileSystem, AStoreOnAReadOnlyFileSystemIsRefusedAtStartWithAClearMessage) {
  ASSERT_EQ(send(10).status, 200);
  ASSERT_EQ(vitals_.stop(), 0);
  tmpfs_->set_read_only(true);
  EXPECT_THROW(vitals_.start(), std::runtime_error) << "a store it cannot write is no store";
  EXPECT_NE(vitals_.log().find("read-only"), std::string::npos) << vitals_.log();

  tmpfs_->set_read_only(false);
  vitals_.start();
  EXPECT_EQ(events_counted_by_vitals(vitals_), 10u) << "writable again: the store is intact";
}

}  // namespace
}  // namespace vitals::testing
