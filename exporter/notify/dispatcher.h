#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

#include "evaluator/alert_sink.h"
#include "notify/backoff.h"
#include "notify/delivery_observer.h"
#include "notify/notification_queue.h"
#include "notify/receiver.h"

namespace vitals::notify {

struct DispatchOptions {
  size_t queue_limit = 10'000;
  Backoff backoff;
  // How long one receiver may keep the delivery thread before the others get their turn.
  TimeMs turn = 2 * kMsPerSecond;
};

// Turns announcements into queued notifications (as an AlertSink) and delivers them (deliver(),
// called by the DeliveryLoop's thread). Per receiver:
//   - a notification is removed from the queue only once the receiver answered 2xx, or refused
//     it for good with a 4xx other than 408 and 429;
//   - only the oldest notification of each alert instance is ever sent, so a receiver sees an
//     instance's firing and resolution in the order they happened;
//   - a failure puts the whole receiver in backoff: one that is down is probed once per backoff
//     step rather than once per queued notification;
//   - receivers that want it get the live alerts again every resend interval, once their queue
//     is empty (so a repeat can never overtake a queued resolution), and at once after a start;
//   - a receiver with a long backlog gets a turn of `turn` at a time, so a slow one cannot keep
//     the others (or their repeats) waiting.
// Times are read from the clock as they pass, never carried across a slow request.
class Dispatcher final : public evaluator::AlertSink {
 public:
  using GeneratorUrl = std::function<std::string(const evaluator::Announcement&)>;

  Dispatcher(NotificationQueue& queue, HttpSender& sender, DeliveryObserver& observer,
             const Clock& clock, DispatchOptions options, std::function<double()> random = nullptr);

  // Replaces the receivers; what is queued for one that is gone is dropped (and counted).
  void set_receivers(std::vector<std::shared_ptr<const Receiver>> receivers);
  std::vector<std::string> receiver_names() const;
  void set_generator_url(GeneratorUrl generator_url);
  // Called after announcements were queued, to wake the delivery thread.
  void on_queued(std::function<void()> wake);

  void announce(const std::vector<evaluator::Announcement>& announcements) override;

  // Sends whatever is due now; returns when something is due next.
  TimeMs deliver();

 private:
  struct ReceiverState {
    int failures = 0;  // in a row
    TimeMs retry_at = 0;
    TimeMs resend_at = 0;
  };
  enum class Answer { kTaken, kRefused, kFailed };
  enum class Drained { kEmpty, kFailed, kTurnOver };

  std::vector<std::shared_ptr<const Receiver>> receivers() const;
  Answer send(const Receiver& receiver, const std::vector<Notification>& batch);
  // Sends the receiver's queue until it is empty, a send fails, or its turn is over.
  Drained drain(const Receiver& receiver, ReceiverState& state);
  void resend_live(const Receiver& receiver);

  NotificationQueue& queue_;
  HttpSender& sender_;
  DeliveryObserver& observer_;
  const Clock& clock_;
  DispatchOptions options_;
  std::function<double()> random_;

  std::mutex handover_mutex_;  // one announce() or set_receivers() at a time
  mutable std::mutex mutex_;   // guards the fields below it
  std::vector<std::shared_ptr<const Receiver>> receivers_;
  GeneratorUrl generator_url_;
  std::function<void()> wake_;
  bool full_ = false;

  std::map<std::string, ReceiverState> states_;  // only touched by deliver()
};

}  // namespace vitals::notify
