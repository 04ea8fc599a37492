// The rule evaluator at scale, with the real components (SQLite store, rollups, signal source,
// alert state store, feed):
//  1. one evaluation cycle of R rules (default 1,000) over G groups (default 10,000 integration
//     keys, six events each in the last 15 minutes);
//  2. breach-to-feed latency: a running vitals (in this process, on a loopback port) with a
//     `for = "0s"` rule; the time from POSTing a failing run to seeing its alert in
//     GET /api/v1/system-health.
// Prints tables; asserts nothing.
//
//   vitals_bench_rules [rules] [groups] [only: filtered | shared | breach]

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include <spdlog/spdlog.h>

#include "alerting/exporter_signal_source.h"
#include "alerting/feed_alert_sink.h"
#include "app/application.h"
#include "bench_timing.h"
#include "core/crypto.h"
#include "core/time_format.h"
#include "evaluator/rule_loader.h"
#include "rule_cycle_fixture.h"
#include "store/alert_state_store.h"
#include "support/http_client.h"
#include "support/ports.h"
#include "support/recording_receiver.h"
#include "support/temp_dir.h"

namespace {

using namespace vitals;
using bench::ms_since;
using bench::percentile;
using bench::Stopwatch;

constexpr const char* kTenant = "bench";

// The first cycle creates every instance and writes its alerts; the others are the steady
// state, with alerts moving as events leave the window.
void bench_cycle(int rule_count, int groups, int types) {
  bench::RuleCycleFixture fixture(rule_count, groups, types);
  std::vector<double> times;
  for (int cycle = 0; cycle < 6; ++cycle) {
    const auto t = Stopwatch::now();
    fixture.evaluate(fixture.now() + cycle * 15 * kMsPerSecond);
    times.push_back(ms_since(t));
  }
  const double first = times.front();
  times.erase(times.begin());
  std::printf("| %d rules, %d keys, %s | %.0f | %.0f | %.0f | %zu |\n", rule_count, groups,
              types > 0 ? ("each rule filters one of " + std::to_string(types) + " types").c_str()
                        : "every rule reads every key",
              first, percentile(times, 50), percentile(times, 100), fixture.active_alerts());
}

void bench_breach_to_feed() {
  testing::TempDir dir;
  testing::RecordingReceiver webhook;
  const int port = testing::free_loopback_port();
  std::ofstream(dir.path() / "rules.toml")
      << "[[rules]]\nname = \"AnyFailure\"\nsignal = \"error_count\"\nby = [\"integration_key\"]\n"
         "window = \"1h\"\nop = \">\"\nthreshold = 0\nsource = \"system\"\n"
         "title = \"{{integration_key}} failed\"\n";
  std::ofstream(dir.path() / "vitals.toml")
      << "[server]\nlisten = \"127.0.0.1:" << port << "\"\n[storage]\npath = \""
      << (dir.path() / "vitals.db").string() << "\"\n[[tenants]]\nslug = \"" << kTenant
      << "\"\nname = \"Bench\"\n[[tokens]]\ntoken = \"bench-token\"\nrole = \"admin\"\ntenants = "
         "[\"*\"]\n"
         "user = \"u\"\n[rules]\nfiles = [\"rules.toml\"]\ninterval = \"15s\"\n"
         "[[notifications.webhooks]]\nname = \"bench\"\nurl = \""
      << webhook.url() << "\"\nsecret = \"s\"\n";
  auto load = load_config_file((dir.path() / "vitals.toml").string());
  for (const auto& p : load.problems) std::fprintf(stderr, "%s\n", p.to_string().c_str());
  if (!load.config) return;
  SystemClock clock;
  Application app(std::move(*load.config), clock);
  app.start();
  testing::HttpClient http;
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  const testing::HeaderList auth = {{"Authorization", "Bearer bench-token"}};
  std::vector<double> times;
  std::vector<double> webhook_times;
  const auto webhook_has = [&](const std::string& key) {
    for (const auto& r : webhook.requests()) {
      if (r.body.find("\"" + key + " failed\"") != std::string::npos) return true;
    }
    return false;
  };
  for (int i = 0; i < 20; ++i) {
    const std::string key = "breach-" + std::to_string(i);
    const std::string event = R"({"tenant":"bench","type":"sync_run","key":")" + key +
                              R"(","status":"exception","error":{"category":"timeout"}})";
    testing::HeaderList headers = auth;
    headers.push_back({"Content-Type", "application/x-ndjson"});
    const auto start = Stopwatch::now();
    http.post(base + "/api/v1/events", event + "\n", headers);
    for (;;) {
      const auto page = http.get(base + "/api/v1/system-health?limit=1", auth);
      if (page.body.find(key + " failed") != std::string::npos) break;
      if (ms_since(start) > 30000) break;
    }
    times.push_back(ms_since(start));
    while (!webhook_has(key) && ms_since(start) < 30000) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    webhook_times.push_back(ms_since(start));
  }
  app.stop();
  std::printf(
      "| breach to alert, for = \"0s\", interval 15 s (20 breaches) | p50 ms | p95 ms | max "
      "ms |\n|---|---|---|---|\n| POST a failing run → its alert in the feed | %.0f | %.0f "
      "| %.0f |\n",
      percentile(times, 50), percentile(times, 95), percentile(times, 100));
  std::printf("| POST a failing run → its webhook received | %.0f | %.0f | %.0f |\n",
              percentile(webhook_times, 50), percentile(webhook_times, 95),
              percentile(webhook_times, 100));
}

}  // namespace

int main(int argc, char** argv) {
  const int rules = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int groups = argc > 2 ? std::atoi(argv[2]) : 10000;
  spdlog::set_level(spdlog::level::warn);
  std::printf(
      "| one evaluation cycle (6 events per key in the last 15 min) | first ms | p50 ms | "
      "max ms | alerts |\n|---|---|---|---|---|\n");
  const std::string only = argc > 3 ? argv[3] : "";
  if (only.empty() || only == "filtered") bench_cycle(rules, groups, rules);
  if (only.empty() || only == "shared") bench_cycle(rules / 10, groups, 0);
  std::printf("\n");
  if (only.empty() || only == "breach") bench_breach_to_feed();
  return 0;
}
