// The evaluation cycle: signals in, announcements out through the durable outbox, restarts.

#include "evaluator/rule_manager.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "evaluator/memory_state_store.h"

namespace vitals::evaluator {
namespace {

// Values set by the test, per tenant and window end; what a real source computes is tested in the
// exporter.
class ScriptedSource : public SignalSource {
 public:
  std::vector<TenantRef> tenants() const override {
    return {{"id-acme", "acme"}, {"id-globex", "globex"}};
  }
  std::vector<SignalSample> sample(const SignalRequest& request) const override {
    requests.push_back(request);
    auto it = values.find({request.tenant_id, request.to});
    if (it == values.end()) it = values.find({request.tenant_id, -1});
    if (it == values.end()) return {};
    return {{{{"integration_key", "s1"}}, it->second, 100}};
  }
  // -1 as the time: every window.
  std::map<std::pair<std::string, TimeMs>, double> values;
  mutable std::vector<SignalRequest> requests;
};

class RecordingSink : public AlertSink {
 public:
  void announce(const std::vector<Announcement>& batch) override {
    if (failing) throw std::runtime_error("receiver down");
    received.insert(received.end(), batch.begin(), batch.end());
  }
  bool failing = false;
  std::vector<Announcement> received;
};

Rule rule(const std::string& name = "Breach") {
  Rule r;
  r.name = name;
  r.signal = Signal::kErrorCount;
  r.by = {"integration_key"};
  r.window = 10 * kMsPerMinute;
  r.op = Comparison::kGreater;
  r.threshold = 5;
  r.for_duration = 2 * kMsPerMinute;
  r.title = "{{integration_key}} in {{tenant}}";
  return r;
}

class RuleManagerTest : public ::testing::Test {
 protected:
  ScriptedSource source_;
  RecordingSink sink_;
  MemoryAlertStateStore state_;
};

TEST_F(RuleManagerTest, AnnouncesFiringAndResolutionOncePerGroupAndTenant) {
  RuleManager manager(source_, sink_, state_);
  manager.set_rules({rule()}, 0);
  source_.values[{"id-acme", -1}] = 9;
  manager.evaluate(0);
  manager.evaluate(2 * kMsPerMinute);
  manager.evaluate(3 * kMsPerMinute);
  ASSERT_EQ(sink_.received.size(), 1u);
  EXPECT_EQ(sink_.received[0].tenant_id, "id-acme");
  EXPECT_EQ(sink_.received[0].labels.at("tenant"), "acme");
  EXPECT_EQ(sink_.received[0].title, "s1 in acme");
  EXPECT_EQ(manager.active_alerts().size(), 1u);
  source_.values[{"id-acme", -1}] = 0;
  manager.evaluate(4 * kMsPerMinute);
  ASSERT_EQ(sink_.received.size(), 2u);
  EXPECT_EQ(sink_.received[1].kind, Announcement::Kind::kResolved);
  EXPECT_TRUE(state_.outbox().empty());
}

TEST_F(RuleManagerTest, ReadsTheWindowEndingNowForSelectedTenantsOnly) {
  Rule r = rule();
  r.tenants = {"globex"};
  RuleManager manager(source_, sink_, state_);
  manager.set_rules({r}, 0);
  manager.evaluate(60 * kMsPerMinute);
  ASSERT_EQ(source_.requests.size(), 1u);
  EXPECT_EQ(source_.requests[0].tenant_id, "id-globex");
  EXPECT_EQ(source_.requests[0].from, 50 * kMsPerMinute);
  EXPECT_EQ(source_.requests[0].to, 60 * kMsPerMinute);
}

TEST_F(RuleManagerTest, PctChangeComparesWithThePreviousWindow) {
  Rule r = rule();
  r.pct_change = true;
  r.threshold = 50;
  r.for_duration = 0;
  RuleManager manager(source_, sink_, state_);
  manager.set_rules({r}, 0);
  source_.values[{"id-acme", 20 * kMsPerMinute}] = 4;
  source_.values[{"id-acme", 30 * kMsPerMinute}] = 7;    // +75%
  source_.values[{"id-globex", 20 * kMsPerMinute}] = 0;  // no base: no value
  source_.values[{"id-globex", 30 * kMsPerMinute}] = 7;
  manager.evaluate(30 * kMsPerMinute);
  ASSERT_EQ(sink_.received.size(), 1u);
  EXPECT_EQ(sink_.received[0].value, 75);
  EXPECT_EQ(sink_.received[0].labels.at("tenant"), "acme");
}

TEST_F(RuleManagerTest, ARestartInTheMiddleOfFiringAnnouncesNothingTwice) {
  source_.values[{"id-acme", -1}] = 9;
  {
    RuleManager before(source_, sink_, state_);
    before.set_rules({rule()}, 0);
    before.evaluate(0);
    before.evaluate(2 * kMsPerMinute);
  }
  ASSERT_EQ(sink_.received.size(), 1u);
  RuleManager after(source_, sink_, state_);
  after.set_rules({rule()}, 3 * kMsPerMinute);
  after.evaluate(3 * kMsPerMinute);
  EXPECT_EQ(sink_.received.size(), 1u);
  EXPECT_EQ(after.active_alerts().size(), 1u);
  source_.values[{"id-acme", -1}] = 0;
  after.evaluate(4 * kMsPerMinute);
  ASSERT_EQ(sink_.received.size(), 2u);
  EXPECT_EQ(sink_.received[1].firing_key, sink_.received[0].key);
}

TEST_F(RuleManagerTest, AnnouncementsWaitInTheOutboxWhileTheSinkFailsAndKeepTheirOrder) {
  Rule r = rule();
  r.for_duration = 0;
  RuleManager manager(source_, sink_, state_);
  manager.set_rules({r}, 0);
  sink_.failing = true;
  source_.values[{"id-acme", -1}] = 9;
  manager.evaluate(0);
  source_.values[{"id-acme", -1}] = 0;
  manager.evaluate(kMsPerMinute);
  EXPECT_EQ(state_.outbox().size(), 2u);
  sink_.failing = false;
  manager.evaluate(2 * kMsPerMinute);
  ASSERT_EQ(sink_.received.size(), 2u);
  EXPECT_EQ(sink_.received[0].kind, Announcement::Kind::kFiring);
  EXPECT_EQ(sink_.received[1].kind, Announcement::Kind::kResolved);
  EXPECT_TRUE(state_.outbox().empty());
}

TEST_F(RuleManagerTest, RemovingARuleResolvesItsFiringAlertsAndKeepsOthers) {
  Rule a = rule("A"), b = rule("B");
  a.for_duration = b.for_duration = 0;
  RuleManager manager(source_, sink_, state_);
  manager.set_rules({a, b}, 0);
  source_.values[{"id-acme", -1}] = 9;
  manager.evaluate(0);
  ASSERT_EQ(sink_.received.size(), 2u);
  manager.set_rules({b}, kMsPerMinute);
  ASSERT_EQ(sink_.received.size(), 3u);
  const Announcement& resolution = sink_.received[2];
  EXPECT_EQ(resolution.rule, "A");
  EXPECT_EQ(resolution.kind, Announcement::Kind::kResolved);
  // Rendered from the rule's last definition, as when it fired.
  EXPECT_EQ(resolution.title, "Resolved: s1 in acme");
  EXPECT_EQ(resolution.threshold, 5);
  EXPECT_EQ(resolution.message, "The rule A was removed.");
  manager.evaluate(2 * kMsPerMinute);
  EXPECT_EQ(sink_.received.size(), 3u) << "B kept its firing alert across the reload";
}

TEST_F(RuleManagerTest, ARuleRemovedWhileDownIsResolvedUnderItsName) {
  Rule a = rule("A");
  a.for_duration = 0;
  source_.values[{"id-acme", -1}] = 9;
  {
    RuleManager before(source_, sink_, state_);
    before.set_rules({a}, 0);
    before.evaluate(0);
  }
  ASSERT_EQ(sink_.received.size(), 1u);
  RuleManager after(source_, sink_, state_);
  after.set_rules({}, kMsPerMinute);
  ASSERT_EQ(sink_.received.size(), 2u);
  EXPECT_EQ(sink_.received[1].kind, Announcement::Kind::kResolved);
  EXPECT_EQ(sink_.received[1].firing_key, sink_.received[0].key);
  EXPECT_EQ(sink_.received[1].title, "Resolved: A");
}

TEST_F(RuleManagerTest, ASourceFailureCountsAgainstTheRuleAndChangesNoState) {
  class BrokenSource : public ScriptedSource {
    std::vector<SignalSample> sample(const SignalRequest&) const override {
      throw std::runtime_error("store unavailable");
    }
  } broken;
  RuleManager manager(broken, sink_, state_);
  manager.set_rules({rule()}, 0);
  manager.evaluate(0);
  const auto health = manager.health();
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0].failures, 1u);
  EXPECT_EQ(health[0].last_error, "store unavailable");
  EXPECT_EQ(health[0].last_success, 0);
}

TEST_F(RuleManagerTest, AnnouncementsSurviveAFailedStateWriteAndGoOutWithTheNextOne) {
  class FlakyStore : public MemoryAlertStateStore {
   public:
    void save(const std::vector<RuleState>& rules) override {
      if (fail) throw std::runtime_error("disk full");
      MemoryAlertStateStore::save(rules);
    }
    bool fail = true;
  } flaky;
  Rule r = rule();
  r.for_duration = 0;
  RuleManager manager(source_, sink_, flaky);
  manager.set_rules({r}, 0);
  source_.values[{"id-acme", -1}] = 9;
  manager.evaluate(0);
  EXPECT_TRUE(sink_.received.empty()) << "nothing is announced that was not recorded";
  EXPECT_EQ(manager.health()[0].failures, 1u);
  flaky.fail = false;
  manager.evaluate(kMsPerMinute);
  ASSERT_EQ(sink_.received.size(), 1u) << "the firing made at 0 is announced now, once";
  EXPECT_EQ(sink_.received[0].at, 0);
  EXPECT_EQ(flaky.load_instances().size(), 1u);
}

}  // namespace
}  // namespace vitals::evaluator
