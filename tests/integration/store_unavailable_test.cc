// When the store cannot take writes, ingest answers 503 with Retry-After and stores nothing
// (SPEC §3.1). Another process holding SQLite's exclusive lock is a real way to get there.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "vitals_process.h"

namespace vitals::testing {
namespace {

TEST(StoreUnavailable, IngestIs503WithRetryAfterAndStoresNothing) {
  VitalsProcess vitals;
  vitals.start();
  const std::string db_path = (vitals.dir().path() / "data" / "vitals.db").string();
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

}  // namespace
}  // namespace vitals::testing
