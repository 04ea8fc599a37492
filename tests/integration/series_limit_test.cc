// limits.max_series_per_tenant as a sender sees it: a batch holding events that would start a
// series past the tenant's limit is refused whole with a 400 that gives each such event's line,
// nothing of it is stored, the refusal is counted, and the rest of the batch goes in once sent
// again without them.

#include <gtest/gtest.h>

#include "event_times.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

std::string event_line(const std::string& key) {
  return R"({"tenant":"acme","type":"sync_run","key":")" + key +
         R"(","status":"success","time":")" + a_second_ago() + "\"}";
}

class SeriesLimit : public ::testing::Test {
 protected:
  SeriesLimit() : vitals_("", "[limits]\nmax_series_per_tenant = 3\n") {}
  void SetUp() override {
    vitals_.start();
    ASSERT_EQ(vitals_.ingest(event_line("a") + "\n" + event_line("b") + "\n").status, 200);
  }
  int stored_events() {
    const auto health = vitals_.get("/spaces/acme/integration-health", "dev-viewer-token");
    EXPECT_EQ(health.status, 200);
    return health.json()["total_events"].get<int>();
  }

  VitalsProcess vitals_;
};

TEST_F(SeriesLimit, ABatchPastTheLimitIsRefusedWholeWithTheLinesOfTheNewSeries) {
  const std::string batch = event_line("a") + "\n" + event_line("c") + "\n\n" + event_line("d") +
                            "\n" + event_line("e") + "\n" + event_line("d") + "\n";
  const HttpResponse refused = vitals_.ingest(batch);
  ASSERT_EQ(refused.status, 400) << refused.body;
  const auto body = refused.json();
  EXPECT_EQ(body["error"], "invalid_events");
  EXPECT_EQ(body["message"], "3 of 5 event(s) past the tenant's series limit; nothing was stored");
  ASSERT_EQ(body["errors"].size(), 3u) << refused.body;
  // c takes the third series; d, e and d again (blank line 3 included in the count) do not fit.
  EXPECT_EQ(body["errors"][0]["line"], 4);
  EXPECT_EQ(body["errors"][1]["line"], 5);
  EXPECT_EQ(body["errors"][2]["line"], 6);
  EXPECT_EQ(body["errors"][0]["field"], "key");
  EXPECT_NE(body["errors"][0]["message"].get<std::string>().find("limits.max_series_per_tenant (3"),
            std::string::npos);
  EXPECT_EQ(stored_events(), 2) << "nothing of the refused batch, not even a or c";
  EXPECT_EQ(vitals_.metric("vitals_ingest_events_past_series_limit_total"), 3);

  const HttpResponse rest = vitals_.ingest(event_line("a") + "\n" + event_line("c") + "\n");
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.json()["accepted"], 2);
  EXPECT_EQ(stored_events(), 4);
}

TEST_F(SeriesLimit, AJsonArrayNamesTheEventsByIndex) {
  HttpClient client;
  const HttpResponse refused = client.post(
      vitals_.url("/api/v1/events"), "[" + event_line("c") + "," + event_line("d") + "]",
      {{"Authorization", "Bearer dev-ingest-token"}, {"Content-Type", "application/json"}});
  ASSERT_EQ(refused.status, 400) << refused.body;
  ASSERT_EQ(refused.json()["errors"].size(), 1u);
  EXPECT_EQ(refused.json()["errors"][0]["line"], 2);
  EXPECT_EQ(stored_events(), 2);
}

TEST_F(SeriesLimit, ATenantAtItsLimitStillTakesItsOwnSeriesAndOthersTheirs) {
  ASSERT_EQ(vitals_.ingest(event_line("c") + "\n").status, 200);  // the third and last
  EXPECT_EQ(vitals_.ingest(event_line("a") + "\n" + event_line("c") + "\n").status, 200);
  EXPECT_EQ(vitals_
                .ingest(R"({"tenant":"globex","type":"sync_run","key":"z","status":"success"})"
                        "\n")
                .status,
            200);
  EXPECT_EQ(vitals_.ingest(event_line("d") + "\n").status, 400);
}

}  // namespace
}  // namespace vitals::testing
