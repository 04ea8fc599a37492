#pragma once

#include "core/wakeable_loop.h"
#include "evaluator/rule_manager.h"

namespace vitals::evaluator {

// Evaluates the rules every `interval` on a thread of its own, and soon after nudge() (new data
// arrived) but never more often than `min_gap`, so that a breach reaches the feed in well under
// an interval without the evaluator running per ingest batch. Rule semantics (`for`,
// `keep_firing_for`) depend only on the clock's timestamps, not on how often evaluations run.
class EvaluationLoop {
 public:
  EvaluationLoop(RuleManager& manager, const Clock& clock, TimeMs interval, TimeMs min_gap);

  void start() { loop_.start(); }
  void stop() { loop_.stop(); }
  void nudge() { loop_.wake(); }

 private:
  WakeableLoop::Rest evaluate();

  RuleManager& manager_;
  const Clock& clock_;
  const TimeMs interval_;
  const TimeMs min_gap_;
  WakeableLoop loop_;  // last: its thread uses the members above
};

}  // namespace vitals::evaluator
