#include "alerting/receivers.h"

#include "notify/alertmanager_receiver.h"
#include "notify/webhook_receiver.h"

namespace vitals {

std::vector<std::shared_ptr<const notify::Receiver>> configured_receivers(
    const NotificationsConfig& config) {
  std::vector<std::shared_ptr<const notify::Receiver>> out;
  const AlertmanagerConfig& am = config.alertmanager;
  for (const auto& url : am.urls) {
    out.push_back(std::make_shared<notify::AlertmanagerReceiver>(url, am.route, am.timeout,
                                                                 am.resend_interval));
  }
  for (const auto& hook : config.webhooks) {
    out.push_back(std::make_shared<notify::WebhookReceiver>(hook.name, hook.url, hook.secret,
                                                            hook.route, hook.timeout));
  }
  return out;
}

}  // namespace vitals
