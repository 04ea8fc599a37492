#include "notify/webhook_receiver.h"

#include "core/crypto.h"
#include "core/time_format.h"

namespace vitals::notify {
namespace {

using evaluator::Announcement;

}  // namespace

WebhookReceiver::WebhookReceiver(std::string name, std::string url, std::string secret, Route route,
                                 TimeMs timeout)
    : Receiver(std::move(name), std::move(url), std::move(route), timeout),
      secret_(std::move(secret)) {}

std::string WebhookReceiver::delivery_id(const Notification& n) const {
  return sha256_hex(name() + '\n' + n.announcement.key);
}

nlohmann::json WebhookReceiver::body_json(const Notification& n) const {
  const Announcement& a = n.announcement;
  const bool resolved = a.kind == Announcement::Kind::kResolved;
  return {{"version", 1},
          {"delivery", delivery_id(n)},
          {"status", std::string(kind_name(a.kind))},
          {"alert",
           {{"rule", a.rule},
            {"tenant", evaluator::label_of(a, "tenant")},
            {"tenant_id", a.tenant_id},
            {"severity", evaluator::label_of(a, "severity")},
            {"source", a.source},
            {"title", a.title},
            {"message", a.message},
            {"link", a.link.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.link)},
            {"labels", a.labels},
            {"annotations", a.annotations},
            {"observed", a.value},
            {"threshold", a.threshold},
            {"starts_at", format_rfc3339_ms(a.fired_at)},
            {"ends_at", resolved ? nlohmann::json(format_rfc3339_ms(a.at)) : nlohmann::json()},
            {"generator_url", n.generator_url}}}};
}

HttpPost WebhookReceiver::request(const std::vector<Notification>& batch, TimeMs) const {
  HttpPost post = post_to_url(body_json(batch.front()).dump());
  post.headers.emplace_back(kDeliveryHeader, delivery_id(batch.front()));
  if (!secret_.empty()) {
    post.headers.emplace_back(kSignatureHeader, "sha256=" + hmac_sha256_hex(secret_, post.body));
  }
  return post;
}

}  // namespace vitals::notify
