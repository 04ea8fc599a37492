#pragma once

#include <nlohmann/json.hpp>

#include "notify/receiver.h"

namespace vitals::notify {

// A plain HTTPS endpoint that gets one JSON document per state change of an alert
// (docs/notifications.md has the shape). With a secret, each request carries
// `X-Vitals-Signature: sha256=<hex HMAC-SHA256 of the body>`, so the endpoint can tell vitals'
// requests from anyone else's.
class WebhookReceiver final : public Receiver {
 public:
  WebhookReceiver(std::string name, std::string url, std::string secret, Route route,
                  TimeMs timeout);

  std::string_view notifier() const override { return "webhook"; }
  size_t batch_limit() const override { return 1; }
  HttpPost request(const std::vector<Notification>& batch, TimeMs now) const override;

  nlohmann::json body_json(const Notification& notification) const;

  // The same on every try of one notification, different for every other (another state
  // change, or the same one to another webhook).
  std::string delivery_id(const Notification& notification) const;

 private:
  std::string secret_;
};

inline constexpr std::string_view kSignatureHeader = "X-Vitals-Signature";
inline constexpr std::string_view kDeliveryHeader = "X-Vitals-Delivery";

}  // namespace vitals::notify
