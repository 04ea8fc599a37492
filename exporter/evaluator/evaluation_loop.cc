#include "evaluator/evaluation_loop.h"

#include <spdlog/spdlog.h>

namespace vitals::evaluator {

EvaluationLoop::EvaluationLoop(RuleManager& manager, const Clock& clock, TimeMs interval,
                               TimeMs min_gap)
    : manager_(manager), clock_(clock), interval_(interval), min_gap_(min_gap) {}

EvaluationLoop::~EvaluationLoop() {
  stop();
}

void EvaluationLoop::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void EvaluationLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EvaluationLoop::nudge() {
  {
    std::lock_guard lock(mutex_);
    nudged_ = true;
  }
  wake_.notify_all();
}

void EvaluationLoop::run() {
  using std::chrono::milliseconds;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    nudged_ = false;
    lock.unlock();
    try {
      manager_.evaluate(clock_.now_ms());
    } catch (const std::exception& e) {
      spdlog::error("rule evaluation failed: {}", e.what());
    }
    lock.lock();
    // Rest at least min_gap, then until the interval ends or a nudge comes.
    wake_.wait_for(lock, milliseconds(min_gap_), [this] { return stopping_; });
    wake_.wait_for(lock, milliseconds(std::max<TimeMs>(0, interval_ - min_gap_)),
                   [this] { return stopping_ || nudged_; });
  }
}

}  // namespace vitals::evaluator
