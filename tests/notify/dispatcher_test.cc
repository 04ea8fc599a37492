#include "notify/dispatcher.h"

#include <gtest/gtest.h>

#include "notify/alertmanager_receiver.h"
#include "notify/memory_notification_queue.h"
#include "notify/webhook_receiver.h"
#include "notify_test_support.h"

namespace vitals::notify {
namespace {

using evaluator::Announcement;

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() { make_dispatcher(100); }

  void make_dispatcher(size_t limit) {
    dispatcher_ = std::make_unique<Dispatcher>(queue_, sender_, observer_, clock_,
                                               DispatchOptions{limit, Backoff{1'000, 8'000}},
                                               [] { return 0.0; });
    dispatcher_->set_receivers({hook_});
    dispatcher_->on_queued([this] { ++wakes_; });
  }

  TimeMs deliver_at(TimeMs t) {
    clock_.set(t);
    return dispatcher_->deliver();
  }

  std::string status_of(const HttpPost& post) { return nlohmann::json::parse(post.body)["status"]; }
  std::string key_of(const HttpPost& post) {
    return nlohmann::json::parse(post.body)["alert"]["labels"]["integration_key"];
  }

  MemoryNotificationQueue queue_;
  ScriptedSender sender_;
  CountingObserver observer_;
  ManualClock clock_{100'000};
  std::shared_ptr<const Receiver> hook_ =
      std::make_shared<WebhookReceiver>("ops", "http://hook", "", Route{}, 1'000);
  std::unique_ptr<Dispatcher> dispatcher_;
  int wakes_ = 0;
};

TEST_F(DispatcherTest, QueuesForMatchingReceiversAndRemovesOnceTaken) {
  auto pager = std::make_shared<WebhookReceiver>("pager", "http://pager", "",
                                                 Route{{}, {"critical"}, {}}, 1'000);
  dispatcher_->set_receivers({hook_, pager});
  dispatcher_->announce({announcement("s1", true, 0, "error")});
  EXPECT_EQ(wakes_, 1);
  ASSERT_EQ(queue_.backlog().size(), 1u) << "only ops takes error alerts";
  dispatcher_->deliver();
  ASSERT_EQ(sender_.requests.size(), 1u);
  EXPECT_EQ(sender_.requests[0].url, "http://hook");
  EXPECT_TRUE(queue_.backlog().empty());
  EXPECT_EQ(observer_.sent_to["ops"], 1u);
}

TEST_F(DispatcherTest, AnAnnouncementHandedOverTwiceIsQueuedOnce) {
  const auto a = announcement("s1", true, 0);
  dispatcher_->announce({a});
  dispatcher_->announce({a});
  dispatcher_->deliver();
  EXPECT_EQ(sender_.requests.size(), 1u);
}

TEST_F(DispatcherTest, FailuresBackOffExponentiallyAndKeepTheNotification) {
  sender_.script = {{503, "busy"}, {0, "refused"}, {500, ""}};
  dispatcher_->announce({announcement("s1", true, 0)});
  const TimeMs t0 = clock_.now_ms();
  EXPECT_EQ(deliver_at(t0), t0 + 500);  // half of 1 s: the jitter source gives 0
  EXPECT_EQ(deliver_at(t0 + 499), t0 + 500) << "nothing is sent before it is due";
  EXPECT_EQ(sender_.requests.size(), 1u);
  EXPECT_EQ(deliver_at(t0 + 500), t0 + 500 + 1'000);
  EXPECT_EQ(deliver_at(t0 + 1'500), t0 + 1'500 + 2'000);
  EXPECT_EQ(sender_.requests.size(), 3u);
  EXPECT_EQ(queue_.backlog().at(0).length, 1u);
  EXPECT_EQ(observer_.failures["ops/retrying"], 3u);
  deliver_at(t0 + 3'500);
  EXPECT_TRUE(queue_.backlog().empty());
  EXPECT_EQ(observer_.sent_to["ops"], 1u);
}

TEST_F(DispatcherTest, ARefusalIsDroppedAndCountedWhile408And429AreRetried) {
  sender_.script = {{400, "bad"}, {429, ""}, {408, ""}};
  dispatcher_->announce({announcement("s1", true, 0), announcement("s2", true, 0)});
  const TimeMs t0 = clock_.now_ms();
  deliver_at(t0);
  EXPECT_EQ(observer_.failures["ops/rejected"], 1u);
  EXPECT_EQ(observer_.failures["ops/retrying"], 1u) << "s2 met the 429";
  ASSERT_EQ(queue_.backlog().at(0).length, 1u);
  deliver_at(t0 + 500);
  deliver_at(t0 + 1'500);
  EXPECT_TRUE(queue_.backlog().empty());
  ASSERT_EQ(sender_.requests.size(), 4u);
  EXPECT_EQ(key_of(sender_.requests[0]), "s1");
  for (size_t i = 1; i < 4; ++i) EXPECT_EQ(key_of(sender_.requests[i]), "s2");
}

TEST_F(DispatcherTest, AnInstanceIsDeliveredInOrderEvenWhenBatched) {
  auto am = std::make_shared<AlertmanagerReceiver>("http://am", Route{}, 1'000, 60'000);
  dispatcher_->set_receivers({am});
  dispatcher_->announce(
      {announcement("s1", true, 0), announcement("s2", true, 0), announcement("s1", false, 5'000)});
  dispatcher_->deliver();
  ASSERT_EQ(sender_.requests.size(), 3u) << "two batches, then the live alerts (s2) repeated";
  const auto first = nlohmann::json::parse(sender_.requests[0].body);
  ASSERT_EQ(first.size(), 2u) << "the firing of s1 and s2; s1's resolution waits for its firing";
  const auto second = nlohmann::json::parse(sender_.requests[1].body);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0]["labels"]["integration_key"], "s1");
  EXPECT_EQ(second[0]["endsAt"], "1970-01-01T00:00:05.000Z");
  const auto repeat = nlohmann::json::parse(sender_.requests[2].body);
  ASSERT_EQ(repeat.size(), 1u);
  EXPECT_EQ(repeat[0]["labels"]["integration_key"], "s2");
}

TEST_F(DispatcherTest, AFullQueueDropsNewNotificationsAndCountsThem) {
  make_dispatcher(2);
  dispatcher_->announce(
      {announcement("s1", true, 0), announcement("s2", true, 0), announcement("s3", true, 0)});
  EXPECT_EQ(queue_.backlog().at(0).length, 2u);
  EXPECT_EQ(observer_.drops["queue_full"], 1u);
  dispatcher_->deliver();
  dispatcher_->announce({announcement("s4", true, 0)});
  EXPECT_EQ(queue_.backlog().at(0).length, 1u) << "room again once delivered";
}

TEST_F(DispatcherTest, AlertmanagerIsSentLiveAlertsAtStartAndAgainEachResendInterval) {
  auto am = std::make_shared<AlertmanagerReceiver>("http://am", Route{}, 1'000, 60'000);
  dispatcher_->set_receivers({am});
  const TimeMs t0 = clock_.now_ms();
  dispatcher_->announce({announcement("s1", true, 0)});
  EXPECT_EQ(deliver_at(t0), t0 + 60'000);
  ASSERT_EQ(sender_.requests.size(), 2u) << "the firing alert, then the live ones at once";
  EXPECT_EQ(observer_.sent_to["http://am"], 2u) << "a repeat that arrives is sent too";
  deliver_at(t0 + 60'000);
  ASSERT_EQ(sender_.requests.size(), 3u);
  EXPECT_EQ(observer_.sent_to["http://am"], 3u);
  const auto repeat = nlohmann::json::parse(sender_.requests[2].body);
  ASSERT_EQ(repeat.size(), 1u);
  EXPECT_EQ(repeat[0]["endsAt"], "1970-01-01T00:06:40.000Z");  // t0 + 60 s + 4 × 60 s

  dispatcher_->announce({announcement("s1", false, 170'000)});
  deliver_at(t0 + 70'000);
  deliver_at(t0 + 120'000);
  EXPECT_EQ(sender_.requests.size(), 4u) << "the resolution, and no repeat once resolved";
}

TEST_F(DispatcherTest, ARepeatWaitsUntilTheQueueIsEmpty) {
  auto am = std::make_shared<AlertmanagerReceiver>("http://am", Route{}, 1'000, 60'000);
  dispatcher_->set_receivers({am});
  const TimeMs t0 = clock_.now_ms();
  sender_.script = {{503, ""}};
  dispatcher_->announce({announcement("s1", true, 0), announcement("s1", false, 5'000)});
  deliver_at(t0);
  ASSERT_EQ(sender_.requests.size(), 1u) << "failed, so no repeat either";
  deliver_at(t0 + 500);
  ASSERT_EQ(sender_.requests.size(), 3u) << "the firing, then its resolution; nothing is live";
  EXPECT_EQ(nlohmann::json::parse(sender_.requests[2].body)[0]["endsAt"],
            "1970-01-01T00:00:05.000Z");
}

TEST_F(DispatcherTest, AFailedRepeatIsCountedAndDoesNotHoldTheReceiverBack) {
  auto am = std::make_shared<AlertmanagerReceiver>("http://am", Route{}, 1'000, 60'000);
  dispatcher_->set_receivers({am});
  const TimeMs t0 = clock_.now_ms();
  dispatcher_->announce({announcement("s1", true, 0)});
  sender_.script = {{200, ""}, {0, "refused"}};
  deliver_at(t0);
  EXPECT_EQ(observer_.failures["http://am/resend"], 1u);
  EXPECT_EQ(observer_.sent_to["http://am"], 1u) << "the firing alert; not the failed repeat";
  dispatcher_->announce({announcement("s2", true, 0)});
  deliver_at(t0 + 1);
  EXPECT_EQ(sender_.requests.size(), 3u) << "the next notification goes at once, no backoff";
  EXPECT_TRUE(queue_.backlog().empty());
}

TEST_F(DispatcherTest, ASlowReceiverGetsTurnsAndDoesNotKeepOthersWaiting) {
  auto other = std::make_shared<WebhookReceiver>("other", "http://other", "",
                                                 Route{{}, {"critical"}, {}}, 1'000);
  dispatcher_->set_receivers({hook_, other});
  sender_.clock = &clock_;
  sender_.cost = 1'000;  // every request takes a second; a turn is two
  std::vector<evaluator::Announcement> many;
  for (int i = 0; i < 6; ++i) many.push_back(announcement("s" + std::to_string(i), true, 0));
  many.push_back(announcement("c1", true, 0, "critical"));
  dispatcher_->announce(many);
  const TimeMs next = dispatcher_->deliver();
  EXPECT_EQ(next, clock_.now_ms()) << "more to do at once";
  ASSERT_EQ(sender_.requests.size(), 3u) << "two of ops' seven, then the other's one";
  EXPECT_EQ(sender_.requests[2].url, "http://other");
  while (!queue_.backlog().empty()) dispatcher_->deliver();
  EXPECT_EQ(sender_.requests.size(), 8u);
}

TEST_F(DispatcherTest, AResolutionIsQueuedEvenWhenTheQueueIsFull) {
  make_dispatcher(1);
  dispatcher_->announce({announcement("s1", true, 0), announcement("s2", true, 0)});
  EXPECT_EQ(observer_.drops["queue_full"], 1u);
  ASSERT_EQ(queue_.live().size(), 2u) << "dropped or not, s2 is live for the repeats";
  dispatcher_->announce({announcement("s2", false, 5'000), announcement("s1", false, 5'000)});
  EXPECT_EQ(queue_.backlog().at(0).length, 3u) << "both resolutions, past the limit";
  EXPECT_TRUE(queue_.live().empty());
}

TEST_F(DispatcherTest, RemovingAReceiverDropsWhatWaitsForIt) {
  sender_.script = {{0, "down"}};
  dispatcher_->announce({announcement("s1", true, 0)});
  dispatcher_->deliver();
  dispatcher_->set_receivers({});
  EXPECT_TRUE(queue_.backlog().empty());
  EXPECT_EQ(observer_.drops["receiver_removed"], 1u);
}

}  // namespace
}  // namespace vitals::notify
