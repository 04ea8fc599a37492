#include "evaluator/evaluation_loop.h"

#include <spdlog/spdlog.h>

namespace vitals::evaluator {

EvaluationLoop::EvaluationLoop(RuleManager& manager, const Clock& clock, TimeMs interval,
                               TimeMs min_gap)
    : manager_(manager), clock_(clock), interval_(interval), min_gap_(min_gap), loop_([this] {
        return evaluate();
      }) {}

WakeableLoop::Rest EvaluationLoop::evaluate() {
  try {
    manager_.evaluate(clock_.now_ms());
  } catch (const std::exception& e) {
    spdlog::error("rule evaluation failed: {}", e.what());
  }
  return {min_gap_, interval_};
}

}  // namespace vitals::evaluator
