#pragma once

#include <chrono>
#include <thread>

namespace vitals::testing {

// Polls `pred` until it returns true or `timeout` passes. Integration tests talk to real
// servers that become ready (or scrape, or fire) on their own schedule; waiting on the
// observable condition with a generous deadline keeps them correct on slow, shared machines.
// Returns whether the condition was met; the predicate is checked once more at the deadline.
template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(50)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (pred()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    std::this_thread::sleep_for(remaining < poll ? remaining : poll);
  }
}

}  // namespace vitals::testing
