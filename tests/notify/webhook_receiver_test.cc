#include "notify/webhook_receiver.h"

#include <gtest/gtest.h>

#include "core/crypto.h"
#include "notify_test_support.h"

namespace vitals::notify {
namespace {

Notification to_webhook(const evaluator::Announcement& a) {
  return {1, "ops", evaluator::instance_key(a), a, "http://vitals/x", 0, 0};
}

std::string header(const HttpPost& post, std::string_view name) {
  for (const auto& [n, v] : post.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(WebhookReceiver, SignsTheExactBodyWithTheSecret) {
  const WebhookReceiver hook("ops", "https://hooks.example/v", "s3cret", {}, 5'000);
  const auto post = hook.request({to_webhook(announcement("s1", true, 0))}, 0);
  EXPECT_EQ(post.url, "https://hooks.example/v");
  EXPECT_EQ(header(post, kSignatureHeader), "sha256=" + hmac_sha256_hex("s3cret", post.body));
  EXPECT_EQ(header(post, kDeliveryHeader).size(), 64u);
}

TEST(WebhookReceiver, WithoutASecretThereIsNoSignature) {
  const WebhookReceiver hook("ops", "https://hooks.example/v", "", {}, 5'000);
  EXPECT_EQ(header(hook.request({to_webhook(announcement("s1", true, 0))}, 0), kSignatureHeader),
            "");
}

TEST(WebhookReceiver, TheBodyCarriesTheAlertAndItsState) {
  const WebhookReceiver hook("ops", "https://hooks.example/v", "", {}, 5'000);
  const auto firing = hook.body_json(to_webhook(announcement("s1", true, 0)));
  EXPECT_EQ(firing["version"], 1);
  EXPECT_EQ(firing["status"], "firing");
  EXPECT_EQ(firing["alert"]["rule"], "R");
  EXPECT_EQ(firing["alert"]["tenant"], "acme");
  EXPECT_EQ(firing["alert"]["severity"], "error");
  EXPECT_EQ(firing["alert"]["title"], "Sync s1 failed");
  EXPECT_EQ(firing["alert"]["labels"]["integration_key"], "s1");
  EXPECT_EQ(firing["alert"]["generator_url"], "http://vitals/x");
  EXPECT_TRUE(firing["alert"]["ends_at"].is_null());
  const auto resolved = hook.body_json(to_webhook(announcement("s1", false, 9'000)));
  EXPECT_EQ(resolved["status"], "resolved");
  EXPECT_EQ(resolved["alert"]["ends_at"], "1970-01-01T00:00:09.000Z");
  EXPECT_NE(resolved["delivery"], firing["delivery"]);
}

TEST(WebhookReceiver, TheDeliveryIdIsPerWebhookAndStateChange) {
  const WebhookReceiver ops("ops", "https://a.example/v", "", {}, 5'000);
  const WebhookReceiver pager("pager", "https://b.example/v", "", {}, 5'000);
  const auto firing = to_webhook(announcement("s1", true, 0));
  EXPECT_EQ(ops.delivery_id(firing), ops.delivery_id(firing));
  EXPECT_NE(ops.delivery_id(firing), pager.delivery_id(firing));
  EXPECT_NE(ops.delivery_id(firing), ops.delivery_id(to_webhook(announcement("s1", false, 9))));
}

}  // namespace
}  // namespace vitals::notify
