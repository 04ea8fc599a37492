#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "evaluator/alert.h"

namespace vitals::notify {

// One announcement on its way to one receiver. It stays queued until the receiver answers 2xx
// (or refuses it for good with a 4xx).
struct Notification {
  std::int64_t id = 0;  // the queue's order, oldest first
  std::string receiver;
  std::string instance;  // evaluator::instance_key: order is kept per (receiver, instance)
  evaluator::Announcement announcement;
  std::string generator_url;  // where the alert can be seen in vitals
  TimeMs queued_at = 0;
  int attempts = 0;  // failed attempts so far
};

}  // namespace vitals::notify
