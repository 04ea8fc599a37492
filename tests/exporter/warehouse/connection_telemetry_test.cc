#include "warehouse/connection_telemetry.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "metrics/catalog_collector.h"
#include "store/audience_store.h"
#include "store/entity_store.h"
#include "support/store_and_rollups.h"

namespace vitals {
namespace {

const TimeMs kTelemetryStart = *parse_rfc3339("2026-06-01T12:00:00Z");
const std::string kTenant = "tenant-id";
const std::string kConnection = "wh-main";

// The real store and rollups in a temporary directory; time moves only when the test says.
class ConnectionTelemetryTest : public ::testing::Test {
 protected:
  ConnectionTelemetryTest()
      : clock_(kTelemetryStart),
        data_({35 * kMsPerDay, 8 * kMsPerDay}, kTelemetryStart - kMsPerDay),
        telemetry_(data_.rollups(), data_.store(), WarehouseThresholds{}, 35 * kMsPerDay) {}

  // One delivery `ago` before the clock's now (by default just before it: windows end at now,
  // exclusive).
  void deliver(EventStatus status, ItemCounts counts = {{"evaluations", 10}, {"custom_events", 1}},
               TimeMs ago = 1, std::string message = "") {
    Event e;
    e.tenant_id = kTenant;
    e.type = "warehouse_delivery";
    e.key = kConnection;
    e.mode = "default";
    e.status = status;
    e.time = clock_.now_ms() - ago;
    e.counts = std::move(counts);
    if (is_failure(status)) {
      e.error_category = "timeout";
      e.error_message = std::move(message);
    }
    data_.append({e});
  }

  ConnectionTelemetry now() const {
    return telemetry_.compute(kTenant, kConnection, clock_.now_ms());
  }

  ManualClock clock_;
  testing::StoreAndRollups data_;
  WarehouseTelemetry telemetry_;
};

TEST_F(ConnectionTelemetryTest, ANeverDeliveringConnectionIsIdleWithNoData) {
  const auto t = now();
  EXPECT_EQ(t.status, ConnectionState::kIdle);
  EXPECT_EQ(t.last_delivery, kNoTime);
  EXPECT_TRUE(t.delivered_24h.empty());
  EXPECT_EQ(t.failed_24h, 0u);
  EXPECT_TRUE(t.recent_errors.empty());
  EXPECT_FALSE(t.dlq_depth.has_value());
}

TEST_F(ConnectionTelemetryTest, HealthyDeliveriesAreActiveAndSummed) {
  deliver(EventStatus::kSuccess, {{"evaluations", 100}, {"custom_events", 5}}, 2 * kMsPerDay);
  deliver(EventStatus::kSuccess, {{"evaluations", 40}, {"custom_events", 2}, {"dlq_depth", 0}},
          kMsPerHour);
  clock_.advance(kMsPerMinute);
  const auto t = now();
  EXPECT_EQ(t.status, ConnectionState::kActive);
  EXPECT_EQ(t.delivered_24h, (ItemCounts{{"custom_events", 2}, {"evaluations", 40}}));
  EXPECT_EQ(t.delivered_7d, (ItemCounts{{"custom_events", 7}, {"evaluations", 140}}));
  EXPECT_EQ(t.last_delivery, kTelemetryStart - kMsPerHour);
  EXPECT_EQ(t.dlq_depth, 0);
}

TEST_F(ConnectionTelemetryTest, OneFailureIsDegradedThreeInARowIsErrorAndRecoveryDegrades) {
  deliver(EventStatus::kSuccess);
  clock_.advance(kMsPerMinute);
  deliver(EventStatus::kVendorError, {}, 1, "warehouse refused the batch");
  EXPECT_EQ(now().status, ConnectionState::kDegraded);
  EXPECT_EQ(now().failed_24h, 1u);

  clock_.advance(kMsPerMinute);
  deliver(EventStatus::kException);
  clock_.advance(kMsPerMinute);
  deliver(EventStatus::kException, {}, 1, "");
  const auto failing = now();
  EXPECT_EQ(failing.status, ConnectionState::kError);
  ASSERT_EQ(failing.recent_errors.size(), 3u);
  EXPECT_EQ(failing.recent_errors[0].message, "timeout");  // no message: the category
  EXPECT_EQ(failing.recent_errors[2].message, "warehouse refused the batch");
  EXPECT_GT(failing.recent_errors[0].at, failing.recent_errors[2].at);

  clock_.advance(kMsPerMinute);
  deliver(EventStatus::kSuccess);
  EXPECT_EQ(now().status, ConnectionState::kDegraded) << "failures in the last 24 h remain";

  clock_.advance(25 * kMsPerHour);
  deliver(EventStatus::kSuccess);
  EXPECT_EQ(now().status, ConnectionState::kActive);
}

TEST_F(ConnectionTelemetryTest, AGrowingDeadLetterQueueIsError) {
  deliver(EventStatus::kSuccess, {{"evaluations", 1}, {"dlq_depth", 2}}, 3 * kMsPerHour);
  deliver(EventStatus::kSuccess, {{"evaluations", 1}, {"dlq_depth", 5}}, 2 * kMsPerHour);
  deliver(EventStatus::kSuccess, {{"evaluations", 1}}, 90 * kMsPerMinute);  // no report
  deliver(EventStatus::kSuccess, {{"evaluations", 1}, {"dlq_depth", 9}}, kMsPerHour);
  const auto t = now();
  EXPECT_EQ(t.status, ConnectionState::kError);
  EXPECT_EQ(t.dlq_depth, 9);
  // The depth is a gauge reading, never a delivered item.
  EXPECT_EQ(t.delivered_24h, (ItemCounts{{"evaluations", 4}}));

  deliver(EventStatus::kSuccess, {{"evaluations", 1}, {"dlq_depth", 9}});
  EXPECT_EQ(now().status, ConnectionState::kActive) << "a flat depth is not growth";
}

TEST_F(ConnectionTelemetryTest, DeadLetterReportsOlderThanTheWindowDoNotCount) {
  deliver(EventStatus::kSuccess, {{"dlq_depth", 1}}, 30 * kMsPerHour);
  deliver(EventStatus::kSuccess, {{"dlq_depth", 2}}, 2 * kMsPerHour);
  deliver(EventStatus::kSuccess, {{"dlq_depth", 3}}, kMsPerHour);
  EXPECT_EQ(now().status, ConnectionState::kActive);
}

TEST_F(ConnectionTelemetryTest, TwentyFourHoursOfSilenceIsIdle) {
  deliver(EventStatus::kSuccess);
  clock_.advance(24 * kMsPerHour - 1);
  EXPECT_EQ(now().status, ConnectionState::kActive);
  clock_.advance(1);
  const auto t = now();
  EXPECT_EQ(t.status, ConnectionState::kIdle);
  EXPECT_EQ(t.last_delivery, kTelemetryStart - 1) << "the last delivery is still reported";
  EXPECT_EQ(t.delivered_7d, (ItemCounts{{"custom_events", 1}, {"evaluations", 10}}));
}

TEST_F(ConnectionTelemetryTest, RecentErrorsAreTheTenNewestOfTheWeek) {
  deliver(EventStatus::kException, {}, 8 * kMsPerDay, "too old");
  for (int i = 0; i < 12; ++i)
    deliver(EventStatus::kException, {}, (12 - i) * kMsPerHour, "e" + std::to_string(i));
  const auto t = now();
  ASSERT_EQ(t.recent_errors.size(), 10u);
  EXPECT_EQ(t.recent_errors.front().message, "e11");
  EXPECT_EQ(t.recent_errors.back().message, "e2");
}

TEST_F(ConnectionTelemetryTest, TheStatusGaugeTurnsIdleWithoutNewInput) {
  EntityStore entities(data_.db_path());
  entities.put({kTenant, "warehouse_connection", kConnection, "Main", "configured", "{}", 0, 0},
               clock_.now_ms());
  TenantDirectory tenants({TenantConfig{"acme", "Acme", kTenant}});
  AudienceStore audiences(data_.db_path());
  CatalogCollector collector(entities, audiences, telemetry_, tenants, clock_, 0);
  deliver(EventStatus::kSuccess);
  auto state_of = [&](const char* state) {
    for (const auto& family : collector.Collect()) {
      if (family.name != "vitals_warehouse_connection_status") continue;
      for (const auto& m : family.metric) {
        for (const auto& l : m.label) {
          if (l.name == "state" && l.value == state) return m.gauge.value;
        }
      }
    }
    return -1.0;
  };
  EXPECT_EQ(state_of("active"), 1);
  EXPECT_EQ(state_of("idle"), 0);
  clock_.advance(25 * kMsPerHour);
  EXPECT_EQ(state_of("active"), 0);
  EXPECT_EQ(state_of("idle"), 1);
}

}  // namespace
}  // namespace vitals
