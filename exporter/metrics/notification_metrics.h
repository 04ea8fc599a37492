#pragma once

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <functional>

#include "core/clock.h"
#include "notify/delivery_observer.h"
#include "notify/notification_queue.h"
#include "notify/receiver.h"

namespace vitals {

// Notification delivery on /metrics, counted as it happens:
//   vitals_notifications_sent_total{notifier, receiver}
//   vitals_notifications_failed_total{notifier, receiver, reason}  reason: retrying | rejected |
//     resend
//   vitals_notifications_dropped_total{reason}  reason: queue_full | receiver_removed
class NotificationMetrics final : public notify::DeliveryObserver {
 public:
  explicit NotificationMetrics(prometheus::Registry& registry);

  // Puts the receiver's counters on /metrics at 0, so that rate() and increase() over them
  // read 0 before its first notification rather than no data.
  void configured(const notify::Receiver& receiver) override;
  void sent(std::string_view notifier, std::string_view receiver, size_t count) override;
  void failed(std::string_view notifier, std::string_view receiver, notify::Failure failure,
              size_t count) override;
  void dropped(notify::Drop drop, size_t count) override;

 private:
  prometheus::Family<prometheus::Counter>& sent_;
  prometheus::Family<prometheus::Counter>& failed_;
  prometheus::Family<prometheus::Counter>& dropped_;
};

// The queue, read at scrape time: vitals_notification_queue_length{receiver} and
// vitals_notification_queue_oldest_age_seconds{receiver} for every configured receiver (0 when
// nothing waits), and vitals_notification_queue_limit.
class NotificationQueueCollector final : public prometheus::Collectable {
 public:
  NotificationQueueCollector(notify::NotificationQueue& queue,
                             std::function<std::vector<std::string>()> receivers, size_t limit,
                             const Clock& clock)
      : queue_(queue), receivers_(std::move(receivers)), limit_(limit), clock_(clock) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  notify::NotificationQueue& queue_;
  std::function<std::vector<std::string>()> receivers_;
  size_t limit_;
  const Clock& clock_;
};

}  // namespace vitals
