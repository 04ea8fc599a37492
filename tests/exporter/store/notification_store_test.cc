#include "store/notification_store.h"

#include <gtest/gtest.h>

#include "support/temp_database.h"

namespace vitals {
namespace {

using evaluator::Announcement;
using notify::EnqueueOutcome;

Announcement announcement(const std::string& sync, bool firing, const std::string& key) {
  Announcement a;
  a.kind = firing ? Announcement::Kind::kFiring : Announcement::Kind::kResolved;
  a.key = key;
  a.rule = "R";
  a.tenant_id = "tid";
  a.labels = {{"alertname", "R"}, {"integration_key", sync}, {"tenant", "acme"}};
  a.fired_at = 2'000;
  a.at = firing ? 2'000 : 9'000;
  a.title = "t";
  return a;
}

class NotificationStoreTest : public ::testing::Test {
 protected:
  testing::TempDatabase db_{"notification-store"};
  SqliteNotificationQueue queue_{db_.path()};
};

TEST_F(NotificationStoreTest, QueuesOneRowPerReceiverOnceAndKeepsThemAcrossAReopen) {
  EXPECT_EQ(queue_.enqueue(announcement("s1", true, "k1"), "http://v/x", {"a", "b"}, 100, 10),
            EnqueueOutcome::kQueued);
  EXPECT_EQ(queue_.enqueue(announcement("s1", true, "k1"), "http://v/x", {"a", "b"}, 100, 10),
            EnqueueOutcome::kAlreadyQueued);
  SqliteNotificationQueue reopened(db_.path());
  const auto heads = reopened.heads("a", 10);
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].announcement.key, "k1");
  EXPECT_EQ(heads[0].announcement.labels.at("integration_key"), "s1");
  EXPECT_EQ(heads[0].announcement.fired_at, 2'000);
  EXPECT_EQ(heads[0].generator_url, "http://v/x");
  EXPECT_EQ(heads[0].queued_at, 100);
  const auto backlog = reopened.backlog();
  ASSERT_EQ(backlog.size(), 2u);
  EXPECT_EQ(backlog[1].receiver, "b");
  EXPECT_EQ(backlog[1].length, 1u);
}

TEST_F(NotificationStoreTest, HeadsAreTheOldestOfEachInstance) {
  queue_.enqueue(announcement("s1", true, "f1"), "", {"a"}, 1, 10);
  queue_.enqueue(announcement("s2", true, "f2"), "", {"a"}, 2, 10);
  queue_.enqueue(announcement("s1", false, "r1"), "", {"a"}, 3, 10);
  auto heads = queue_.heads("a", 10);
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[0].announcement.key, "f1");
  EXPECT_EQ(heads[1].announcement.key, "f2");
  queue_.record_failure({heads[0].id}, "HTTP 503");
  EXPECT_EQ(queue_.heads("a", 10)[0].attempts, 1);
  queue_.remove({heads[0].id});
  heads = queue_.heads("a", 10);
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[1].announcement.key, "r1");
  EXPECT_EQ(queue_.heads("a", 1).size(), 1u);
}

TEST_F(NotificationStoreTest, TheLimitRefusesWholeAnnouncements) {
  EXPECT_EQ(queue_.enqueue(announcement("s1", true, "k1"), "", {"a", "b"}, 1, 3),
            EnqueueOutcome::kQueued);
  EXPECT_EQ(queue_.enqueue(announcement("s2", true, "k2"), "", {"a", "b"}, 1, 3),
            EnqueueOutcome::kFull);
  EXPECT_EQ(queue_.heads("a", 10).size(), 1u);
  EXPECT_EQ(queue_.enqueue(announcement("s2", true, "k2"), "", {"a"}, 1, 3),
            EnqueueOutcome::kAlreadyQueued)
      << "a refused announcement is dropped for good, not queued by a repeated hand-over";
  EXPECT_EQ(queue_.enqueue(announcement("s3", true, "k3"), "", {"a"}, 1, 3),
            EnqueueOutcome::kQueued);
  EXPECT_EQ(queue_.live().size(), 3u) << "refused or not, every firing alert is live";
  EXPECT_EQ(queue_.enqueue(announcement("s1", false, "r1"), "", {"a", "b"}, 1, 3),
            EnqueueOutcome::kQueued)
      << "resolutions pass the limit";
  EXPECT_EQ(queue_.backlog().at(1).length, 2u) << "b has s1's firing and its resolution";
}

TEST_F(NotificationStoreTest, ABatchIsOneTransactionWithAnOutcomeEach) {
  const auto big = announcement("s1", true, "k1");
  const auto small = announcement("s2", true, "k2");
  const auto again = announcement("s3", true, "k3");
  const auto outcomes = queue_.enqueue_all(
      {{&big, "", {"a", "b", "c"}}, {&small, "", {"a"}}, {&again, "", {"a"}}}, 1, 2);
  EXPECT_EQ(outcomes, (std::vector<EnqueueOutcome>{EnqueueOutcome::kFull, EnqueueOutcome::kQueued,
                                                   EnqueueOutcome::kQueued}));
  EXPECT_EQ(queue_.heads("a", 10).size(), 2u);
  EXPECT_EQ(queue_.enqueue_all({{&small, "", {"a"}}}, 2, 10).front(),
            EnqueueOutcome::kAlreadyQueued);
}

TEST_F(NotificationStoreTest, LiveAlertsFollowFiringAndResolution) {
  queue_.enqueue(announcement("s1", true, "f1"), "http://v/1", {}, 1, 10);
  queue_.enqueue(announcement("s2", true, "f2"), "", {}, 1, 10);
  ASSERT_EQ(queue_.live().size(), 2u);
  EXPECT_EQ(queue_.live()[0].generator_url, "http://v/1");
  queue_.enqueue(announcement("s1", false, "r1"), "", {}, 2, 10);
  const auto live = queue_.live();
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].announcement.key, "f2");
}

TEST_F(NotificationStoreTest, DiscardsReceiversNoLongerConfiguredAndForgetsOldKeys) {
  queue_.enqueue(announcement("s1", true, "k1"), "", {"a", "b"}, 1, 10);
  EXPECT_EQ(queue_.discard_except({"a"}), 1u);
  EXPECT_TRUE(queue_.heads("b", 10).empty());
  EXPECT_EQ(queue_.heads("a", 10).size(), 1u);
  queue_.forget_keys_before(2);
  EXPECT_EQ(queue_.enqueue(announcement("s1", true, "k1"), "", {"a"}, 3, 10),
            EnqueueOutcome::kQueued);
}

}  // namespace
}  // namespace vitals
