#pragma once

#include <string>
#include <vector>

#include "evaluator/alert.h"

namespace vitals::evaluator {

// Where announcements go (the system-health feed, notifiers), oldest first. announce() must be
// idempotent on Announcement::key: after a crash the same announcement may be delivered again.
class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void announce(const std::vector<Announcement>& announcements) = 0;
};

// What one rule's evaluation leaves for a restart to know.
struct RuleState {
  std::string rule;
  std::vector<AlertInstance> instances;
  std::vector<Announcement> announcements;
};

// Durable alert state, so that a restart neither forgets a firing alert nor announces it twice.
// save() must be atomic: every rule's instances and the new announcements are kept together or not
// at all; announcements stay in the outbox until delivered() is called for them.
class AlertStateStore {
 public:
  virtual ~AlertStateStore() = default;
  virtual std::vector<AlertInstance> load_instances() = 0;
  virtual void save(const std::vector<RuleState>& rules) = 0;
  virtual std::vector<Announcement> outbox() = 0;  // oldest first
  virtual void delivered(const std::vector<std::string>& keys) = 0;
};

}  // namespace vitals::evaluator
