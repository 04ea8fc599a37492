#pragma once

#include "core/wakeable_loop.h"
#include "notify/dispatcher.h"

namespace vitals::notify {

// Runs the dispatcher's deliveries on a thread of its own: at once when announcements are
// queued (wake()), otherwise when the dispatcher says something is due. One thread for every
// receiver keeps the order simple; a receiver that hangs costs at most its timeout per backoff
// step.
class DeliveryLoop {
 public:
  DeliveryLoop(Dispatcher& dispatcher, const Clock& clock);

  void start() { loop_.start(); }
  void stop() { loop_.stop(); }
  void wake() { loop_.wake(); }

 private:
  WakeableLoop::Rest deliver();

  Dispatcher& dispatcher_;
  const Clock& clock_;
  WakeableLoop loop_;  // last: its thread uses the members above
};

}  // namespace vitals::notify
