// Alerts reaching on-call people: a real Alertmanager (an HA pair of them) receives what the
// shipped rules fire and resolve; webhooks are signed, retried with backoff and not retried when
// refused; and notifications that could not be delivered survive a restart of vitals and arrive,
// once each and in order, when the receiver comes back.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "core/crypto.h"
#include "core/time_format.h"
#include "support/alertmanager_server.h"
#include "support/ports.h"
#include "support/recording_receiver.h"
#include "support/wait.h"
#include "sync_runs.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kSecret = "webhook-test-secret";

// The shipped rules, evaluated every second, and `notifications` as the [notifications] tables.
std::string config_with(const std::string& notifications) {
  return "[rules]\nfiles = [\"" + std::string(VITALS_SOURCE_DIR) +
         "/rules/*.toml\"]\ninterval = \"1s\"\n\n" + notifications;
}

std::string webhook_config(const std::string& url) {
  return "[notifications]\nretry_initial = \"200ms\"\nretry_max = \"1s\"\n\n"
         "[[notifications.webhooks]]\nname = \"ops\"\nurl = \"" +
         url + "\"\nsecret = \"" + kSecret + "\"\ntimeout = \"2s\"\nseverities = [\"error\"]\n";
}

class Notifications : public ::testing::Test {
 protected:
  explicit Notifications(const std::string& notifications)
      : vitals_("", config_with(notifications)) {}

  // SyncFailing watches the syncs of the catalog.
  void SetUp() override {
    vitals_.start();
    for (const std::string sync : {"s1", "s2"}) {
      auto r = client_.put(
          vitals_.url("/api/v1/tenants/acme/entities/sync/" + sync),
          R"({"name":"A sync","status":"active"})",
          {{"Authorization", "Bearer dev-editor-token"}, {"Content-Type", "application/json"}});
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }

  std::string metrics() { return client_.get(vitals_.url("/metrics")).body; }

  // Ingests one run of sync `key` and waits until the feed has `count` alerts of SyncFailing in
  // `state` for it, so each state change is announced before the next one is made.
  void run_and_wait(const std::string& key, const std::string& status, TimeMs at,
                    const std::string& state, size_t count) {
    ASSERT_EQ(vitals_.ingest(sync_run(status, at, key)).status, 200);
    ASSERT_TRUE(wait_until([&] { return feed_count(key, state) == count; }, seconds(15)))
        << key << " " << state << "\n"
        << vitals_.get("/api/v1/system-health?source=flow&limit=200", "dev-viewer-token").body;
  }

  size_t feed_count(const std::string& key, const std::string& state) {
    auto r = vitals_.get("/api/v1/system-health?source=flow&limit=200", "dev-viewer-token");
    if (r.status != 200) return 0;
    size_t n = 0;
    const nlohmann::json page = r.json();
    for (const auto& a : page["data"]) {
      n += a["metadata"]["rule"] == "SyncFailing" && a["metadata"]["state"] == state &&
           a["metadata"]["labels"]["integration_key"] == key;
    }
    return n;
  }

  VitalsProcess vitals_;
  HttpClient client_;
  const TimeMs now_ = wall_now();
};

// ---- Alertmanager ----

// Members that the Notifications base's configuration names must exist before it: a base listed
// first is constructed first.
struct WithAlertmanagers {
  AlertmanagerServer first;
  AlertmanagerServer second;
  std::string urls() const {
    return "[\"" + first.base_url() + "\", \"" + second.base_url() + "/\"]";
  }
};

class AlertmanagerNotifications : protected WithAlertmanagers, public Notifications {
 protected:
  // resend_interval is long so that an alert leaving Alertmanager within the test can only be
  // the resolution vitals sent, never Alertmanager timing it out.
  AlertmanagerNotifications()
      : Notifications("[notifications.alertmanager]\nurls = " + urls() +
                      "\nresend_interval = \"1m\"\n") {}

  static std::optional<nlohmann::json> sync_failing(AlertmanagerServer& am) {
    const nlohmann::json alerts = am.alerts();
    for (const auto& alert : alerts) {
      if (alert["labels"].value("alertname", "") == "SyncFailing") return alert;
    }
    return std::nullopt;
  }
};

TEST_F(AlertmanagerNotifications, ABreachReachesBothAlertmanagersAndRecoveryResolvesIt) {
  run_and_wait("s1", "exception", now_ - 60'000, "firing", 1);
  for (AlertmanagerServer* am : {&first, &second}) {
    ASSERT_TRUE(wait_until([&] { return sync_failing(*am).has_value(); }, seconds(15)))
        << am->alerts().dump(2) << vitals_.log();
    const nlohmann::json alert = *sync_failing(*am);
    const auto& labels = alert["labels"];
    EXPECT_EQ(labels["tenant"], "acme");
    EXPECT_EQ(labels["severity"], "error");
    EXPECT_EQ(labels["source"], "flow");
    EXPECT_EQ(labels["integration_key"], "s1");
    EXPECT_EQ(alert["annotations"]["summary"], "Sync s1 failed its latest run");
    EXPECT_FALSE(alert["annotations"].value("description", "").empty());
    EXPECT_EQ(alert["status"]["state"], "active");
    const auto ends = parse_rfc3339(alert["endsAt"].get<std::string>());
    ASSERT_TRUE(ends);
    EXPECT_GT(*ends, wall_now() + 2 * kMsPerMinute) << "endsAt is resend intervals ahead";
    const std::string generator = alert["generatorURL"];
    ASSERT_EQ(generator.rfind(vitals_.url("/api/v1/system-health/"), 0), 0u) << generator;
    auto linked = client_.get(generator, {{"Authorization", "Bearer dev-viewer-token"}});
    ASSERT_EQ(linked.status, 200) << linked.body;
    EXPECT_EQ(linked.json()["title"], "Sync s1 failed its latest run");
  }
  EXPECT_EQ(sample(metrics(),
                   "vitals_notifications_sent_total{notifier=\"alertmanager\","
                   "receiver=\"" +
                       first.base_url() + "\"}"),
            1);

  run_and_wait("s1", "success", now_ - 30'000, "resolved", 1);
  for (AlertmanagerServer* am : {&first, &second}) {
    EXPECT_TRUE(wait_until([&] { return !sync_failing(*am).has_value(); }, seconds(15)))
        << "resolved alerts leave Alertmanager's list of active ones\n"
        << am->alerts().dump(2);
  }
}

// ---- Webhooks ----

class WebhookNotifications : protected WithReceiver, public Notifications {
 protected:
  WebhookNotifications() : Notifications(webhook_config(receiver_.url())) {}

  std::vector<ReceivedRequest> requests_with(const std::string& status) {
    std::vector<ReceivedRequest> out;
    for (const auto& r : receiver_.requests()) {
      if (r.json()["status"] == status) out.push_back(r);
    }
    return out;
  }
};

TEST_F(WebhookNotifications, SignedRetriedWithBackoffOn500sAndARefusalIsNotRetried) {
  receiver_.script({500, 500, 200});
  run_and_wait("s1", "exception", now_ - 60'000, "firing", 1);
  ASSERT_TRUE(wait_until([&] { return requests_with("firing").size() == 3; }, seconds(15)))
      << receiver_.requests().size() << "\n"
      << vitals_.log();
  const auto attempts = requests_with("firing");
  for (const auto& a : attempts) {
    EXPECT_EQ(a.method, "POST");
    EXPECT_EQ(a.path, "/hook");
    EXPECT_EQ(a.body, attempts[0].body) << "a retry sends the same notification";
    EXPECT_EQ(a.headers.at("x-vitals-signature"), "sha256=" + hmac_sha256_hex(kSecret, a.body));
    EXPECT_EQ(a.headers.at("x-vitals-delivery"), attempts[0].headers.at("x-vitals-delivery"));
  }
  const auto body = attempts[0].json();
  EXPECT_EQ(body["alert"]["rule"], "SyncFailing");
  EXPECT_EQ(body["alert"]["tenant"], "acme");
  EXPECT_EQ(body["alert"]["labels"]["integration_key"], "s1");
  EXPECT_TRUE(body["alert"]["ends_at"].is_null());
  // Backoff: retry_initial 200ms, doubling, each wait at least half its step.
  EXPECT_GE(attempts[1].at - attempts[0].at, std::chrono::milliseconds(100));
  EXPECT_GE(attempts[2].at - attempts[1].at, std::chrono::milliseconds(200));
  // The receiver records the third request before vitals has read its 200 and counted it.
  EXPECT_TRUE(wait_until(
      [&] {
        return sample(metrics(),
                      "vitals_notifications_sent_total{notifier=\"webhook\",receiver=\"ops\"}") ==
               1;
      },
      seconds(5)));
  const std::string m = metrics();
  EXPECT_EQ(sample(m,
                   "vitals_notifications_failed_total{notifier=\"webhook\",reason=\"retrying\","
                   "receiver=\"ops\"}"),
            2)
      << m;
  EXPECT_EQ(sample(m, "vitals_notifications_sent_total{notifier=\"webhook\",receiver=\"ops\"}"), 1);

  receiver_.script({400});
  run_and_wait("s1", "success", now_ - 30'000, "resolved", 1);
  ASSERT_TRUE(wait_until([&] { return requests_with("resolved").size() == 1; }, seconds(15)));
  // Dropped, not waiting for another try: the queue is empty and the refusal is counted.
  EXPECT_TRUE(wait_until(
      [&] {
        return sample(metrics(),
                      "vitals_notifications_failed_total{notifier=\"webhook\","
                      "reason=\"rejected\",receiver=\"ops\"}") == 1;
      },
      seconds(5)))
      << metrics();
  EXPECT_EQ(sample(metrics(), "vitals_notification_queue_length{receiver=\"ops\"}"), 0);
  EXPECT_NE(vitals_.log().find("refused 1 notification(s) for good"), std::string::npos)
      << vitals_.log();
}

// The receiver is down while an alert fires, resolves and fires again and a second one fires;
// vitals restarts in between; then the receiver comes up.
struct WithReceiverDown {
  RecordingReceiver receiver_{free_loopback_port()};
};

class ReceiverDown : protected WithReceiverDown, public Notifications {
 protected:
  ReceiverDown() : Notifications(webhook_config(receiver_.url())) {}
};

TEST_F(ReceiverDown, EveryNotificationArrivesOnceInOrderAfterARestart) {
  run_and_wait("s1", "exception", now_ - 60'000, "firing", 1);
  run_and_wait("s1", "success", now_ - 50'000, "resolved", 1);
  run_and_wait("s1", "exception", now_ - 40'000, "firing", 2);
  run_and_wait("s2", "exception", now_ - 40'000, "firing", 1);
  ASSERT_TRUE(wait_until(
      [&] { return sample(metrics(), "vitals_notification_queue_length{receiver=\"ops\"}") == 4; },
      seconds(10)))
      << metrics();

  ASSERT_EQ(vitals_.stop(), 0);
  vitals_.start();
  receiver_.start();
  ASSERT_TRUE(wait_until([&] { return receiver_.requests().size() >= 4; }, seconds(20)))
      << vitals_.log();
  ASSERT_TRUE(wait_until(
      [&] { return sample(metrics(), "vitals_notification_queue_length{receiver=\"ops\"}") == 0; },
      seconds(10)));

  std::map<std::string, std::vector<std::string>> by_sync;
  std::set<std::string> deliveries;
  for (const auto& r : receiver_.requests()) {
    const auto body = r.json();
    by_sync[body["alert"]["labels"]["integration_key"]].push_back(body["status"]);
    EXPECT_TRUE(deliveries.insert(r.headers.at("x-vitals-delivery")).second)
        << "delivered twice: " << r.body;
  }
  EXPECT_EQ(by_sync["s1"], (std::vector<std::string>{"firing", "resolved", "firing"}));
  EXPECT_EQ(by_sync["s2"], (std::vector<std::string>{"firing"}));
  EXPECT_EQ(receiver_.requests().size(), 4u);
}

}  // namespace
}  // namespace vitals::testing
