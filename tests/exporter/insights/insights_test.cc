// The Insights views against hand-computed expectations, over the real stores and rollups,
// with time set explicitly.

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "insights/activation_coverage.h"
#include "insights/audience_overlap.h"
#include "insights/audience_trends.h"
#include "insights/sync_health.h"
#include "insights/workspace_summary.h"
#include "support/store_and_rollups.h"

namespace vitals {
namespace {

using Json = nlohmann::ordered_json;

const std::string kTenant = "ws";
const TimeMs kInsightsNow = *parse_rfc3339("2026-03-10T00:30:00Z");  // half an hour after midnight

class InsightsTest : public ::testing::Test {
 protected:
  InsightsTest()
      : data_({35 * kMsPerDay, 8 * kMsPerDay}, kInsightsNow - 10 * kMsPerDay),
        entities_(data_.db_path()),
        audiences_(data_.db_path()),
        members_(data_.db_path()),
        sources_{entities_, data_.rollups(), audiences_, members_, 35 * kMsPerDay} {}

  void entity(const std::string& kind, const std::string& id, const std::string& status,
              const std::string& attributes = "{}", const std::string& name = "") {
    entities_.put({kTenant, kind, id, name.empty() ? id : name, status, attributes, 0, 0},
                  kInsightsNow);
  }

  void run(const std::string& type, const std::string& key, EventStatus status, TimeMs time,
           std::optional<double> latency_ms = std::nullopt, std::int64_t rows = 0) {
    Event e;
    e.tenant_id = kTenant;
    e.type = type;
    e.key = key;
    e.mode = "default";
    e.status = status;
    e.time = time;
    e.latency_ms = latency_ms;
    if (is_failure(status)) e.error_category = "unknown";
    if (rows) e.counts = {{"rows", rows}};
    data_.append({e});
  }

  testing::StoreAndRollups data_;
  EntityStore entities_;
  AudienceStore audiences_;
  MemberStore members_;
  InsightsSources sources_;
};

const Json* row_of(const Json& rows, const char* field, const std::string& id) {
  for (const auto& r : rows) {
    if (r[field] == id) return &r;
  }
  return nullptr;
}

TEST_F(InsightsTest, SyncHealthSeparatesHealthyFailingPausedAndSyncsWithoutRuns) {
  entity("sync", "healthy", "active", "{}", "Customers to Salesforce");
  entity("sync", "failing", "active");
  entity("sync", "idle", "active");
  entity("sync", "paused", "paused");
  run("sync_run", "healthy", EventStatus::kSuccess, kInsightsNow - 3 * kMsPerDay, 120000, 500);
  run("sync_run", "healthy", EventStatus::kVendorError, kInsightsNow - 2 * kMsPerDay, 60000, 999);
  run("sync_run", "healthy", EventStatus::kSuccess, kInsightsNow - kMsPerDay, 150000, 700);
  run("sync_run", "healthy", EventStatus::kSuccess, kInsightsNow - 9 * kMsPerDay, 1000,
      100000);  // outside
  run("sync_run", "failing", EventStatus::kSuccess, kInsightsNow - 2 * kMsPerDay, std::nullopt, 10);
  run("sync_run", "failing", EventStatus::kException, kInsightsNow - kMsPerHour);
  run("sync_run", "paused", EventStatus::kException, kInsightsNow - kMsPerHour);

  const Json body = sync_health(sources_, kTenant, 7, kInsightsNow);
  EXPECT_EQ(body["total_syncs"], 4);
  EXPECT_EQ(body["active_syncs"], 3);
  EXPECT_EQ(body["paused_syncs"], 1);
  EXPECT_EQ(body["failing_syncs"], 1) << "a paused sync's failure does not count";
  EXPECT_EQ(body["healthy_syncs"], 2) << "an active sync without runs is not failing";

  const Json& healthy = *row_of(body["syncs"], "sync_id", "healthy");
  EXPECT_EQ(healthy["sync_name"], "Customers to Salesforce");
  EXPECT_EQ(healthy["status"], "active");
  EXPECT_EQ(healthy["total_runs"], 3);
  EXPECT_EQ(healthy["failed_runs"], 1);
  EXPECT_EQ(healthy["success_rate"], 0.6667) << "a 0-1 fraction";
  EXPECT_EQ(healthy["last_run_status"], "completed");
  EXPECT_EQ(healthy["last_run_at"], format_rfc3339(kInsightsNow - kMsPerDay));
  EXPECT_EQ(healthy["avg_duration_seconds"], 110.0);
  EXPECT_EQ(healthy["total_rows_synced"], 1200) << "rows of successful runs only";

  const Json& failing = *row_of(body["syncs"], "sync_id", "failing");
  EXPECT_EQ(failing["last_run_status"], "failed");
  EXPECT_EQ(failing["success_rate"], 0.5);
  EXPECT_TRUE(failing["avg_duration_seconds"].is_null());

  const Json& idle = *row_of(body["syncs"], "sync_id", "idle");
  EXPECT_TRUE(idle["success_rate"].is_null());
  EXPECT_TRUE(idle["last_run_status"].is_null());
  EXPECT_TRUE(idle["last_run_at"].is_null());
  EXPECT_EQ(idle["total_runs"], 0);

  EXPECT_EQ(sync_health(sources_, kTenant, 10, kInsightsNow)["syncs"][1]["total_runs"], 4)
      << "days widens the window (rows are ordered by id: failing, healthy, idle, paused)";
}

TEST_F(InsightsTest, RowsTodayCountFromUtcMidnight) {
  entity("sync", "s1", "active");
  entity("loader", "l1", "active");
  run("sync_run", "s1", EventStatus::kSuccess, kInsightsNow - 31 * kMsPerMinute, std::nullopt,
      400);  // 23:59
  run("sync_run", "s1", EventStatus::kSuccess, kInsightsNow - 30 * kMsPerMinute, std::nullopt,
      50);  // 00:00
  run("sync_run", "s1", EventStatus::kSuccess, kInsightsNow - kMsPerMinute, std::nullopt, 7);
  run("sync_run", "s1", EventStatus::kException, kInsightsNow - kMsPerMinute, std::nullopt, 1000);
  run("loader_run", "l1", EventStatus::kSuccess, kInsightsNow - 10 * kMsPerMinute, std::nullopt,
      30);
  const Json body = workspace_summary(sources_, kTenant, kInsightsNow);
  EXPECT_EQ(body["syncs"]["rows_synced_today"], 57);
  EXPECT_EQ(body["loaders"]["rows_loaded_today"], 30);
  EXPECT_EQ(body["syncs"]["error"], 1) << "the latest run of s1 failed";
}

TEST_F(InsightsTest, SummaryCountsEntitiesByKindAndStatus) {
  entity("source", "a", "connected");
  entity("source", "b", "error");
  entity("model", "m1", "active");
  entity("model", "m2", "inactive");
  entity("destination", "d1", "connected");
  entity("sync", "s1", "active");
  entity("sync", "s2", "paused");
  entity("audience", "big", "active", R"({"estimated_size": 999})");
  entity("audience", "guess", "inactive", R"({"estimated_size": 40})");
  audiences_.add_sizes(kTenant, "big",
                       {{kInsightsNow - kMsPerDay, 100}, {kInsightsNow - kMsPerHour, 120}});
  const Json body = workspace_summary(sources_, kTenant, kInsightsNow);
  EXPECT_EQ(body["sources"], Json::parse(R"({"total":2,"connected":1,"error":1})"));
  EXPECT_EQ(body["models"], Json::parse(R"({"total":2,"active":1})"));
  EXPECT_EQ(body["destinations"], Json::parse(R"({"total":1,"connected":1,"error":0})"));
  EXPECT_EQ(body["syncs"]["total"], 2);
  EXPECT_EQ(body["syncs"]["active"], 1);
  EXPECT_EQ(body["syncs"]["paused"], 1);
  EXPECT_EQ(body["audiences"]["total"], 2);
  EXPECT_EQ(body["audiences"]["active"], 1);
  EXPECT_EQ(body["audiences"]["total_members"], 160) << "latest size, else the estimate";
}

TEST_F(InsightsTest, AudienceTrendsHaveOnePointPerObservedDayWithGaps) {
  entity("audience", "a1", "active", "{}", "High-Value Customers");
  entity("audience", "a2", "active");
  entity("audience", "empty", "active");
  const TimeMs day = kMsPerDay;
  const TimeMs today = floor_to(kInsightsNow, day);
  audiences_.add_sizes(kTenant, "a1",
                       {{today - 40 * day, 1},  // before the window
                        {today - 20 * day + kMsPerHour, 4000},
                        {today - 20 * day + 2 * kMsPerHour, 4100},  // day's last
                        {today - 5 * day, 4200},
                        {today + 1000, 4264}});
  audiences_.add_sizes(kTenant, "a2", {{today - 3 * day, 0}, {today - day, 10}});
  auto result = audience_trends(sources_, kTenant, {}, 30, kInsightsNow);
  ASSERT_TRUE(std::holds_alternative<Json>(result));
  const Json& body = std::get<Json>(result);
  ASSERT_EQ(body["audiences"].size(), 3u);
  const Json& a1 = *row_of(body["audiences"], "audience_id", "a1");
  EXPECT_EQ(a1["audience_name"], "High-Value Customers");
  EXPECT_EQ(a1["data_points"], Json::parse(R"([
    {"date": "2026-02-18", "size": 4100}, {"date": "2026-03-05", "size": 4200},
    {"date": "2026-03-10", "size": 4264}])"));
  EXPECT_EQ(a1["current_size"], 4264);
  EXPECT_EQ(a1["change_absolute"], 164);
  EXPECT_EQ(a1["change_percent"], 4.0);
  const Json& a2 = *row_of(body["audiences"], "audience_id", "a2");
  EXPECT_EQ(a2["change_absolute"], 10);
  EXPECT_TRUE(a2["change_percent"].is_null()) << "the first point is 0";
  const Json& empty = *row_of(body["audiences"], "audience_id", "empty");
  EXPECT_TRUE(empty["data_points"].empty());
  EXPECT_TRUE(empty["current_size"].is_null());

  auto narrowed = audience_trends(sources_, kTenant, {"a2"}, 2, kInsightsNow);
  ASSERT_EQ(std::get<Json>(narrowed)["audiences"].size(), 1u);
  EXPECT_EQ(std::get<Json>(narrowed)["audiences"][0]["data_points"].size(), 1u);
  auto unknown = audience_trends(sources_, kTenant, {"a1", "nope"}, 30, kInsightsNow);
  ASSERT_TRUE(std::holds_alternative<UnknownAudience>(unknown));
  EXPECT_EQ(std::get<UnknownAudience>(unknown).id, "nope");
}

TEST_F(InsightsTest, ActivationCoverageListsSentAudiencesAndUnactivatedOnes) {
  entity("destination", "gads", "connected", R"({"type":"google_ads"})", "Google Ads");
  entity("destination", "unused", "connected");
  entity("audience", "hv", "active", "{}", "High-Value");
  entity("audience", "paused-only", "active");
  entity("audience", "nobody", "active", R"({"estimated_size": 850})", "Churned");
  entity("audience", "measured", "active");
  entity("sync", "s1", "active", R"({"audience_id":"hv","destination_id":"gads"})");
  entity("sync", "s2", "paused", R"({"audience_id":"paused-only","destination_id":"gads"})");
  audiences_.add_sizes(kTenant, "measured", {{kInsightsNow - kMsPerDay, 77}});
  run("sync_run", "s1", EventStatus::kSuccess, kInsightsNow - 2 * kMsPerHour);
  run("sync_run", "s1", EventStatus::kException, kInsightsNow - kMsPerHour);

  const Json body = activation_coverage(sources_, kTenant, kInsightsNow);
  EXPECT_EQ(body["total_audiences"], 4);
  EXPECT_EQ(body["activated_audiences"], 2);
  EXPECT_EQ(body["unactivated_audiences"], 2);
  const Json& gads = *row_of(body["destinations"], "destination_id", "gads");
  EXPECT_EQ(gads["destination_name"], "Google Ads");
  EXPECT_EQ(gads["destination_type"], "google_ads");
  EXPECT_EQ(gads["audience_count"], 2);
  const Json& hv = *row_of(gads["audiences"], "audience_id", "hv");
  EXPECT_EQ(hv["audience_name"], "High-Value");
  EXPECT_EQ(hv["sync_status"], "active");
  EXPECT_EQ(hv["last_synced_at"], format_rfc3339(kInsightsNow - 2 * kMsPerHour))
      << "last *successful* run";
  EXPECT_TRUE(
      (*row_of(gads["audiences"], "audience_id", "paused-only"))["last_synced_at"].is_null());
  const Json& unused = *row_of(body["destinations"], "destination_id", "unused");
  EXPECT_EQ(unused["audience_count"], 0);
  EXPECT_EQ(unused["destination_type"], "") << "a string, as the document types it";
  EXPECT_EQ((*row_of(body["unactivated"], "audience_id", "nobody"))["estimated_size"], 850);
  EXPECT_EQ((*row_of(body["unactivated"], "audience_id", "measured"))["estimated_size"], 77);
}

TEST_F(InsightsTest, ActivationCoverageLeavesOutSyncsToAudiencesThatAreNoEntity) {
  entity("destination", "gads", "connected", R"({"type":"google_ads"})", "Google Ads");
  entity("audience", "hv", "active", "{}", "High-Value");
  entity("sync", "s1", "active", R"({"audience_id":"hv","destination_id":"gads"})");
  entity("sync", "ghost", "active", R"({"audience_id":"deleted","destination_id":"gads"})");

  const Json body = activation_coverage(sources_, kTenant, kInsightsNow);
  EXPECT_EQ(body["total_audiences"], 1);
  EXPECT_EQ(body["activated_audiences"], 1);
  const Json& gads = *row_of(body["destinations"], "destination_id", "gads");
  EXPECT_EQ(gads["audience_count"], 1);
  ASSERT_EQ(gads["audiences"].size(), 1u);
  EXPECT_EQ(gads["audiences"][0]["audience_name"], "High-Value");
}

std::vector<std::string> ids(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back("m" + std::to_string(i));
  return out;
}

TEST_F(InsightsTest, OverlapOfTwoAudiencesCountsSharedMembersAndPercentOfEach) {
  entity("audience", "a", "active", "{}", "High-Value");
  entity("audience", "b", "active", "{}", "Recent Buyers");
  members_.change(kTenant, "a", MemberStore::Change::kReplace, ids(0, 4250), kInsightsNow);
  members_.change(kTenant, "b", MemberStore::Change::kReplace, ids(1050, 9150), kInsightsNow);

  const Json body = std::get<Json>(audience_overlap(sources_, kTenant, {"a", "b"}));
  EXPECT_EQ(body["audiences"][0], Json({{"id", "a"}, {"name", "High-Value"}, {"size", 4250}}));
  EXPECT_EQ(body["audiences"][1], Json({{"id", "b"}, {"name", "Recent Buyers"}, {"size", 8100}}));
  EXPECT_EQ(body["overlap"]["size"], 3200);
  EXPECT_EQ(body["overlap"]["percent_of_first"], 75.29);   // 3200 / 4250
  EXPECT_EQ(body["overlap"]["percent_of_second"], 39.51);  // 3200 / 8100
}

TEST_F(InsightsTest, OverlapOfThreeAudiencesCountsMembersInAllOfThem) {
  for (const char* id : {"a", "b", "c"}) entity("audience", id, "active");
  members_.change(kTenant, "a", MemberStore::Change::kReplace, ids(0, 100), kInsightsNow);
  members_.change(kTenant, "b", MemberStore::Change::kReplace, ids(50, 150), kInsightsNow);
  members_.change(kTenant, "c", MemberStore::Change::kReplace, ids(90, 200), kInsightsNow);

  const Json body = std::get<Json>(audience_overlap(sources_, kTenant, {"a", "b", "c"}));
  EXPECT_EQ(body["audiences"].size(), 3u);
  EXPECT_EQ(body["overlap"]["size"], 10) << "m90..m99 are in all three";
  EXPECT_EQ(body["overlap"]["percent_of_first"], 10.0);
  EXPECT_EQ(body["overlap"]["percent_of_second"], 10.0);
}

TEST_F(InsightsTest, OverlapWithAnEmptyAudienceIsZeroAndItsPercentIsNull) {
  entity("audience", "a", "active");
  entity("audience", "never-uploaded", "active");
  members_.change(kTenant, "a", MemberStore::Change::kReplace, ids(0, 10), kInsightsNow);

  const Json body = std::get<Json>(audience_overlap(sources_, kTenant, {"a", "never-uploaded"}));
  EXPECT_EQ(body["audiences"][1]["size"], 0);
  EXPECT_EQ(body["overlap"]["size"], 0);
  EXPECT_EQ(body["overlap"]["percent_of_first"], 0.0);
  EXPECT_TRUE(body["overlap"]["percent_of_second"].is_null());
}

TEST_F(InsightsTest, OverlapNamesTheFirstUnknownAudience) {
  entity("audience", "a", "active");
  members_.change("other-tenant", "theirs", MemberStore::Change::kReplace, ids(0, 5), kInsightsNow);
  const auto result = audience_overlap(sources_, kTenant, {"a", "theirs", "nope"});
  ASSERT_TRUE(std::holds_alternative<UnknownAudience>(result));
  EXPECT_EQ(std::get<UnknownAudience>(result).id, "theirs")
      << "another tenant's audience is unknown";
}

}  // namespace
}  // namespace vitals
