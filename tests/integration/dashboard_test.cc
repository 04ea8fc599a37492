// GET /v1/analytics/integrations/dashboard against the real binary: every response validates
// against the document's own DashboardEnvelope schema, and each error has its documented shape.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <random>

#include "core/time_format.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "sync_runs.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

const std::string kSchema =
    std::string(VITALS_SOURCE_DIR) + "/tests/schemas/integration-dashboard.schema.json";
const std::string kTool = std::string(VITALS_SOURCE_DIR) + "/tests/tools/json_schema.py";
const std::string kSeed =
    std::string(VITALS_SOURCE_DIR) + "/../shared/spec/seeds/integration-dashboard-openapi.txt";

struct ToolRun {
  int status;
  std::string output;
};

ToolRun run_tool(const std::vector<std::string>& args, const std::string& stdin_text) {
  TempDir dir;
  const auto input = dir.write_file("stdin.json", stdin_text);
  std::vector<std::string> argv = {"python3", kTool};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess p;
  p.start(LaunchSpec{argv, {}, dir.path() / "out.log", input});
  return {p.wait_exit(std::chrono::seconds(60)).value_or(-1), p.read_log()};
}

// Validates against components.schemas.<name> of the kept copy of the seed's schemas.
void expect_valid(const std::string& body, const std::string& name) {
  const auto run = run_tool({"validate", kSchema, name}, body);
  EXPECT_EQ(run.status, 0) << name << ":\n" << run.output << "\n" << body.substr(0, 2000);
}

constexpr const char* kEnvelope = "src__analytics__integrations__schemas__DashboardEnvelope";

std::string date_days_ago(int days) {
  return format_rfc3339(floor_to(wall_now() - days * kMsPerDay, kMsPerDay)).substr(0, 10);
}

class DashboardApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    vitals_ = new VitalsProcess();
    vitals_->start();
    std::mt19937_64 rng(9);
    const TimeMs now = wall_now();
    const char* statuses[] = {"success", "success", "success", "vendor_error", "exception"};
    const char* keys[] = {"salesforce", "hubspot", "zendesk"};
    std::string body;
    for (int i = 0; i < 3000; ++i) {
      nlohmann::json e = {{"tenant", rng() % 3 ? "acme" : "globex"},
                          {"type", "webhook"},
                          {"key", keys[rng() % 3]},
                          {"mode", rng() % 2 ? "realtime" : "batch"},
                          {"status", statuses[rng() % 5]},
                          {"time", format_rfc3339_ms(now - 60000 - rng() % (20 * kMsPerDay))}};
      if (rng() % 4) e["latency_ms"] = double(rng() % 100000) / 100.0;
      if (e["status"] != "success") e["error"] = {{"category", rng() % 2 ? "timeout" : "auth"}};
      body += e.dump() + "\n";
    }
    auto r = vitals_->ingest(body);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  static void TearDownTestSuite() {
    delete vitals_;
    vitals_ = nullptr;
  }

  static HttpResponse dashboard(const std::string& query,
                                const std::string& token = "dev-admin-token") {
    return vitals_->get("/v1/analytics/integrations/dashboard?" + query, token);
  }

  static VitalsProcess* vitals_;
};

VitalsProcess* DashboardApi::vitals_ = nullptr;

TEST_F(DashboardApi, KeptSchemaCopyMatchesTheSeedDocument) {
  FILE* seed = std::fopen(kSeed.c_str(), "r");
  if (!seed) GTEST_SKIP() << "the seed document is not beside this checkout";
  std::fclose(seed);
  const auto extracted = run_tool({"extract", kSeed}, "");
  ASSERT_EQ(extracted.status, 0) << extracted.output;
  std::FILE* kept = std::fopen(kSchema.c_str(), "r");
  ASSERT_NE(kept, nullptr);
  std::string text;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, kept)) > 0;) text.append(buf, n);
  std::fclose(kept);
  EXPECT_EQ(nlohmann::json::parse(extracted.output), nlohmann::json::parse(text));
}

TEST_F(DashboardApi, ResponsesValidateForEveryGranularityWithAndWithoutFilters) {
  const std::string period = "start_date=" + date_days_ago(14) + "&end_date=" + date_days_ago(0);
  const std::string short_period =
      "start_date=" + date_days_ago(1) + "&end_date=" + date_days_ago(0);
  for (const std::string granularity : {"hour", "day", "week"}) {
    for (const std::string filter :
         {"", "&integration_key=zendesk", "&mode=batch&slug=acme", "&integration_key=none-such"}) {
      auto r = dashboard(period + "&granularity=" + granularity + filter);
      ASSERT_EQ(r.status, 200) << r.body;
      expect_valid(r.body, kEnvelope);
    }
  }
  auto minutes = dashboard(short_period + "&granularity=minute");
  ASSERT_EQ(minutes.status, 200);
  expect_valid(minutes.body, kEnvelope);
  EXPECT_EQ(minutes.json()["usage"].size(), 2u * 1440u);
}

TEST_F(DashboardApi, TheDefaultGranularityIsHourAndTenantsAreTheTokens) {
  const std::string period = "start_date=" + date_days_ago(14) + "&end_date=" + date_days_ago(0);
  auto all = dashboard(period).json();
  EXPECT_EQ(all["usage"].size(), 15u * 24u);
  auto acme = dashboard(period + "&slug=acme").json();
  auto globex = dashboard(period + "&slug=globex").json();
  ASSERT_FALSE(acme["summary"].empty());
  EXPECT_EQ(all["summary"][0]["current_invocations"].get<int>(),
            acme["summary"][0]["current_invocations"].get<int>() +
                globex["summary"][0]["current_invocations"].get<int>());
  // A viewer of acme alone sees acme's numbers without naming a slug.
  auto viewer = dashboard(period, "dev-viewer-token").json();
  EXPECT_EQ(viewer["summary"], acme["summary"]);
}

// A repeated envelope reads its past days from the closed-day cache; an event that arrives
// late into one of those days is in the very next envelope all the same.
TEST_F(DashboardApi, ALateEventIntoACachedDayIsInTheNextEnvelope) {
  const std::string query =
      "slug=acme&granularity=day&start_date=" + date_days_ago(14) + "&end_date=" + date_days_ago(0);
  const std::string hits = R"(vitals_rollup_closed_day_cache_lookups_total{result="hit"})";
  const auto first = dashboard(query).json();
  const double hits_before = vitals_->metric(hits);
  const auto again = dashboard(query).json();
  EXPECT_EQ(again, first);
  EXPECT_GT(vitals_->metric(hits), hits_before) << "the second envelope found its past days";

  const TimeMs late = floor_to(wall_now(), kMsPerDay) - 5 * kMsPerDay + 3 * kMsPerHour;
  const nlohmann::json event = {{"tenant", "acme"},    {"type", "webhook"},
                                {"key", "salesforce"}, {"status", "success"},
                                {"latency_ms", 12.5},  {"time", format_rfc3339_ms(late)}};
  ASSERT_EQ(vitals_->ingest(event.dump()).status, 200);

  const auto after = dashboard(query).json();
  EXPECT_EQ(after["summary"][0]["current_invocations"].get<int>(),
            first["summary"][0]["current_invocations"].get<int>() + 1);
  const std::string day = format_rfc3339(floor_to(late, kMsPerDay));
  auto invocations_on = [&](const nlohmann::json& envelope) {
    for (const auto& row : envelope["usage"]) {
      if (row["time_bucket"] == day) return row["invocations"].get<int>();
    }
    return -1;
  };
  ASSERT_GE(invocations_on(first), 0) << day;
  EXPECT_EQ(invocations_on(after), invocations_on(first) + 1);
  auto salesforce = [](const nlohmann::json& envelope) {
    for (const auto& row : envelope["by_integration"]) {
      if (row["integration_key"] == "salesforce") return row["invocations"].get<int>();
    }
    return -1;
  };
  EXPECT_EQ(salesforce(after), salesforce(first) + 1);
}

TEST_F(DashboardApi, MissingOrUnknownKeyIs401ErrorResponse) {
  HttpClient client;
  auto none = client.get(vitals_->url(
      "/v1/analytics/integrations/dashboard?start_date=2026-01-01&end_date=2026-01-02"));
  EXPECT_EQ(none.status, 401);
  expect_valid(none.body, "ErrorResponse");
  auto wrong = dashboard("start_date=2026-01-01&end_date=2026-01-02", "wrong-token");
  EXPECT_EQ(wrong.status, 401);
  expect_valid(wrong.body, "ErrorResponse");
}

TEST_F(DashboardApi, MalformedOrMissingParametersAre422ValidationErrors) {
  for (const std::string query :
       {"end_date=2026-01-02", "start_date=2026-01-01", "start_date=01/02/2026&end_date=2026-01-02",
        "start_date=2026-01-01&end_date=2026-01-02&granularity=month",
        "start_date=2026-02-30&end_date=2026-03-02"}) {
    auto r = dashboard(query);
    EXPECT_EQ(r.status, 422) << query;
    expect_valid(r.body, "HTTPValidationError");
    const auto detail = r.json()["detail"];
    ASSERT_FALSE(detail.empty()) << query;
    EXPECT_EQ(detail[0]["loc"][0], "query");
  }
}

TEST_F(DashboardApi, InvalidUtf8InAParameterIsStillA422) {
  for (const std::string query : {"start_date=%FF&end_date=2026-01-02",
                                  "start_date=2026-01-01&end_date=2026-01-02&granularity=%C3"}) {
    auto r = dashboard(query);
    EXPECT_EQ(r.status, 422) << query << ": " << r.body;
    expect_valid(r.body, "HTTPValidationError");
  }
}

TEST_F(DashboardApi, PeriodProblemsAre400ErrorResponses) {
  for (const std::string query : {"start_date=2026-02-02&end_date=2026-02-01",
                                  "start_date=2024-01-01&end_date=2026-01-01&granularity=day",
                                  "start_date=2026-01-01&end_date=2026-01-09&granularity=minute"}) {
    auto r = dashboard(query);
    EXPECT_EQ(r.status, 400) << query;
    expect_valid(r.body, "ErrorResponse");
  }
}

TEST_F(DashboardApi, ASlugTheKeyCannotSeeIs404ErrorResponse) {
  for (const std::string slug : {"globex", "initech"}) {
    auto r =
        dashboard("start_date=2026-01-01&end_date=2026-01-02&slug=" + slug, "dev-viewer-token");
    EXPECT_EQ(r.status, 404) << slug;
    expect_valid(r.body, "ErrorResponse");
  }
}

TEST_F(DashboardApi, AnIngestTokenMayNotRead) {
  auto r = dashboard("start_date=2026-01-01&end_date=2026-01-02", "dev-ingest-token");
  EXPECT_EQ(r.status, 403);
  expect_valid(r.body, "ErrorResponse");
}

}  // namespace
}  // namespace vitals::testing
