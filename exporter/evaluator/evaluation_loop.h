#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "evaluator/rule_manager.h"

namespace vitals::evaluator {

// Evaluates the rules every `interval` on a thread of its own, and soon after nudge() (new data
// arrived) but never more often than `min_gap`, so that a breach reaches the feed in well under
// an interval without the evaluator running per ingest batch. Rule semantics (`for`,
// `keep_firing_for`) depend only on the clock's timestamps, not on how often evaluations run.
class EvaluationLoop {
 public:
  EvaluationLoop(RuleManager& manager, const Clock& clock, TimeMs interval, TimeMs min_gap);
  ~EvaluationLoop();

  void start();
  void stop();
  void nudge();

 private:
  void run();

  RuleManager& manager_;
  const Clock& clock_;
  const TimeMs interval_;
  const TimeMs min_gap_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool nudged_ = false;
  std::thread thread_;
};

}  // namespace vitals::evaluator
