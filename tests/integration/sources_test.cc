// Scrape sources in the real binary: an HTTP source reading a paged service on a loopback port,
// a file source tailing an NDJSON file through rotation and truncation, each across a restart.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "core/time_format.h"
#include "support/promtool.h"
#include "support/recording_receiver.h"
#include "support/wait.h"
#include "sync_runs.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

std::string recent_time() {
  return format_rfc3339(wall_now() - kMsPerMinute);
}

// Events of `type` in tenant acme's health over the last day, as stored (not as counted since
// this process started).
int stored_events(VitalsProcess& vitals, const std::string& type) {
  auto r = vitals.get("/spaces/acme/integration-health?days=1", "dev-viewer-token");
  if (r.status != 200) return -1;
  const nlohmann::json health = r.json();  // kept alive for the loop below
  for (const auto& row : health["by_integration_type"]) {
    if (row["integration_type"] == type) return row["total"].get<int>();
  }
  return 0;
}

// The value of one series on /metrics, or -1 when it is not there.
double metric(VitalsProcess& vitals, const std::string& series) {
  auto r = vitals.get("/metrics", "");
  const auto at = r.body.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(r.body.substr(at + series.size() + 2));
}

// A paged service: page 1 holds two runs and a cursor to page 2, which holds what `last_page`
// holds (a test adds to it). Only the right bearer token is let in.
class FakeRunsService {
 public:
  FakeRunsService() {
    receiver_.respond_with([this](const ReceivedRequest& request) -> RecordingReceiver::Answer {
      if (request.headers.count("authorization") == 0 ||
          request.headers.at("authorization") != "Bearer source-secret") {
        return {401, "{}"};
      }
      std::lock_guard lock(mutex_);
      if (request.path == "/runs?limit=2") {
        return {200,
                nlohmann::json{
                    {"data", {run("sync-a", "completed", "r1"), run("sync-a", "failed", "")}},
                    {"meta", {{"next", "p2"}}}}
                    .dump()};
      }
      if (request.path == "/runs?limit=2&after=p2") {
        return {200, nlohmann::json{{"data", last_page_}, {"meta", {{"next", nullptr}}}}.dump()};
      }
      return {404, "{}"};
    });
    add_run("sync-b", "completed", "");
  }

  static nlohmann::json run(const std::string& sync, const std::string& state,
                            const std::string& id) {
    nlohmann::json r = {
        {"sync", sync}, {"state", state}, {"finished_at", recent_time()}, {"rows", 5}};
    if (!id.empty()) r["run_id"] = id;  // most runs carry no id: only the position saves them
    return r;
  }

  void add_run(const std::string& sync, const std::string& state, const std::string& id) {
    std::lock_guard lock(mutex_);
    last_page_.push_back(run(sync, state, id));
  }

  std::string url() const { return receiver_.url("/runs?limit=2"); }
  std::vector<ReceivedRequest> requests() const { return receiver_.requests(); }

 private:
  RecordingReceiver receiver_;
  std::mutex mutex_;
  nlohmann::json last_page_ = nlohmann::json::array();
};

std::string http_source_toml(const std::string& url) {
  return R"(
[[sources]]
name = "crm-runs"
tenant = "acme"
interval = "1s"
timeout = "2s"
retry_initial = "100ms"
retry_max = "1s"
[sources.http]
url = ")" +
         url + R"("
headers = { Authorization = "Bearer ${env:VITALS_SOURCE_TOKEN}" }
records = "data"
cursor = "meta.next"
cursor_param = "after"
[sources.http.mapping]
type = { const = "crm_sync" }
key = "sync"
status = { path = "state", map = { completed = "success", failed = "exception" } }
time = "finished_at"
id = "run_id"
counts = { rows = "rows" }
)";
}

TEST(Sources, HttpSourceFollowsTheCursorAndNeverRecountsAcrossARestart) {
  FakeRunsService service;
  VitalsProcess vitals("", http_source_toml(service.url()));
  vitals.set_env({{"VITALS_SOURCE_TOKEN", "source-secret"}});
  vitals.start();
  ASSERT_TRUE(wait_until([&] { return stored_events(vitals, "crm_sync") == 3; }, seconds(30)))
      << stored_events(vitals, "crm_sync") << "\n"
      << vitals.log();
  EXPECT_EQ(metric(vitals, "vitals_source_up{source=\"crm-runs\"}"), 1);
  EXPECT_EQ(metric(vitals,
                   "vitals_integration_events_total{integration_key=\"sync-a\",integration_type="
                   "\"crm_sync\",mode=\"default\",status=\"exception\",tenant=\"acme\"}"),
            1);
  EXPECT_EQ(metric(vitals, "vitals_source_records_total{result=\"stored\",source=\"crm-runs\"}"),
            3);
  const auto lint = promtool_check_metrics(vitals.get("/metrics", "").body);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;

  ASSERT_EQ(vitals.stop(), 0);
  const size_t before_restart = service.requests().size();
  vitals.start();
  // Several polls after the restart: all of them of page 2, and nothing counted again.
  ASSERT_TRUE(
      wait_until([&] { return service.requests().size() >= before_restart + 3; }, seconds(30)));
  EXPECT_EQ(service.requests().at(before_restart).path, "/runs?limit=2&after=p2");
  EXPECT_EQ(stored_events(vitals, "crm_sync"), 3);
  EXPECT_EQ(metric(vitals, "vitals_source_records_total{result=\"stored\",source=\"crm-runs\"}"),
            0);
  // A run that appears on the last page later is read once.
  service.add_run("sync-b", "failed", "");
  ASSERT_TRUE(wait_until([&] { return stored_events(vitals, "crm_sync") == 4; }, seconds(30)));
  const size_t seen = service.requests().size();
  ASSERT_TRUE(wait_until([&] { return service.requests().size() >= seen + 2; }, seconds(30)));
  EXPECT_EQ(stored_events(vitals, "crm_sync"), 4);
}

TEST(Sources, HttpSourceFailuresAreCountedAndBackedOff) {
  FakeRunsService service;
  VitalsProcess vitals("", http_source_toml(service.url()));
  vitals.set_env({{"VITALS_SOURCE_TOKEN", "a-wrong-token"}});
  vitals.start();
  ASSERT_TRUE(wait_until(
      [&] { return metric(vitals, "vitals_source_failures_total{source=\"crm-runs\"}") >= 2; },
      seconds(30)));
  EXPECT_EQ(metric(vitals, "vitals_source_up{source=\"crm-runs\"}"), 0);
  EXPECT_EQ(stored_events(vitals, "crm_sync"), 0);
  EXPECT_NE(vitals.log().find("HTTP 401"), std::string::npos) << vitals.log();
}

class FileSource : public ::testing::Test {
 protected:
  FileSource()
      : path_(dir_.path() / "jobs.ndjson"),
        vitals_("",
                "[[sources]]\nname = \"jobs\"\ntenant = \"acme\"\ninterval = \"1s\"\n"
                "[sources.file]\npath = \"" +
                    path_.string() + "\"\n") {}

  // Appends `n` events, numbered on from the last, to `file` (the tailed file by default).
  void write_events(int n, const fs::path& file = {}) {
    std::ofstream out(file.empty() ? path_ : file, std::ios::app);
    for (int i = 0; i < n; ++i) {
      out << nlohmann::json{{"tenant", "acme"},
                            {"type", "file_job"},
                            {"key", "job-" + std::to_string(++written_)},
                            {"status", "success"},
                            {"time", recent_time()}}
                 .dump()
          << "\n";
    }
  }

  bool counted(int n) {
    return wait_until([&] { return stored_events(vitals_, "file_job") == n; }, seconds(30));
  }

  TempDir dir_;
  fs::path path_;
  VitalsProcess vitals_;
  int written_ = 0;
};

TEST_F(FileSource, EveryLineIsCountedOnceThroughRotationTruncationAndARestart) {
  vitals_.start();
  write_events(3);
  ASSERT_TRUE(counted(3)) << vitals_.log();
  // Rotation: lines written just before the rename are still read, then the new file.
  write_events(2);
  fs::rename(path_, path_.string() + ".1");
  write_events(1);
  ASSERT_TRUE(counted(6)) << vitals_.log();
  write_events(1);
  ASSERT_TRUE(counted(7));
  // Truncation in place: the file is read again from its start (shorter than before).
  fs::resize_file(path_, 0);
  write_events(1);
  ASSERT_TRUE(counted(8)) << vitals_.log();

  // While vitals is down: more lines, another rotation, a new file.
  ASSERT_EQ(vitals_.stop(), 0);
  write_events(2);
  fs::rename(path_, path_.string() + ".2");
  write_events(1);
  vitals_.start();
  ASSERT_TRUE(counted(11)) << vitals_.log();
  ASSERT_TRUE(wait_until(
      [&] { return metric(vitals_, "vitals_source_fetches_total{source=\"jobs\"}") >= 3; },
      seconds(30)));
  EXPECT_EQ(stored_events(vitals_, "file_job"), 11);
  EXPECT_EQ(metric(vitals_, "vitals_source_records_total{result=\"rejected\",source=\"jobs\"}"), 0);
}

TEST_F(FileSource, BadLinesAreRejectedAndCountedWithoutStoppingTheSource) {
  vitals_.start();
  {
    std::ofstream out(path_, std::ios::app);
    out << "not json\n"
        << R"({"tenant":"globex","type":"file_job","status":"success"})"
        << "\n";
  }
  write_events(1);
  ASSERT_TRUE(counted(1)) << vitals_.log();
  ASSERT_TRUE(wait_until(
      [&] {
        return metric(vitals_,
                      "vitals_source_records_total{result=\"rejected\",source=\"jobs\"}") == 2;
      },
      seconds(30)));
  EXPECT_EQ(metric(vitals_, "vitals_source_up{source=\"jobs\"}"), 1);
}

}  // namespace
}  // namespace vitals::testing
