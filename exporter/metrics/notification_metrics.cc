#include "metrics/notification_metrics.h"

#include <map>

namespace vitals {

using prometheus::BuildCounter;
using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

NotificationMetrics::NotificationMetrics(prometheus::Registry& registry)
    : sent_(BuildCounter()
                .Name("vitals_notifications_sent_total")
                .Help("Notifications a receiver accepted (2xx), repeats of live alerts to "
                      "Alertmanager included.")
                .Register(registry)),
      failed_(BuildCounter()
                  .Name("vitals_notifications_failed_total")
                  .Help("Notifications not delivered: retrying (no answer, 5xx, 408, 429; kept "
                        "and retried), rejected (other 4xx; dropped), resend (a repeat of a "
                        "live alert to Alertmanager).")
                  .Register(registry)),
      dropped_(BuildCounter()
                   .Name("vitals_notifications_dropped_total")
                   .Help("Notifications never queued or removed unsent: queue_full, "
                         "receiver_removed.")
                   .Register(registry)) {
  for (auto drop : {notify::Drop::kQueueFull, notify::Drop::kReceiverRemoved}) dropped(drop, 0);
}

void NotificationMetrics::configured(const notify::Receiver& receiver) {
  sent(receiver.notifier(), receiver.name(), 0);
  for (auto failure : {notify::Failure::kRetrying, notify::Failure::kRejected}) {
    failed(receiver.notifier(), receiver.name(), failure, 0);
  }
  if (receiver.resend_interval() > 0) {
    failed(receiver.notifier(), receiver.name(), notify::Failure::kResend, 0);
  }
}

void NotificationMetrics::sent(std::string_view notifier, std::string_view receiver, size_t count) {
  sent_.Add({{"notifier", std::string(notifier)}, {"receiver", std::string(receiver)}})
      .Increment(double(count));
}

void NotificationMetrics::failed(std::string_view notifier, std::string_view receiver,
                                 notify::Failure failure, size_t count) {
  failed_
      .Add({{"notifier", std::string(notifier)},
            {"receiver", std::string(receiver)},
            {"reason", std::string(failure_name(failure))}})
      .Increment(double(count));
}

void NotificationMetrics::dropped(notify::Drop drop, size_t count) {
  dropped_.Add({{"reason", std::string(drop_name(drop))}}).Increment(double(count));
}

std::vector<MetricFamily> NotificationQueueCollector::Collect() const {
  std::map<std::string, notify::ReceiverBacklog> backlog;
  for (const auto& name : receivers_()) backlog[name] = {name, 0, 0};
  for (auto& b : queue_.backlog()) backlog[b.receiver] = b;
  MetricFamily length{"vitals_notification_queue_length",
                      "Notifications waiting for each receiver.",
                      MetricType::Gauge,
                      {}};
  MetricFamily age{"vitals_notification_queue_oldest_age_seconds",
                   "How long the oldest notification waiting for each receiver has waited (0 when "
                   "none waits).",
                   MetricType::Gauge,
                   {}};
  const TimeMs now = clock_.now_ms();
  for (const auto& [name, b] : backlog) {
    ClientMetric m;
    m.label = {{"receiver", name}};
    m.gauge.value = double(b.length);
    length.metric.push_back(m);
    m.gauge.value = b.length ? double(std::max<TimeMs>(0, now - b.oldest_queued_at)) / 1000.0 : 0;
    age.metric.push_back(std::move(m));
  }
  MetricFamily limit{"vitals_notification_queue_limit",
                     "How many notifications the queue holds before new ones are dropped.",
                     MetricType::Gauge,
                     {ClientMetric{}}};
  limit.metric[0].gauge.value = double(limit_);
  return {std::move(length), std::move(age), std::move(limit)};
}

}  // namespace vitals
