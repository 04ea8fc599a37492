#pragma once

#include <string_view>

namespace vitals::notify {

enum class Failure {
  kRetrying,  // no answer or a 5xx/408/429: kept and retried
  kRejected,  // any other 4xx: the receiver will never take it, so it is dropped
  kResend,    // a repeat of live alerts failed; the next repeat tries again
};

enum class Drop {
  kQueueFull,        // the queue was at its limit when the announcement came
  kReceiverRemoved,  // the configuration no longer has the receiver
};

std::string_view failure_name(Failure failure);
std::string_view drop_name(Drop drop);

class Receiver;

// What delivery reports, for metrics. Called from the delivery thread and from announce().
class DeliveryObserver {
 public:
  virtual ~DeliveryObserver() = default;
  // The receiver is (still) configured: from set_receivers, before anything is sent to it.
  virtual void configured(const Receiver& /*receiver*/) {}
  virtual void sent(std::string_view notifier, std::string_view receiver, size_t count) = 0;
  virtual void failed(std::string_view notifier, std::string_view receiver, Failure failure,
                      size_t count) = 0;
  virtual void dropped(Drop drop, size_t count) = 0;
};

}  // namespace vitals::notify
