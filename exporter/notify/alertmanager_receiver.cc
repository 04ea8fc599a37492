#include "notify/alertmanager_receiver.h"

#include "core/time_format.h"

namespace vitals::notify {
namespace {

// An open alert's endsAt is this many resend intervals ahead, as Prometheus does: a few missed
// resends (a restart, a network blip) must not resolve it.
constexpr TimeMs kResendsBeforeTimeout = 4;

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

AlertmanagerReceiver::AlertmanagerReceiver(const std::string& base_url, Route route, TimeMs timeout,
                                           TimeMs resend_interval)
    : Receiver(base_url, without_trailing_slash(base_url) + "/api/v2/alerts", std::move(route),
               timeout),
      resend_interval_(resend_interval) {}

nlohmann::json AlertmanagerReceiver::alert_json(const Notification& n, TimeMs now) const {
  const evaluator::Announcement& a = n.announcement;
  nlohmann::json annotations = a.annotations;
  annotations["summary"] = evaluator::firing_title(a);  // Alertmanager marks resolution itself
  annotations["description"] = a.message;
  if (!a.link.empty()) annotations["link"] = a.link;
  const bool resolved = a.kind == evaluator::Announcement::Kind::kResolved;
  const TimeMs ends_at = resolved ? a.at : now + kResendsBeforeTimeout * resend_interval_;
  nlohmann::json alert = {{"labels", a.labels},
                          {"annotations", std::move(annotations)},
                          {"startsAt", format_rfc3339_ms(a.fired_at)},
                          {"endsAt", format_rfc3339_ms(ends_at)}};
  if (!n.generator_url.empty()) alert["generatorURL"] = n.generator_url;
  return alert;
}

HttpPost AlertmanagerReceiver::request(const std::vector<Notification>& batch, TimeMs now) const {
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& n : batch) alerts.push_back(alert_json(n, now));
  return post_to_url(alerts.dump());
}

}  // namespace vitals::notify
