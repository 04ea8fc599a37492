#include "store/alert_state_store.h"

#include <gtest/gtest.h>

#include "support/temp_database.h"

namespace vitals {
namespace {

using evaluator::AlertInstance;
using evaluator::AlertState;
using evaluator::Announcement;

AlertInstance instance(const std::string& key) {
  AlertInstance i;
  i.rule = "R";
  i.tenant_id = "tid";
  i.labels = {{"alertname", "R"}, {"integration_key", key}, {"tenant", "acme"}};
  i.state = AlertState::kFiring;
  i.value = 7.5;
  i.active_at = 1000;
  i.fired_at = 2000;
  i.keep_firing_since = 3000;
  i.fired_value = 9.25;
  return i;
}

Announcement announcement(const std::string& key) {
  Announcement a;
  a.kind = Announcement::Kind::kResolved;
  a.key = key;
  a.firing_key = key + "-firing";
  a.rule = "R";
  a.tenant_id = "tid";
  a.labels = {{"alertname", "R"}};
  a.annotations = {{"runbook_url", "https://example.invalid/r"}};
  a.value = 1;
  a.threshold = 5;
  a.active_at = 1000;
  a.at = 4000;
  a.severity = "success";
  a.source = "data";
  a.title = "Resolved: t";
  a.message = "m";
  a.link = "/l";
  a.pinned = true;
  return a;
}

TEST(SqliteAlertStateStoreTest, InstancesAndTheOutboxSurviveReopening) {
  testing::TempDatabase db("vitals-alert-state");
  {
    SqliteAlertStateStore store(db.path());
    store.save({{"R", {instance("a"), instance("b")}, {announcement("k1"), announcement("k2")}},
                {"Other", {}, {}}});
  }
  SqliteAlertStateStore reopened(db.path());
  const auto instances = reopened.load_instances();
  ASSERT_EQ(instances.size(), 2u);
  const AlertInstance& a = instances[0];
  EXPECT_EQ(a.labels.at("integration_key"), "a");
  EXPECT_EQ(a.state, AlertState::kFiring);
  EXPECT_EQ(a.value, 7.5);
  EXPECT_EQ(a.active_at, 1000);
  EXPECT_EQ(a.fired_at, 2000);
  EXPECT_EQ(a.keep_firing_since, 3000);
  EXPECT_EQ(a.fired_value, 9.25);
  const auto outbox = reopened.outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[0].key, "k1") << "oldest first";
  EXPECT_EQ(outbox[0].firing_key, "k1-firing");
  EXPECT_EQ(outbox[0].kind, Announcement::Kind::kResolved);
  EXPECT_EQ(outbox[0].annotations.at("runbook_url"), "https://example.invalid/r");
  EXPECT_TRUE(outbox[0].pinned);
}

TEST(SqliteAlertStateStoreTest, SavingReplacesARulesInstancesAndIgnoresARepeatedAnnouncement) {
  testing::TempDatabase db("vitals-alert-state");
  SqliteAlertStateStore store(db.path());
  store.save({{"R", {instance("a")}, {announcement("k1")}}});
  store.save({{"R", {instance("b")}, {announcement("k1")}}});
  const auto instances = store.load_instances();
  ASSERT_EQ(instances.size(), 1u);
  EXPECT_EQ(instances[0].labels.at("integration_key"), "b");
  EXPECT_EQ(store.outbox().size(), 1u);
  store.delivered({"k1", "unknown"});
  EXPECT_TRUE(store.outbox().empty());
}

}  // namespace
}  // namespace vitals
