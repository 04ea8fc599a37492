#include "metrics/notification_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <set>
#include <string>

#include "notify/alertmanager_receiver.h"
#include "notify/webhook_receiver.h"

namespace vitals {
namespace {

// Each sample of the family as "label=value,..." (labels in the registry's order) mapped to
// nothing but its presence, plus its value in `values`.
std::set<std::string> notification_series(prometheus::Registry& registry, const std::string& name,
                                          double* sum = nullptr) {
  std::set<std::string> out;
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      std::string text;
      for (const auto& label : metric.label) text += label.name + "=" + label.value + ",";
      out.insert(text);
      if (sum) *sum += metric.counter.value;
    }
  }
  return out;
}

TEST(NotificationMetrics, DropReasonsAreShownAtZeroFromTheStart) {
  prometheus::Registry registry;
  NotificationMetrics metrics(registry);
  double sum = 0;
  EXPECT_EQ(notification_series(registry, "vitals_notifications_dropped_total", &sum),
            (std::set<std::string>{"reason=queue_full,", "reason=receiver_removed,"}));
  EXPECT_EQ(sum, 0);
}

// A configured receiver's counters read 0 before its first notification, so that
// increase(vitals_notifications_failed_total[1h]) > 0 has a series to read from the start.
TEST(NotificationMetrics, AConfiguredReceiverHasItsCountersAtZero) {
  prometheus::Registry registry;
  NotificationMetrics metrics(registry);
  const notify::AlertmanagerReceiver alertmanager("http://127.0.0.1:9093", {}, 1000, 60000);
  const notify::WebhookReceiver webhook("pager", "http://127.0.0.1:9/hook", "", {}, 1000);
  metrics.configured(alertmanager);
  metrics.configured(webhook);
  double sum = 0;
  const auto sent = notification_series(registry, "vitals_notifications_sent_total", &sum);
  EXPECT_EQ(sent.size(), 2u);
  EXPECT_TRUE(sent.contains("notifier=webhook,receiver=pager,"));
  const auto failed = notification_series(registry, "vitals_notifications_failed_total", &sum);
  EXPECT_TRUE(failed.contains("notifier=webhook,reason=retrying,receiver=pager,"));
  EXPECT_TRUE(failed.contains("notifier=webhook,reason=rejected,receiver=pager,"));
  EXPECT_FALSE(failed.contains("notifier=webhook,reason=resend,receiver=pager,"))
      << "a webhook never repeats live alerts";
  EXPECT_EQ(failed.size(), 5u) << "Alertmanager's: retrying, rejected, resend";
  EXPECT_EQ(sum, 0);

  metrics.sent("webhook", "pager", 2);
  metrics.configured(webhook);  // a reload that keeps the receiver keeps its count
  sum = 0;
  notification_series(registry, "vitals_notifications_sent_total", &sum);
  EXPECT_EQ(sum, 2);
}

}  // namespace
}  // namespace vitals
