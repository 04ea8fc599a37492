// Crash safety (SPEC §3.1 and §7, docs/reliability-durability.md): vitals killed with SIGKILL at
// random moments, over and over, while several clients ingest at full speed, loses no
// acknowledged event, stores none twice and never half a batch; and an alert that fires and
// resolves while vitals keeps dying is announced once per state change, its notifications
// delivered with one delivery id each. The seed of the random kill times is printed; set
// VITALS_CRASH_SEED to replay a run.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "core/time_format.h"
#include "stored_events.h"
#include "support/ingest_clients.h"
#include "support/recording_receiver.h"
#include "support/wait.h"
#include "sync_runs.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kRounds = 20;
#ifdef VITALS_SANITIZED
constexpr int kMaxKillDelayMs = 1500;  // the sanitized vitals needs longer to get going
#else
constexpr int kMaxKillDelayMs = 600;
#endif

std::mt19937 seeded_rng(const char* test) {
  const char* fixed = std::getenv("VITALS_CRASH_SEED");
  const unsigned seed =
      fixed ? static_cast<unsigned>(std::strtoul(fixed, nullptr, 10)) : std::random_device{}();
  std::cout << test << ": seed " << seed << " (VITALS_CRASH_SEED=" << seed << " replays it)\n";
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  return std::mt19937(seed);
}

void sleep_random(std::mt19937& rng, int max_ms) {
  std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(0, max_ms)(rng)));
}

HeaderList ingest_headers() {
  return {{"Authorization", "Bearer dev-ingest-token"}, {"Content-Type", "application/x-ndjson"}};
}

// A client that got no answer sends the batch again, with the same ids: half of the batches
// left in flight by a kill are resent after the restart (the other half stay unknown, so that
// the final check sees both kinds). Returns the resends, all of which must be acknowledged.
std::vector<SentBatch> resend_half(VitalsProcess& vitals, const std::vector<SentBatch>& round,
                                   size_t& found_committed) {
  std::vector<SentBatch> resent;
  HttpClient http;
  for (const SentBatch& batch : round) {
    if (batch.acknowledged() || batch.name.back() % 2 == 0) continue;
    SentBatch again = batch;
    const HttpResponse answer =
        http.post(vitals.url("/api/v1/events"), batch.body, ingest_headers());
    again.status = answer.status;
    again.error = answer.body;
    EXPECT_EQ(answer.status, 200) << answer.body;
    if (answer.status == 200 && answer.json()["duplicates"] == batch.events) ++found_committed;
    resent.push_back(std::move(again));
  }
  return resent;
}

TEST(CrashSafety, KilledAtRandomWhileIngestingLosesNoAcknowledgedEventAndHalvesNoBatch) {
  std::mt19937 rng = seeded_rng("CrashSafety");
  VitalsProcess vitals;
  std::vector<SentBatch> sent;
  std::vector<SentBatch> last_round;
  size_t resent_found_committed = 0;
  for (int round = 0; round < kRounds; ++round) {
    vitals.start();
    for (auto& b : resend_half(vitals, last_round, resent_found_committed)) sent.push_back(b);
    IngestClients clients({.url = vitals.url("/api/v1/events"),
                           .clients = 4,
                           .batch_size = 20,
                           .run = "crash-r" + std::to_string(round)});
    sleep_random(rng, kMaxKillDelayMs);
    vitals.kill_hard();
    clients.stop();
    last_round = clients.batches();
    sent.insert(sent.end(), last_round.begin(), last_round.end());
  }
  vitals.start();
  std::this_thread::sleep_for(milliseconds(5));  // the API's window ends before "now"
  const size_t counted_by_vitals = events_counted_by_vitals(vitals);
  ASSERT_EQ(vitals.stop(), 0);

  const StoredEvents store(vitals.db_path(), "crash-");
  size_t unacknowledged_stored = 0;
  const auto broken = broken_batch_promises(store, sent, unacknowledged_stored);
  for (const auto& line : broken) ADD_FAILURE() << line;
  const auto acknowledged =
      std::count_if(sent.begin(), sent.end(), [](const SentBatch& b) { return b.acknowledged(); });
  const size_t in_flight = sent.size() - acknowledged;
  std::cout << "CrashSafety: " << kRounds << " kills, " << acknowledged << " batches acknowledged, "
            << in_flight << " without an answer (" << unacknowledged_stored
            << " of them stored whole, " << resent_found_committed
            << " resends found their batch already committed), " << store.total_rows()
            << " events stored\n";
  EXPECT_GT(acknowledged, 4 * kRounds) << "the clients must have ingested between the kills";
  EXPECT_GE(in_flight, static_cast<size_t>(kRounds)) << "every kill leaves requests unanswered";
  EXPECT_EQ(counted_by_vitals, store.total_rows())
      << "the rollups rebuilt after the kills count each stored event once";
}

// ---- alert state and the notification outbox ----

// The shipped rules every second and one webhook receiver that retries quickly.
std::string rules_and_webhook(const std::string& url) {
  return "[rules]\nfiles = [\"" + std::string(VITALS_SOURCE_DIR) +
         "/rules/*.toml\"]\ninterval = \"1s\"\n\n"
         "[notifications]\nretry_initial = \"200ms\"\nretry_max = \"500ms\"\n\n"
         "[[notifications.webhooks]]\nname = \"ops\"\nurl = \"" +
         url + "\"\nsecret = \"s\"\ntimeout = \"2s\"\nseverities = [\"error\"]\n";
}

class AlertCrashSafety : protected WithReceiver, public ::testing::Test {
 protected:
  AlertCrashSafety() : vitals_("", rules_and_webhook(receiver_.url())) {}

  void SetUp() override {
    vitals_.start();
    auto r = HttpClient().put(
        vitals_.url("/api/v1/tenants/acme/entities/sync/s1"), R"({"name":"S1","status":"active"})",
        {{"Authorization", "Bearer dev-editor-token"}, {"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // Kills vitals at `kills` random moments, restarting it after each.
  void kill_at_random(std::mt19937& rng, int kills) {
    for (int k = 0; k < kills; ++k) {
      sleep_random(rng, 1500);  // the rules run every second: before, during and after a cycle
      vitals_.kill_hard();
      vitals_.start();
    }
  }

  size_t feed_alerts(const std::string& state) {
    auto r = vitals_.get("/api/v1/system-health?source=flow&limit=200", "dev-viewer-token");
    if (r.status != 200) return 0;
    const nlohmann::json page = r.json();
    size_t n = 0;
    for (const auto& a : page["data"]) {
      n += a["metadata"]["rule"] == "SyncFailing" && a["metadata"]["state"] == state;
    }
    return n;
  }

  // The delivery ids of the webhook requests announcing `status`, and whether one got a 200.
  std::set<std::string> deliveries(const std::string& status, bool& delivered) {
    std::set<std::string> ids;
    delivered = false;
    for (const auto& r : receiver_.requests()) {
      if (r.json()["status"] != status) continue;
      ids.insert(r.headers.at("x-vitals-delivery"));
      delivered = delivered || r.answered == 200;
    }
    return ids;
  }

  // Waits until the state change is in the feed and delivered, then a few more rule cycles in
  // which a second announcement would show up, and checks there is none.
  void expect_announced_once(const std::string& state, const std::string& status) {
    bool delivered = false;
    ASSERT_TRUE(wait_until(
        [&] {
          deliveries(status, delivered);
          return feed_alerts(state) >= 1 && delivered;
        },
        seconds(30)))
        << vitals_.get("/api/v1/system-health?source=flow&limit=200", "dev-viewer-token").body;
    std::this_thread::sleep_for(milliseconds(2500));
    EXPECT_EQ(feed_alerts(state), 1u) << "one feed alert for the " << state << " state";
    const auto ids = deliveries(status, delivered);
    EXPECT_EQ(ids.size(), 1u) << "every webhook request for '" << status
                              << "' is the same notification (one X-Vitals-Delivery)";
    EXPECT_TRUE(delivered);
  }

  VitalsProcess vitals_;
  const TimeMs now_ = wall_now();
};

TEST_F(AlertCrashSafety, KillsWhileFiringAndResolvingAnnounceEachStateOnceAndDeliverIt) {
  std::mt19937 rng = seeded_rng("AlertCrashSafety");
  // The receiver refuses the first tries, so notifications wait in the outbox across kills.
  receiver_.script({500, 500, 500});
  ASSERT_EQ(vitals_.ingest(sync_run("exception", now_ - 60'000)).status, 200);
  kill_at_random(rng, 6);
  expect_announced_once("firing", "firing");

  receiver_.script({500, 500});
  ASSERT_EQ(vitals_.ingest(sync_run("success", now_ - 30'000)).status, 200);
  kill_at_random(rng, 6);
  expect_announced_once("resolved", "resolved");
  EXPECT_EQ(feed_alerts("firing"), 1u) << "and the firing was not announced again";
}

}  // namespace
}  // namespace vitals::testing
