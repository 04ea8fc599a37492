#include "store/feed_store.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/temp_database.h"

namespace vitals {
namespace {

constexpr TimeMs kFeedStart = 1'783'080'000'000;  // 2026-07-03T12:00:00Z

FeedAlert alert(std::string tenant, std::string severity = "warning", std::string source = "data",
                std::optional<std::string> user = std::nullopt, TimeMs created = kFeedStart) {
  FeedAlert a;
  a.tenant_id = std::move(tenant);
  a.user_id = std::move(user);
  a.severity = std::move(severity);
  a.source = std::move(source);
  a.title = "Rows stopped arriving";
  a.message = "No rows in the last 30 minutes.";
  a.created_at = created;
  return a;
}

FeedQuery everything_for(std::string tenant, std::optional<std::string> user) {
  FeedQuery query;
  query.tenant_id = std::move(tenant);
  query.user_id = std::move(user);
  return query;
}

std::vector<std::string> ids_of(const FeedPage& page) {
  std::vector<std::string> ids;
  for (const auto& row : page.rows) ids.push_back(row.alert.id);
  return ids;
}

class FeedStoreTest : public ::testing::Test {
 protected:
  FeedStoreTest() : db_("vitals-feed"), store_(db_.path()) {}

  // Publishes one alert a millisecond from kFeedStart on.
  std::string publish(FeedAlert a) {
    a.created_at = kFeedStart + static_cast<TimeMs>(published_++);
    return store_.publish(std::move(a)).alert.id;
  }

  FeedPage page(std::optional<std::string> user, FeedQuery query = {}) {
    query.tenant_id = "t1";
    query.user_id = std::move(user);
    return store_.page(query);
  }

  testing::TempDatabase db_;
  FeedStore store_;
  int published_ = 0;
};

TEST_F(FeedStoreTest, PublishAssignsASortableIdAndStoresEveryField) {
  FeedAlert a = alert("t1", "critical", "sentinel", "u1");
  a.link = "/dashboards/decision-health";
  a.metadata = {{"observed", 0.18}, {"threshold", 0.1}};
  a.pinned = true;
  const PublishResult result = store_.publish(a);
  EXPECT_TRUE(result.created);
  EXPECT_TRUE(is_alert_id(result.alert.id));
  EXPECT_EQ(alert_id_time(result.alert.id), kFeedStart);
  const auto found = store_.find("t1", result.alert.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, result.alert.id);
  EXPECT_EQ(found->tenant_id, "t1");
  EXPECT_EQ(found->user_id, "u1");
  EXPECT_EQ(found->severity, "critical");
  EXPECT_EQ(found->source, "sentinel");
  EXPECT_EQ(found->title, a.title);
  EXPECT_EQ(found->message, a.message);
  EXPECT_EQ(found->link, "/dashboards/decision-health");
  EXPECT_EQ(found->metadata, a.metadata);
  EXPECT_TRUE(found->pinned);
  EXPECT_EQ(found->created_at, kFeedStart);
  EXPECT_FALSE(store_.find("t2", result.alert.id)) << "another tenant's id is not found";
}

TEST_F(FeedStoreTest, PagesNeitherSkipNorRepeatWhileAlertsArrive) {
  std::vector<std::string> existing;
  for (int i = 0; i < 25; ++i) existing.push_back(publish(alert("t1")));
  std::vector<std::string> seen;
  FeedQuery query;
  query.limit = 10;
  for (int fetch = 0; fetch < 10; ++fetch) {
    const FeedPage p = page("u1", query);
    for (const auto& id : ids_of(p)) seen.push_back(id);
    // Newer alerts arrive between fetches; they belong above the first page, not in later ones.
    for (int i = 0; i < 4; ++i) publish(alert("t1"));
    if (!p.has_more) break;
    query.before_id = p.rows.back().alert.id;
  }
  std::reverse(existing.begin(), existing.end());
  EXPECT_EQ(seen, existing);
}

TEST_F(FeedStoreTest, AnExactlyFullLastPageHasNoMore) {
  for (int i = 0; i < 10; ++i) publish(alert("t1"));
  FeedQuery query;
  query.limit = 10;
  const FeedPage full = page("u1", query);
  EXPECT_EQ(full.rows.size(), 10u);
  EXPECT_FALSE(full.has_more);
  query.limit = 9;
  EXPECT_TRUE(page("u1", query).has_more);
}

TEST_F(FeedStoreTest, FiltersBySeverityAndBySource) {
  const std::string error_data = publish(alert("t1", "error", "data"));
  const std::string critical_custom = publish(alert("t1", "critical", "billing-sync"));
  publish(alert("t1", "info", "data"));
  publish(alert("t1", "warning", "flow"));
  FeedQuery by_severity;
  by_severity.severities = {"error", "critical"};
  EXPECT_EQ(ids_of(page("u1", by_severity)),
            (std::vector<std::string>{critical_custom, error_data}));
  FeedQuery by_source;
  by_source.sources = {"billing-sync"};
  EXPECT_EQ(ids_of(page("u1", by_source)), std::vector<std::string>{critical_custom});
  FeedQuery both;
  both.severities = {"error"};
  both.sources = {"data", "flow"};
  EXPECT_EQ(ids_of(page("u1", both)), std::vector<std::string>{error_data});
}

TEST_F(FeedStoreTest, SinceKeepsAlertsCreatedStrictlyAfterIt) {
  store_.publish(alert("t1", "info", "data", std::nullopt, kFeedStart));
  const auto second = store_.publish(alert("t1", "info", "data", std::nullopt, kFeedStart + 1000));
  const auto third = store_.publish(alert("t1", "info", "data", std::nullopt, kFeedStart + 2000));
  FeedQuery query;
  query.created_after = kFeedStart + 1000;
  EXPECT_EQ(ids_of(page("u1", query)), std::vector<std::string>{third.alert.id});
  query.created_after = kFeedStart + 999;
  EXPECT_EQ(ids_of(page("u1", query)), (std::vector<std::string>{third.alert.id, second.alert.id}));
}

TEST_F(FeedStoreTest, ReadStateIsPerUserAndUnreadOnlyFollowsIt) {
  const std::string first = publish(alert("t1"));
  const std::string second = publish(alert("t1"));
  EXPECT_TRUE(store_.mark_read("t1", "u1", first, kFeedStart));
  EXPECT_TRUE(store_.mark_read("t1", "u1", first, kFeedStart)) << "marking twice is harmless";
  const FeedPage for_u1 = page("u1");
  ASSERT_EQ(ids_of(for_u1), (std::vector<std::string>{second, first}));
  EXPECT_FALSE(for_u1.rows[0].read);
  EXPECT_TRUE(for_u1.rows[1].read);
  for (const auto& row : page("u2").rows) EXPECT_FALSE(row.read) << row.alert.id;
  FeedQuery unread;
  unread.unread_only = true;
  EXPECT_EQ(ids_of(page("u1", unread)), std::vector<std::string>{second});
  EXPECT_EQ(ids_of(page("u2", unread)), (std::vector<std::string>{second, first}));
  const auto still = store_.find("t1", first);
  ASSERT_TRUE(still) << "marking read leaves the alert as it was";
  EXPECT_EQ(still->title, "Rows stopped arriving");
}

TEST_F(FeedStoreTest, AnAddressedAlertIsSeenOnlyByItsUser) {
  const std::string fan_out = publish(alert("t1"));
  const std::string for_u1 = publish(alert("t1", "error", "data", "u1"));
  EXPECT_EQ(ids_of(page("u1")), (std::vector<std::string>{for_u1, fan_out}));
  EXPECT_EQ(ids_of(page("u2")), std::vector<std::string>{fan_out});
  EXPECT_FALSE(store_.mark_read("t1", "u2", for_u1, kFeedStart));
  EXPECT_FALSE(store_.dismiss("t1", "u2", for_u1, kFeedStart));
  EXPECT_FALSE(store_.dismiss("t1", std::nullopt, for_u1, kFeedStart));
  EXPECT_TRUE(store_.find("t1", for_u1)) << "nothing above changed it";
}

TEST_F(FeedStoreTest, ACallerWithoutAUserSeesFanOutAlertsOnlyAndNeverRead) {
  const std::string fan_out = publish(alert("t1"));
  publish(alert("t1", "error", "data", "u1"));
  ASSERT_TRUE(store_.mark_read("t1", "u1", fan_out, kFeedStart));
  const FeedPage anonymous = page(std::nullopt);
  ASSERT_EQ(ids_of(anonymous), std::vector<std::string>{fan_out});
  EXPECT_FALSE(anonymous.rows[0].read);
  FeedQuery unread;
  unread.unread_only = true;
  EXPECT_EQ(ids_of(page(std::nullopt, unread)), std::vector<std::string>{fan_out});
}

TEST_F(FeedStoreTest, DismissHidesTheAlertFromEveryoneAndKeepsItsDedupKey) {
  FeedAlert a = alert("t1");
  a.created_at = kFeedStart;
  const PublishResult published = store_.publish(a, "rule:lag:acme");
  const std::string id = published.alert.id;
  EXPECT_TRUE(store_.dismiss("t1", "u1", id, kFeedStart + 1));
  EXPECT_FALSE(store_.find("t1", id));
  const auto by_key = store_.find_by_dedup_key("t1", "rule:lag:acme");
  ASSERT_TRUE(by_key) << "a dismissed alert is still found by its key";
  EXPECT_EQ(by_key->id, id);
  EXPECT_FALSE(store_.find_by_dedup_key("t2", "rule:lag:acme"));
  EXPECT_TRUE(page("u1").rows.empty());
  EXPECT_TRUE(page("u2").rows.empty());
  EXPECT_TRUE(page(std::nullopt).rows.empty());
  EXPECT_FALSE(store_.dismiss("t1", "u1", id, kFeedStart + 2)) << "already gone";
  EXPECT_FALSE(store_.mark_read("t1", "u2", id, kFeedStart + 2));
  EXPECT_EQ(store_.mark_all_read("t1", "u2", kFeedStart + 2), 0);
  const PublishResult again = store_.publish(a, "rule:lag:acme");
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.alert.id, id);
  EXPECT_TRUE(page("u1").rows.empty()) << "the key of a dismissed alert is not reused";
}

TEST_F(FeedStoreTest, ReadAllCountsOnlyAlertsNewlyMarkedForThatUser) {
  const std::string first = publish(alert("t1"));
  publish(alert("t1"));
  publish(alert("t1", "info", "data", "u1"));
  publish(alert("t1", "info", "data", "u2"));
  publish(alert("t2"));
  ASSERT_TRUE(store_.mark_read("t1", "u1", first, kFeedStart));
  EXPECT_EQ(store_.mark_all_read("t1", "u1", kFeedStart), 2);
  EXPECT_EQ(store_.mark_all_read("t1", "u1", kFeedStart), 0);
  EXPECT_EQ(store_.mark_all_read("t1", "u2", kFeedStart), 3);
  FeedQuery unread;
  unread.unread_only = true;
  EXPECT_TRUE(page("u1", unread).rows.empty());
  EXPECT_EQ(page("u3", unread).rows.size(), 2u) << "other users keep their unread alerts";
}

TEST_F(FeedStoreTest, ADuplicateKeyReturnsTheExistingAlertPerTenant) {
  const PublishResult first = store_.publish(alert("t1"), "k");
  FeedAlert changed = alert("t1", "critical");
  changed.title = "Another title";
  const PublishResult repeat = store_.publish(changed, "k");
  EXPECT_FALSE(repeat.created);
  EXPECT_EQ(repeat.alert.id, first.alert.id);
  EXPECT_EQ(repeat.alert.title, "Rows stopped arriving");
  EXPECT_EQ(repeat.alert.severity, "warning");
  EXPECT_EQ(page("u1").rows.size(), 1u);
  EXPECT_TRUE(store_.publish(alert("t2"), "k").created) << "keys are per tenant";
  EXPECT_TRUE(store_.publish(alert("t1")).created);
  EXPECT_TRUE(store_.publish(alert("t1")).created) << "alerts without a key never collide";
}

TEST_F(FeedStoreTest, NewIdsSortAfterStoredOnesEvenWithTheClockSetBack) {
  const std::string stored =
      store_.publish(alert("t1", "info", "data", {}, kFeedStart + 60'000)).alert.id;
  FeedStore reopened(db_.path());
  const std::string later = reopened.publish(alert("t1", "info", "data", {}, kFeedStart)).alert.id;
  EXPECT_GT(later, stored);
  EXPECT_EQ(ids_of(reopened.page(everything_for("t1", "u1"))),
            (std::vector<std::string>{later, stored}));
}

TEST_F(FeedStoreTest, PruningDropsAlertsOlderThanTheCutoffWithTheirReadState) {
  const std::string old_one = publish(alert("t1"));
  const std::string new_one = publish(alert("t1"));
  ASSERT_TRUE(store_.mark_read("t1", "u1", old_one, kFeedStart));
  ASSERT_TRUE(store_.mark_read("t1", "u1", new_one, kFeedStart));
  EXPECT_EQ(store_.prune_before(kFeedStart + 1), 1);
  EXPECT_FALSE(store_.find("t1", old_one));
  ASSERT_TRUE(store_.find("t1", new_one));
  const auto rows = page("u1").rows;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].read) << "the newer alert keeps its read state";
  EXPECT_EQ(store_.prune_before(kFeedStart + 1), 0) << "pruning again removes nothing";
}

TEST_F(FeedStoreTest, PublishAllStoresInOrderAndDeduplicates) {
  auto first = alert("t1");
  first.title = "first";
  auto second = alert("t1");
  second.title = "second";
  const auto results = store_.publish_all({{first, "k1"}, {second, "k2"}, {first, "k1"}});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].created);
  EXPECT_TRUE(results[1].created);
  EXPECT_FALSE(results[2].created) << "the repeat of k1 in the same batch";
  EXPECT_EQ(results[2].alert.id, results[0].alert.id);
  EXPECT_LT(results[0].alert.id, results[1].alert.id);
}

}  // namespace
}  // namespace vitals
