#pragma once

#include <map>
#include <string>
#include <vector>

#include "evaluator/alert.h"

namespace vitals::evaluator {

// One group's value at an evaluation.
struct GroupValue {
  std::string tenant_id;
  Labels group;  // tenant and the `by` labels
  double value = 0;
  std::uint64_t events = 0;
};

// The alert state machine of one rule, as Prometheus runs it: a group whose condition holds is
// pending from that evaluation; it fires once it has held for `for`; a firing alert whose
// condition fails keeps firing until `keep_firing_for` has passed since the first failing
// evaluation, then resolves. A pending alert whose condition fails is forgotten without a word.
class AlertingRule {
 public:
  explicit AlertingRule(Rule rule);

  const Rule& rule() const { return rule_; }

  // Applies one evaluation at `now` and returns what must be announced.
  std::vector<Announcement> evaluate(const std::vector<GroupValue>& groups, TimeMs now);

  // Resolves every firing instance (the rule was removed) and forgets the pending ones.
  std::vector<Announcement> retire(TimeMs now, const std::string& why);

  std::vector<AlertInstance> instances() const;

  // Grows whenever what a restart must know changes (instances appear, change state or go);
  // not when only their values change.
  std::uint64_t version() const { return version_; }
  void restore(const std::vector<AlertInstance>& instances);

  // The labels of the alert for a group: alertname, severity, source, the group, rule labels.
  Labels alert_labels(const Labels& group) const;

 private:
  struct Active {
    AlertInstance instance;
    bool seen = false;  // the group had a value at this evaluation
    bool held = false;  // and it met the condition
  };

  std::string group_key(const Labels& alert_labels) const;
  bool qualifies(const GroupValue& group) const;
  Announcement firing(const AlertInstance& instance) const;
  Announcement resolved(const AlertInstance& instance, TimeMs now, const std::string& why) const;

  Rule rule_;
  std::map<std::string, Active> active_;  // by the fingerprint of the group labels
  std::uint64_t version_ = 0;
};

}  // namespace vitals::evaluator
