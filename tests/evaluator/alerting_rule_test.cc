// The alert state machine against Prometheus's semantics, with explicit evaluation times.

#include "evaluator/alerting_rule.h"

#include <gtest/gtest.h>

namespace vitals::evaluator {
namespace {

Rule error_rate_rule() {
  Rule r;
  r.name = "HighErrorRate";
  r.signal = Signal::kErrorRatePct;
  r.by = {"integration_key"};
  r.op = Comparison::kGreater;
  r.threshold = 10;
  r.for_duration = 5 * kMsPerMinute;
  r.severity = "error";
  r.source = "data";
  r.title = "{{integration_key}} fails {{value}}% of the time";
  r.message = "over {{window}}, more than {{threshold}}%";
  r.labels = {{"team", "data"}};
  return r;
}

GroupValue group(const std::string& key, double value, std::uint64_t events = 100) {
  return {"tenant-id", {{"tenant", "acme"}, {"integration_key", key}}, value, events};
}

class AlertingRuleTest : public ::testing::Test {
 protected:
  std::vector<Announcement> at(TimeMs minute, std::vector<GroupValue> groups) {
    return rule_.evaluate(groups, minute * kMsPerMinute);
  }
  AlertingRule rule_{error_rate_rule()};
};

TEST_F(AlertingRuleTest, ForDelaysFiringUntilTheConditionHeldThatLong) {
  EXPECT_TRUE(at(0, {group("s1", 50)}).empty());
  ASSERT_EQ(rule_.instances().size(), 1u);
  EXPECT_EQ(rule_.instances()[0].state, AlertState::kPending);
  EXPECT_TRUE(at(4, {group("s1", 50)}).empty());
  const auto fired = at(5, {group("s1", 60)});
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].kind, Announcement::Kind::kFiring);
  EXPECT_EQ(fired[0].at, 5 * kMsPerMinute);
  EXPECT_EQ(fired[0].active_at, 0);
  EXPECT_EQ(fired[0].title, "s1 fails 60% of the time");
  EXPECT_EQ(fired[0].message, "over 5m, more than 10%");
  EXPECT_EQ(fired[0].labels.at("alertname"), "HighErrorRate");
  EXPECT_EQ(fired[0].labels.at("team"), "data");
  EXPECT_EQ(fired[0].labels.at("severity"), "error");
  EXPECT_EQ(rule_.instances()[0].state, AlertState::kFiring);
  EXPECT_TRUE(at(6, {group("s1", 60)}).empty()) << "announced once, not per evaluation";
}

TEST_F(AlertingRuleTest, ABlipShorterThanForNeverFires) {
  at(0, {group("s1", 50)});
  at(4, {group("s1", 50)});
  EXPECT_TRUE(at(5, {group("s1", 1)}).empty());
  EXPECT_TRUE(rule_.instances().empty()) << "a pending alert is forgotten silently";
  EXPECT_TRUE(at(6, {group("s1", 50)}).empty()) << "and starts over";
  EXPECT_EQ(rule_.instances()[0].active_at, 6 * kMsPerMinute);
}

TEST_F(AlertingRuleTest, ResolvesWhenTheConditionStopsAndNamesTheFiringAnnouncement) {
  at(0, {group("s1", 50)});
  const auto fired = at(5, {group("s1", 50)});
  const auto resolved = at(7, {group("s1", 2)});
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].kind, Announcement::Kind::kResolved);
  EXPECT_EQ(resolved[0].firing_key, fired[0].key);
  EXPECT_NE(resolved[0].key, fired[0].key);
  EXPECT_EQ(resolved[0].severity, "success");
  EXPECT_EQ(resolved[0].value, 2);
  EXPECT_EQ(resolved[0].title, "Resolved: s1 fails 50% of the time") << "the firing title";
  EXPECT_TRUE(rule_.instances().empty());
}

TEST_F(AlertingRuleTest, KeepFiringForBridgesAGapThenResolves) {
  Rule r = error_rate_rule();
  r.for_duration = 0;
  r.keep_firing_for = 10 * kMsPerMinute;
  AlertingRule rule(r);
  EXPECT_EQ(rule.evaluate({group("s1", 50)}, 0).size(), 1u) << "for = 0 fires at once";
  EXPECT_TRUE(rule.evaluate({group("s1", 1)}, 1 * kMsPerMinute).empty());
  EXPECT_TRUE(rule.evaluate({}, 5 * kMsPerMinute).empty());
  EXPECT_TRUE(rule.evaluate({group("s1", 50)}, 6 * kMsPerMinute).empty())
      << "back: still the same alert";
  EXPECT_TRUE(rule.evaluate({group("s1", 1)}, 7 * kMsPerMinute).empty());
  EXPECT_TRUE(rule.evaluate({group("s1", 1)}, 16 * kMsPerMinute).empty()) << "9 min after failing";
  const auto resolved = rule.evaluate({group("s1", 1)}, 17 * kMsPerMinute);
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].kind, Announcement::Kind::kResolved);
}

TEST_F(AlertingRuleTest, FiringAgainAfterResolutionIsANewAlert) {
  at(0, {group("s1", 50)});
  const auto first = at(5, {group("s1", 50)});
  at(6, {group("s1", 0)});
  at(7, {group("s1", 50)});
  const auto second = at(12, {group("s1", 50)});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0].key, first[0].key);
}

TEST_F(AlertingRuleTest, MinEventsSuppressesLowVolumeGroups) {
  Rule r = error_rate_rule();
  r.for_duration = 0;
  r.min_events = 20;
  AlertingRule rule(r);
  EXPECT_TRUE(rule.evaluate({group("s1", 100, 3)}, 0).empty()) << "3 events, 3 failures";
  EXPECT_EQ(rule.evaluate({group("s1", 100, 20)}, kMsPerMinute).size(), 1u);
}

TEST_F(AlertingRuleTest, EachGroupIsItsOwnAlert) {
  at(0, {group("s1", 50), group("s2", 50), group("s3", 1)});
  const auto fired = at(5, {group("s1", 50), group("s2", 50), group("s3", 1)});
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_NE(fired[0].labels.at("integration_key"), fired[1].labels.at("integration_key"));
  const auto resolved = at(6, {group("s1", 50), group("s2", 1)});
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].labels.at("integration_key"), "s2");
}

TEST_F(AlertingRuleTest, AGroupThatVanishesResolvesSayingThereIsNoData) {
  at(0, {group("s1", 50)});
  at(5, {group("s1", 50)});
  const auto resolved = at(6, {});
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_NE(resolved[0].message.find("No data"), std::string::npos) << resolved[0].message;
}

TEST_F(AlertingRuleTest, RestoredStateContinuesWhereItStopped) {
  at(0, {group("s1", 50)});
  at(5, {group("s1", 50)});
  AlertingRule restarted(error_rate_rule());
  restarted.restore(rule_.instances());
  EXPECT_TRUE(restarted.evaluate({group("s1", 50)}, 6 * kMsPerMinute).empty())
      << "not announced again";
  EXPECT_EQ(restarted.evaluate({group("s1", 0)}, 7 * kMsPerMinute).size(), 1u);
}

TEST_F(AlertingRuleTest, RetireResolvesFiringAlertsAndDropsPendingOnes) {
  at(0, {group("s1", 50)});
  at(5, {group("s1", 50), group("s2", 50)});
  const auto retired = rule_.retire(6 * kMsPerMinute, "The rule was removed.");
  ASSERT_EQ(retired.size(), 1u);
  EXPECT_EQ(retired[0].message, "The rule was removed.");
  EXPECT_TRUE(rule_.instances().empty());
}

}  // namespace
}  // namespace vitals::evaluator
