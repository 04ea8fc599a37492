#include "api/integration_health_api.h"

#include <gtest/gtest.h>

#include <random>

#include "core/time_format.h"
#include "support/events_in_memory.h"

namespace vitals {
namespace {

const TimeMs kHealthNow = *parse_rfc3339("2026-02-17T10:00:00.500Z");

class IntegrationHealthTest : public ::testing::Test {
 protected:
  IntegrationHealthTest()
      : rollups_(
            {35 * kMsPerDay, 8 * kMsPerDay},
            [this](const RawScan& scan, const std::function<void(const Event&)>& visit) {
              for (const auto& s : stored_) {
                if (s.seq <= scan.max_seq && s.event.tenant_id == scan.tenant_id &&
                    s.event.time >= scan.from && s.event.time < scan.to) {
                  visit(s.event);
                }
              }
            },
            kHealthNow) {}

  void add(std::string tenant, std::string type, EventStatus status, TimeMs time) {
    Event e;
    e.tenant_id = std::move(tenant);
    e.type = type;
    e.key = type;
    e.mode = "default";
    e.status = status;
    e.time = time;
    if (is_failure(status)) e.error_category = "unknown";
    stored_.push_back({static_cast<std::int64_t>(stored_.size() + 1), e});
    rollups_.apply({stored_.back()});
  }

  Tenant tenant_{"acme", "7efecc64-b5ed-5dbf-b379-90a0ffcfe6df", "Acme"};
  std::vector<StoredEvent> stored_;
  RollupEngine rollups_;
};

TEST_F(IntegrationHealthTest, NoEventsGivesZerosAndNulls) {
  const auto body = integration_health(rollups_, tenant_, 30, kHealthNow);
  EXPECT_EQ(body["space_id"], tenant_.id);
  EXPECT_EQ(body["period_days"], 30);
  EXPECT_EQ(body["total_events"], 0);
  EXPECT_TRUE(body["success_rate"].is_null());
  EXPECT_TRUE(body["last_success_at"].is_null());
  EXPECT_TRUE(body["last_error_at"].is_null());
  EXPECT_TRUE(body["by_integration_type"].is_array());
  EXPECT_TRUE(body["by_integration_type"].empty());
}

TEST_F(IntegrationHealthTest, CountsRatesOrderingAndWindowEdges) {
  const std::string id = tenant_.id;
  add(id, "metadata_sync", EventStatus::kSuccess, kHealthNow - 1000);
  add(id, "metadata_sync", EventStatus::kSuccess, kHealthNow - 2 * kMsPerDay);
  add(id, "metadata_sync", EventStatus::kException, kHealthNow - 3 * kMsPerDay);
  add(id, "quality_check", EventStatus::kVendorError, kHealthNow - 5 * kMsPerHour);
  add(id, "quality_check", EventStatus::kSuccess, kHealthNow - 6 * kMsPerHour);
  add(id, "quality_check", EventStatus::kSuccess, kHealthNow - 7 * kMsPerHour);
  add(id, "alert", EventStatus::kSuccess, kHealthNow - 30 * kMsPerDay);  // first instant: inside
  add(id, "profiling", EventStatus::kSuccess, kHealthNow - 30 * kMsPerDay - 1);  // just outside
  add(id, "webhook", EventStatus::kSuccess, kHealthNow);  // "now" is excluded
  add("someone-else", "webhook", EventStatus::kSuccess, kHealthNow - 1000);

  const auto body = integration_health(rollups_, tenant_, 30, kHealthNow);
  EXPECT_EQ(body["total_events"], 7);
  EXPECT_EQ(body["success_count"], 5);
  EXPECT_EQ(body["error_count"], 2);
  EXPECT_EQ(body["success_rate"], 71.43);
  EXPECT_EQ(body["last_success_at"], format_rfc3339(kHealthNow - 1000));
  EXPECT_EQ(body["last_error_at"], format_rfc3339(kHealthNow - 5 * kMsPerHour));
  const auto& rows = body["by_integration_type"];
  ASSERT_EQ(rows.size(), 3u);
  // Equal totals are ordered by type name.
  EXPECT_EQ(rows[0]["integration_type"], "metadata_sync");
  EXPECT_EQ(rows[1]["integration_type"], "quality_check");
  EXPECT_EQ(rows[2]["integration_type"], "alert");
  EXPECT_EQ(rows[1]["total"], 3);
  EXPECT_EQ(rows[1]["success"], 2);
  EXPECT_EQ(rows[1]["errors"], 1);
  EXPECT_EQ(rows[1]["last_event_at"], format_rfc3339(kHealthNow - 5 * kMsPerHour));
  EXPECT_EQ(rows[2]["last_event_at"], format_rfc3339(kHealthNow - 30 * kMsPerDay));
}

TEST_F(IntegrationHealthTest, MatchesBruteForceOverRandomEvents) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<TimeMs> when(kHealthNow - 40 * kMsPerDay,
                                             kHealthNow + 4 * kMsPerMinute);
  const char* types[] = {"metadata_sync", "quality_check", "profiling", "webhook", "alert"};
  for (int i = 0; i < 3000; ++i) {
    const TimeMs t = when(rng);
    if (t < kHealthNow - 35 * kMsPerDay) continue;  // older than retention: never accepted
    add(tenant_.id, types[rng() % 5], static_cast<EventStatus>(rng() % 3), t);
  }
  for (int days : {1, 7, 30}) {
    const auto body = integration_health(rollups_, tenant_, days, kHealthNow);
    std::map<std::string, std::pair<int, int>> want;  // type -> (total, success)
    int total = 0, success = 0;
    for (const auto& s : stored_) {
      if (s.event.time < kHealthNow - days * kMsPerDay || s.event.time >= kHealthNow) continue;
      ++total;
      ++want[s.event.type].first;
      if (s.event.status == EventStatus::kSuccess) {
        ++success;
        ++want[s.event.type].second;
      }
    }
    SCOPED_TRACE(days);
    EXPECT_EQ(body["total_events"], total);
    EXPECT_EQ(body["success_count"], success);
    EXPECT_EQ(body["success_rate"], std::round(success * 10000.0 / total) / 100.0);
    for (const auto& row : body["by_integration_type"]) {
      const auto& w = want[row["integration_type"].get<std::string>()];
      EXPECT_EQ(row["total"], w.first);
      EXPECT_EQ(row["success"], w.second);
    }
    EXPECT_EQ(body["by_integration_type"].size(), want.size());
  }
}

}  // namespace
}  // namespace vitals
