#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.h"

namespace vitals {

// A thread that runs rounds of work: after each, it rests at least `Rest::at_least` (wake() does
// not cut this short), then until `Rest::at_most` has passed or wake() is called. stop() ends it
// after the current round.
class WakeableLoop {
 public:
  struct Rest {
    TimeMs at_least = 0;
    TimeMs at_most = 0;
  };

  explicit WakeableLoop(std::function<Rest()> round) : round_(std::move(round)) {}
  ~WakeableLoop() { stop(); }
  WakeableLoop(const WakeableLoop&) = delete;
  WakeableLoop& operator=(const WakeableLoop&) = delete;

  void start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  void wake() {
    {
      std::lock_guard lock(mutex_);
      woken_ = true;
    }
    wake_.notify_all();
  }

 private:
  void run() {
    using std::chrono::milliseconds;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      woken_ = false;
      lock.unlock();
      const Rest rest = round_();
      lock.lock();
      wake_.wait_for(lock, milliseconds(rest.at_least), [this] { return stopping_; });
      wake_.wait_for(lock, milliseconds(std::max<TimeMs>(0, rest.at_most - rest.at_least)),
                     [this] { return stopping_ || woken_; });
    }
  }

  std::function<Rest()> round_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace vitals
