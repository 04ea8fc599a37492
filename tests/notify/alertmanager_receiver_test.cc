#include "notify/alertmanager_receiver.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "notify_test_support.h"

namespace vitals::notify {
namespace {

Notification to_alertmanager(const evaluator::Announcement& a) {
  return {1, "am", evaluator::instance_key(a), a, "http://vitals:9470/api/v1/system-health/x",
          0, 0};
}

const AlertmanagerReceiver kReceiver("http://am:9093/", {}, 5'000, 60'000);

TEST(AlertmanagerReceiver, PostsToTheV2AlertsPath) {
  const auto post = kReceiver.request({to_alertmanager(announcement("s1", true, 0))}, 10'000);
  EXPECT_EQ(post.url, "http://am:9093/api/v2/alerts");
  EXPECT_EQ(post.timeout, 5'000);
  EXPECT_EQ(kReceiver.name(), "http://am:9093/");
}

TEST(AlertmanagerReceiver, AFiringAlertCarriesLabelsAnnotationsAndAnEndFourResendsAhead) {
  const auto alert = kReceiver.alert_json(to_alertmanager(announcement("s1", true, 0)), 10'000);
  EXPECT_EQ(alert["labels"]["alertname"], "R");
  EXPECT_EQ(alert["labels"]["tenant"], "acme");
  EXPECT_EQ(alert["labels"]["integration_key"], "s1");
  EXPECT_EQ(alert["annotations"]["summary"], "Sync s1 failed");
  EXPECT_EQ(alert["annotations"]["description"], "details");
  EXPECT_EQ(alert["annotations"]["link"], "/x");
  EXPECT_EQ(alert["annotations"]["runbook_url"], "https://runbooks.example/r");
  EXPECT_EQ(alert["startsAt"], format_rfc3339_ms(2'000));
  EXPECT_EQ(alert["endsAt"], format_rfc3339_ms(10'000 + 4 * 60'000));
  EXPECT_EQ(alert["generatorURL"], "http://vitals:9470/api/v1/system-health/x");
}

TEST(AlertmanagerReceiver, AResolutionEndsAtItsTimeWithTheFiringSummary) {
  const auto alert =
      kReceiver.alert_json(to_alertmanager(announcement("s1", false, 7'000)), 10'000);
  EXPECT_EQ(alert["startsAt"], format_rfc3339_ms(2'000));
  EXPECT_EQ(alert["endsAt"], format_rfc3339_ms(7'000));
  EXPECT_EQ(alert["annotations"]["summary"], "Sync s1 failed");
  EXPECT_EQ(alert["labels"]["severity"], "error") << "labels identify the alert: unchanged";
}

TEST(AlertmanagerReceiver, ABatchIsOneArray) {
  const auto post = kReceiver.request(
      {to_alertmanager(announcement("s1", true, 0)), to_alertmanager(announcement("s2", true, 0))},
      10'000);
  const auto body = nlohmann::json::parse(post.body);
  ASSERT_TRUE(body.is_array());
  ASSERT_EQ(body.size(), 2u);
  EXPECT_EQ(body[1]["labels"]["integration_key"], "s2");
}

}  // namespace
}  // namespace vitals::notify
