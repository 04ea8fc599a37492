#include "store/sqlite.h"

#include <gtest/gtest.h>

namespace vitals::sqlite {
namespace {

// The store's answer to "can a client retry later?" (503 + Retry-After) or "this is a bug"
// (500). check() keeps the primary code, so extended codes (SQLITE_IOERR_WRITE,
// SQLITE_READONLY_DBMOVED, SQLITE_BUSY_SNAPSHOT...) land on their primary one.
TEST(SqliteError, FullDiskIoErrorsReadOnlyUnopenableAndLockedAreUnavailable) {
  for (int extended : {SQLITE_FULL, SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_IOERR_SHMSIZE,
                       SQLITE_READONLY, SQLITE_READONLY_DBMOVED, SQLITE_CANTOPEN, SQLITE_BUSY,
                       SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED}) {
    EXPECT_TRUE(Error(extended & 0xff, "x").is_unavailable()) << extended;
  }
  for (int code : {SQLITE_ERROR, SQLITE_CONSTRAINT, SQLITE_CORRUPT, SQLITE_MISUSE, SQLITE_TOOBIG}) {
    EXPECT_FALSE(Error(code, "x").is_unavailable()) << code;
  }
}

TEST(SqliteError, ARefusedWriteCarriesItsPrimaryCode) {
  Database db(":memory:");
  db.exec("CREATE TABLE t (x INTEGER NOT NULL)");
  try {
    db.exec("PRAGMA query_only = ON; INSERT INTO t VALUES (1)");
    FAIL() << "a query-only connection took a write";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), SQLITE_READONLY);
    EXPECT_TRUE(e.is_unavailable());
  }
}

TEST(SqliteMemory, GrowsWithWhatAConnectionCachesAndShrinksWhenItCloses) {
  const std::int64_t before = memory_used();
  {
    Database db(":memory:");
    db.exec("CREATE TABLE t (x TEXT NOT NULL)");
    db.exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
        "INSERT INTO t SELECT printf('%050d', i) FROM n");
    // 20,000 rows of 50 bytes live in the in-memory database's pages: over a MiB.
    EXPECT_GT(memory_used() - before, 1 << 20);
  }
  EXPECT_LT(memory_used() - before, 1 << 16);
}

}  // namespace
}  // namespace vitals::sqlite
