// SIGTERM while several clients ingest at full speed: vitals finishes the batches it took,
// refuses or drops the rest before storing any of them, and exits 0. Every batch that got a 200
// is there after the restart; every other one is absent; none is half-stored. And with no load a
// stop is immediate.

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "stored_events.h"
#include "support/http_client.h"
#include "support/ingest_clients.h"
#include "support/wait.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

TEST(ShutdownUnderLoad, SigtermFinishesTakenBatchesStoresNoOtherAndExitsZero) {
  VitalsProcess vitals;
  vitals.start();
  IngestClients clients(
      {.url = vitals.url("/api/v1/events"), .clients = 4, .batch_size = 50, .run = "term"});
  ASSERT_TRUE(
      wait_until([&] { return clients.acknowledged_batches() >= 40; }, std::chrono::seconds(20)));
  EXPECT_EQ(vitals.stop(), 0) << "SIGTERM under load ends vitals with status 0";
  clients.stop();
  const auto sent = clients.batches();

  vitals.start();
  const size_t counted_by_vitals = events_counted_by_vitals(vitals);
  ASSERT_EQ(vitals.stop(), 0);

  const StoredEvents store(vitals.db_path(), "term-");
  size_t unanswered_but_stored = 0;
  for (const auto& line : broken_batch_promises(store, sent, unanswered_but_stored)) {
    ADD_FAILURE() << line;
  }
  size_t acknowledged = 0;
  for (const SentBatch& b : sent) {
    acknowledged += b.acknowledged();
    if (!b.acknowledged()) {
      EXPECT_TRUE(b.status == 0 || b.status == 503) << b.name << ": " << b.status << " " << b.error;
    }
  }
  std::cout << "ShutdownUnderLoad: " << acknowledged << " batches acknowledged, "
            << sent.size() - acknowledged << " refused or unanswered\n";
  EXPECT_EQ(unanswered_but_stored, 0u) << "no batch is stored without its 200";
  EXPECT_EQ(store.total_rows(), acknowledged * 50);
  EXPECT_EQ(counted_by_vitals, store.total_rows());
}

// Without load a stop takes milliseconds, also with a client's kept-alive connection open: civetweb
// polls in 2 s steps and every stop used to wait one of them out (HttpServer::stop). The bound
// leaves a wide margin for a loaded, sanitized run while staying under that old floor.
TEST(Shutdown, AnIdleVitalsWithAKeptAliveConnectionStopsInWellUnderTwoSeconds) {
  VitalsProcess vitals;
  vitals.start();
  HttpClient kept_alive;
  ASSERT_EQ(kept_alive.get(vitals.url("/-/healthy")).status, 200);
  const auto asked = std::chrono::steady_clock::now();
  EXPECT_EQ(vitals.stop(), 0);
  const auto took = std::chrono::steady_clock::now() - asked;
  EXPECT_LT(took, std::chrono::milliseconds(1500))
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
}

}  // namespace
}  // namespace vitals::testing
