#include "feed/alert_feed.h"

#include <gtest/gtest.h>

#include "support/temp_database.h"

namespace vitals {
namespace {

constexpr const char* kAcmeId = "7efecc64-b5ed-5dbf-b379-90a0ffcfe6df";

class AlertFeedTest : public ::testing::Test {
 protected:
  AlertFeedTest()
      : db_("vitals-alert-feed"),
        store_(db_.path()),
        tenants_({TenantConfig{"acme", "Acme Inc.", kAcmeId}}),
        feed_(store_, tenants_, registry_) {}

  static FeedAlert alert(std::string tenant_id, std::string source) {
    FeedAlert a;
    a.tenant_id = std::move(tenant_id);
    a.severity = "error";
    a.source = std::move(source);
    a.title = "Sync failing";
    a.message = "The last three runs failed.";
    a.created_at = 1'783'080'000'000;
    return a;
  }

  // The counter's value for these labels, or -1 when there is no such series.
  double counted(const std::string& tenant, const std::string& severity,
                 const std::string& source) {
    for (const auto& family : registry_.Collect()) {
      if (family.name != "vitals_system_health_alerts_total") continue;
      for (const auto& metric : family.metric) {
        std::map<std::string, std::string> labels;
        for (const auto& pair : metric.label) labels[pair.name] = pair.value;
        if (labels == std::map<std::string, std::string>{
                          {"tenant", tenant}, {"severity", severity}, {"source", source}}) {
          return metric.counter.value;
        }
      }
    }
    return -1;
  }

  static FeedQuery fan_out_of_acme() {
    FeedQuery query;
    query.tenant_id = kAcmeId;
    return query;
  }

  testing::TempDatabase db_;
  FeedStore store_;
  TenantDirectory tenants_;
  prometheus::Registry registry_;
  AlertFeed feed_;
};

TEST_F(AlertFeedTest, CountsNewAlertsByTenantSlugSeverityAndSource) {
  EXPECT_TRUE(feed_.publish(alert(kAcmeId, "data")).created);
  EXPECT_TRUE(feed_.publish(alert(kAcmeId, "data")).created);
  EXPECT_EQ(counted("acme", "error", "data"), 2);
  EXPECT_TRUE(store_.page(fan_out_of_acme()).rows.size() == 2) << "and stores them";
}

TEST_F(AlertFeedTest, ADeduplicatedPublishIsNotCounted) {
  feed_.publish(alert(kAcmeId, "model"), "rule-1");
  EXPECT_FALSE(feed_.publish(alert(kAcmeId, "model"), "rule-1").created);
  EXPECT_EQ(counted("acme", "error", "model"), 1);
}

TEST_F(AlertFeedTest, OtherSourcesAreCountedAsGivenUpToTheBoundThenAsOther) {
  feed_.publish(alert(kAcmeId, "billing-sync"));
  feed_.publish(alert(kAcmeId, "billing-sync"));
  feed_.publish(alert(kAcmeId, "Data"));
  EXPECT_EQ(counted("acme", "error", "billing-sync"), 2);
  EXPECT_EQ(counted("acme", "error", "Data"), 1);
  EXPECT_EQ(store_.page(fan_out_of_acme()).rows.front().alert.source, "Data");
  for (size_t i = 2; i < AlertFeed::kMaxOtherSourcesPerTenant; ++i) {
    feed_.publish(alert(kAcmeId, "source-" + std::to_string(i)));
  }
  EXPECT_EQ(counted("acme", "error", "source-31"), 1);
  EXPECT_EQ(counted("acme", "error", "other"), -1);
  feed_.publish(alert(kAcmeId, "one-too-many"));
  EXPECT_EQ(counted("acme", "error", "one-too-many"), -1);
  EXPECT_EQ(counted("acme", "error", "other"), 1);
  feed_.publish(alert(kAcmeId, "billing-sync"));
  EXPECT_EQ(counted("acme", "error", "billing-sync"), 3) << "a known one keeps its label";
  feed_.publish(alert(kAcmeId, "flow"));
  EXPECT_EQ(counted("acme", "error", "flow"), 1) << "canonical sources take no place";
  EXPECT_EQ(store_.page(fan_out_of_acme()).rows.front().alert.source, "flow");
}

TEST_F(AlertFeedTest, AnUndeclaredTenantIsLabelledWithItsId) {
  feed_.publish(alert("removed-tenant-id", "flow"));
  EXPECT_EQ(counted("removed-tenant-id", "error", "flow"), 1);
}

}  // namespace
}  // namespace vitals
