// Ingest over HTTP into the real binary, then read the integration-health API back.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>

#include "core/gzip.h"
#include "core/time_format.h"
#include "event_times.h"
#include "sync_runs.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

struct Expected {
  int total = 0;
  int success = 0;
  std::map<std::string, std::pair<int, int>> by_type;  // type -> (total, success)
  TimeMs last_success = 0;
};

// Random events of tenant acme spread over the last `days` days, kept a minute away from the
// window's edges so that the time between sending and asking cannot move one across.
std::string random_batch(int n, int days, std::uint64_t seed, Expected& expected,
                         const std::string& id_prefix = "") {
  std::mt19937_64 rng(seed);
  const TimeMs now = wall_now();
  std::uniform_int_distribution<TimeMs> when(now - days * kMsPerDay + kMsPerMinute,
                                             now - kMsPerMinute);
  const char* types[] = {"metadata_sync", "quality_check", "profiling", "webhook", "alert"};
  const char* statuses[] = {"success", "success", "success", "vendor_error", "exception", "ERROR"};
  std::string body;
  for (int i = 0; i < n; ++i) {
    const std::string type = types[rng() % 5];
    const std::string status = statuses[rng() % 6];
    const TimeMs t = when(rng);
    nlohmann::json e = {{"tenant", "acme"},
                        {"type", type},
                        {"key", "k" + std::to_string(rng() % 3)},
                        {"status", status},
                        {"time", format_rfc3339_ms(t)},
                        {"latency_ms", double(rng() % 5000) / 10}};
    if (status != "success") e["error"] = {{"category", "timeout"}, {"message", "slow"}};
    if (!id_prefix.empty()) e["id"] = id_prefix + std::to_string(i);
    body += e.dump() + "\n";
    ++expected.total;
    ++expected.by_type[type].first;
    if (status == "success") {
      ++expected.success;
      ++expected.by_type[type].second;
      expected.last_success = std::max(expected.last_success, t);
    }
  }
  return body;
}

class IngestAndHealth : public ::testing::Test {
 protected:
  void SetUp() override { vitals_.start(); }

  nlohmann::json health(const std::string& query = "") {
    auto r = vitals_.get("/spaces/acme/integration-health" + query, "dev-viewer-token");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  VitalsProcess vitals_;
};

TEST_F(IngestAndHealth, HealthNumbersMatchWhatWasSent) {
  Expected expected;
  for (int batch = 0; batch < 5; ++batch) {
    auto r = vitals_.ingest(random_batch(400, 30, 100 + batch, expected));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["accepted"], 400);
    EXPECT_EQ(r.json()["duplicates"], 0);
  }
  const auto body = health();
  EXPECT_EQ(body["space_id"], kAcmeId);
  EXPECT_EQ(body["period_days"], 30);
  EXPECT_EQ(body["total_events"], expected.total);
  EXPECT_EQ(body["success_count"], expected.success);
  EXPECT_EQ(body["error_count"], expected.total - expected.success);
  EXPECT_DOUBLE_EQ(body["success_rate"].get<double>(),
                   std::round(expected.success * 10000.0 / expected.total) / 100.0);
  EXPECT_EQ(body["last_success_at"], format_rfc3339(expected.last_success));
  ASSERT_EQ(body["by_integration_type"].size(), expected.by_type.size());
  int previous_total = INT32_MAX;
  for (const auto& row : body["by_integration_type"]) {
    const auto& want = expected.by_type[row["integration_type"].get<std::string>()];
    EXPECT_EQ(row["total"], want.first);
    EXPECT_EQ(row["success"], want.second);
    EXPECT_EQ(row["errors"], want.first - want.second);
    EXPECT_LE(row["total"].get<int>(), previous_total) << "rows must be ordered by total";
    previous_total = row["total"].get<int>();
  }
  // The same tenant by id, and the other tenant (empty) for a token that may read it.
  auto by_id =
      vitals_.get(std::string("/spaces/") + kAcmeId + "/integration-health", "dev-viewer-token");
  EXPECT_EQ(by_id.json()["total_events"], expected.total);
  auto globex = vitals_.get("/spaces/globex/integration-health", "dev-globex-viewer-key");
  ASSERT_EQ(globex.status, 200);
  EXPECT_EQ(globex.json()["total_events"], 0);
  EXPECT_TRUE(globex.json()["success_rate"].is_null());
}

TEST_F(IngestAndHealth, ShorterWindowCountsOnlyItsEvents) {
  Expected recent, older;
  ASSERT_EQ(vitals_.ingest(random_batch(100, 1, 1, recent)).status, 200);
  std::string old_body;
  {
    // Events between 3 and 9 days ago.
    std::mt19937_64 rng(2);
    const TimeMs now = wall_now();
    for (int i = 0; i < 50; ++i) {
      const TimeMs t = now - 3 * kMsPerDay - static_cast<TimeMs>(rng() % (6 * kMsPerDay));
      old_body += nlohmann::json{{"tenant", "acme"},
                                 {"type", "webhook"},
                                 {"status", "success"},
                                 {"time", format_rfc3339_ms(t)}}
                      .dump() +
                  "\n";
    }
  }
  ASSERT_EQ(vitals_.ingest(old_body).status, 200);
  EXPECT_EQ(health("?days=1")["total_events"], recent.total);
  EXPECT_EQ(health("?days=2")["total_events"], recent.total);
  EXPECT_EQ(health("?days=10")["total_events"], recent.total + 50);
}

TEST_F(IngestAndHealth, ABatchWithOneBadLineStoresNothing) {
  const std::string body = R"({"tenant":"acme","type":"webhook","status":"success"})"
                           "\n"
                           R"({"tenant":"acme","type":"webhook","status":"sucess"})"
                           "\n"
                           R"({"tenant":"acme","type":"webhook","status":"success"})"
                           "\n";
  auto r = vitals_.ingest(body);
  ASSERT_EQ(r.status, 400);
  const auto error = r.json();
  EXPECT_EQ(error["error"], "invalid_events");
  ASSERT_EQ(error["errors"].size(), 1u);
  EXPECT_EQ(error["errors"][0]["line"], 2);
  EXPECT_EQ(error["errors"][0]["field"], "status");
  EXPECT_EQ(health()["total_events"], 0);
}

TEST_F(IngestAndHealth, ADuplicateIdIsAcknowledgedButCountedOnce) {
  const std::string line = R"({"tenant":"acme","type":"webhook","status":"success","id":"evt-1",)"
                           R"("time":")" +
                           a_second_ago() + "\"}\n";
  EXPECT_EQ(vitals_.ingest(line).json()["duplicates"], 0);
  auto again = vitals_.ingest(line + line);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["accepted"], 2);
  EXPECT_EQ(again.json()["duplicates"], 2);
  EXPECT_EQ(health()["total_events"], 1);
}

TEST_F(IngestAndHealth, JsonArrayEnvelopeAndGzipBodiesAreAccepted) {
  HttpClient client;
  const std::string event =
      R"({"tenant":"acme","type":"webhook","status":"success","time":")" + a_second_ago() + "\"}";
  const HeaderList json_headers = {{"x-api-key", "dev-ingest-token"},
                                   {"Content-Type", "application/json"}};
  EXPECT_EQ(
      client.post(vitals_.url("/api/v1/events"), "[" + event + "," + event + "]", json_headers)
          .status,
      200);
  EXPECT_EQ(
      client.post(vitals_.url("/api/v1/events"), R"({"events":[)" + event + "]}", json_headers)
          .status,
      200);
  auto gz = client.post(vitals_.url("/api/v1/events"), gzip(event + "\n" + event),
                        {{"x-api-key", "dev-ingest-token"},
                         {"Content-Type", "application/x-ndjson"},
                         {"Content-Encoding", "gzip"}});
  EXPECT_EQ(gz.status, 200) << gz.body;
  EXPECT_EQ(health()["total_events"], 5);
}

TEST_F(IngestAndHealth, RestartKeepsEveryAcknowledgedEvent) {
  Expected expected;
  ASSERT_EQ(vitals_.ingest(random_batch(300, 30, 7, expected, "r")).status, 200);
  const auto before = health();
  const auto before_day = health("?days=1");
  EXPECT_EQ(vitals_.stop(), 0) << "SIGTERM must end vitals with status 0";
  vitals_.start();
  EXPECT_EQ(vitals_.metric("vitals_startup_rollup_snapshot_loaded"), 1) << vitals_.log();
  EXPECT_EQ(vitals_.metric("vitals_startup_replayed_events"), 0);
  EXPECT_GT(vitals_.metric("vitals_store_sqlite_memory_bytes"), 100'000);  // caches and schemas
  EXPECT_EQ(health(), before);
  EXPECT_EQ(health("?days=1"), before_day);
  // Idempotency survives the restart too.
  auto again = vitals_.ingest(random_batch(300, 30, 7, expected, "r"));
  EXPECT_EQ(again.json()["duplicates"], 300);
}

TEST_F(IngestAndHealth, SigkillLosesNoAcknowledgedEvent) {
  Expected expected;
  for (int batch = 0; batch < 3; ++batch) {
    ASSERT_EQ(vitals_.ingest(random_batch(200, 30, 50 + batch, expected)).status, 200);
  }
  vitals_.kill_hard();
  vitals_.start();
  EXPECT_EQ(health()["total_events"], expected.total);
}

// The snapshot saved at the clean stop is older than the store after more batches and a
// SIGKILL: the next start loads it and replays only what came after it.
TEST_F(IngestAndHealth, SigkillAfterASnapshotReplaysOnlyTheLaterEvents) {
  Expected expected;
  ASSERT_EQ(vitals_.ingest(random_batch(250, 30, 60, expected)).status, 200);
  ASSERT_EQ(vitals_.stop(), 0);
  vitals_.start();
  for (int batch = 0; batch < 2; ++batch) {
    ASSERT_EQ(vitals_.ingest(random_batch(100, 30, 61 + batch, expected)).status, 200);
  }
  const auto before = health();
  vitals_.kill_hard();
  vitals_.start();
  EXPECT_EQ(vitals_.metric("vitals_startup_rollup_snapshot_loaded"), 1) << vitals_.log();
  EXPECT_EQ(vitals_.metric("vitals_startup_replayed_events"), 200);
  EXPECT_EQ(health()["total_events"], expected.total);
  EXPECT_EQ(health(), before);
}

// A snapshot beside a database it was not taken from (the store deleted, restored from a
// backup, replaced) is refused: the rollups then come from the store alone.
TEST_F(IngestAndHealth, ASnapshotOfAnotherStoreIsNotUsed) {
  Expected expected;
  ASSERT_EQ(vitals_.ingest(random_batch(120, 30, 70, expected)).status, 200);
  ASSERT_EQ(vitals_.stop(), 0);
  const auto data = vitals_.dir().path() / "data";
  ASSERT_TRUE(std::filesystem::exists(data / "vitals.db.rollups"));
  for (const char* file : {"vitals.db", "vitals.db-wal", "vitals.db-shm"}) {
    std::filesystem::remove(data / file);
  }
  vitals_.start();
  EXPECT_EQ(vitals_.metric("vitals_startup_rollup_snapshot_loaded"), 0);
  EXPECT_EQ(health()["total_events"], 0);
  EXPECT_NE(vitals_.log().find("rollup snapshot not used"), std::string::npos) << vitals_.log();
}

TEST_F(IngestAndHealth, DaysMustBeAnIntegerFrom1To400) {
  for (const char* bad : {"0", "401", "-1", "abc", "1.5", "", "99999999999999999999"}) {
    auto r =
        vitals_.get(std::string("/spaces/acme/integration-health?days=") + bad, "dev-viewer-token");
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.json()["error"], "invalid_parameter") << bad;
  }
  EXPECT_EQ(health("?days=400")["period_days"], 400);
  EXPECT_EQ(health("?days=1")["period_days"], 1);
}

}  // namespace
}  // namespace vitals::testing
