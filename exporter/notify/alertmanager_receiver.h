#pragma once

#include <nlohmann/json.hpp>

#include "notify/receiver.h"

namespace vitals::notify {

// One Alertmanager, through its v2 API (POST /api/v2/alerts). An HA pair is two of these, each
// with its own queue, so one being down does not hold the other back.
//
// Like Prometheus, vitals repeats every live alert each resend interval with an `endsAt` a few
// intervals ahead: Alertmanager resolves an alert whose `endsAt` has passed, so an alert stays
// open there only while vitals keeps saying so, and one that vitals forgets (or a vitals that is
// gone) lets it time out instead of paging forever.
class AlertmanagerReceiver final : public Receiver {
 public:
  // `base_url` is the Alertmanager's root, e.g. "http://127.0.0.1:9093".
  AlertmanagerReceiver(const std::string& base_url, Route route, TimeMs timeout,
                       TimeMs resend_interval);

  std::string_view notifier() const override { return "alertmanager"; }
  size_t batch_limit() const override { return 64; }
  TimeMs resend_interval() const override { return resend_interval_; }
  HttpPost request(const std::vector<Notification>& batch, TimeMs now) const override;

  // One element of the posted array.
  nlohmann::json alert_json(const Notification& notification, TimeMs now) const;

 private:
  TimeMs resend_interval_;
};

}  // namespace vitals::notify
