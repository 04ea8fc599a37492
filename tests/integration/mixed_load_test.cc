// Sustained mixed load: ingest from two clients while four others read every API (the five
// APIs, the catalog, the feed) and scrape /metrics, all at full speed, for a bounded time. No
// request may fail (no 5xx, no transport error, every read a 200); the p99 latency of each
// endpoint is printed; vitals' resident memory, sampled every second, must not trend upwards
// after the warm-up. VITALS_LOAD_SECONDS sets the duration (bench/mixed_load.sh runs it longer).
// Under the sanitizers the leak check is LeakSanitizer's at vitals' exit (VitalsProcess::stop
// fails on its report) and the memory trend is only printed: ASan's quarantine grows on purpose.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>

#include "core/time_format.h"
#include "support/ingest_clients.h"
#include "sync_runs.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

using Clock = std::chrono::steady_clock;

#ifdef VITALS_SANITIZED
constexpr int kDefaultSeconds = 20;
#else
constexpr int kDefaultSeconds = 36;
#endif

int load_seconds() {
  const char* set = std::getenv("VITALS_LOAD_SECONDS");
  return set ? std::max(9, std::atoi(set)) : kDefaultSeconds;
}

struct LoadCall {
  std::string name;
  std::string method;
  std::string path;
  std::string token;
  std::string body;
};

// Latencies and failures of every request, by endpoint name.
class Tally {
 public:
  void record(const std::string& name, const HttpResponse& r, double ms) {
    std::lock_guard lock(mutex_);
    latencies_[name].push_back(ms);
    if (r.status != 200 && failures_.size() < 20) {
      failures_.push_back(name + ": " + std::to_string(r.status) + " " + r.error + r.body);
    }
    failed_ += r.status != 200;
    server_errors_ += r.status >= 500;
    transport_errors_ += r.status == 0;
  }

  // One line per endpoint: requests and latency percentiles in milliseconds.
  std::string table() const {
    std::string out = "endpoint                       requests    p50 ms    p99 ms    max ms\n";
    for (auto [name, ms] : latencies_) {
      std::sort(ms.begin(), ms.end());
      char line[160];
      std::snprintf(line, sizeof line, "%-30s %8zu %9.2f %9.2f %9.2f\n", name.c_str(), ms.size(),
                    at(ms, 0.50), at(ms, 0.99), ms.back());
      out += line;
    }
    return out;
  }

  std::map<std::string, std::vector<double>> latencies_;
  std::vector<std::string> failures_;
  size_t failed_ = 0, server_errors_ = 0, transport_errors_ = 0;

 private:
  static double at(const std::vector<double>& sorted, double q) {
    return sorted[std::min(sorted.size() - 1, static_cast<size_t>(q * sorted.size()))];
  }
  std::mutex mutex_;
};

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

double mean(std::vector<long>::const_iterator from, std::vector<long>::const_iterator to) {
  return std::accumulate(from, to, 0.0) / static_cast<double>(std::max<long>(1, to - from));
}

class MixedLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    vitals_.start();
    put("/api/v1/tenants/acme/entities/sync/s1",
        R"({"name":"S1","status":"active","attributes":{"audience_id":"hv","destination_id":"d1"}})");
    put("/api/v1/tenants/acme/entities/audience/hv", R"({"name":"High-Value","status":"active"})");
    put("/api/v1/tenants/acme/entities/warehouse_connection/wh-main",
        R"({"name":"Main","status":"configured"})");
  }

  void put(const std::string& path, const std::string& body) {
    auto r = HttpClient().put(
        vitals_.url(path), body,
        {{"Authorization", "Bearer dev-editor-token"}, {"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 201) << path << " " << r.body;
  }

  std::vector<LoadCall> reads() const {
    const std::string today = format_rfc3339(wall_now()).substr(0, 10);
    const std::string viewer = "dev-viewer-token";
    const std::string insights = "/api/v1/workspaces/acme/insights/";
    return {
        {"integration-health", "GET", "/spaces/acme/integration-health?days=7", viewer, ""},
        {"dashboard", "GET",
         "/v1/analytics/integrations/dashboard?start_date=" + today + "&end_date=" + today,
         "dev-admin-token", ""},
        {"warehouse-telemetry", "GET",
         "/api/v1/organisations/acme/integrations/warehouse-connections/wh-main/telemetry/", viewer,
         ""},
        {"system-health-feed", "GET", "/api/v1/system-health?limit=50", viewer, ""},
        {"insights-summary", "GET", insights + "summary", viewer, ""},
        {"insights-sync-health", "GET", insights + "sync-health", viewer, ""},
        {"entities", "GET", "/api/v1/tenants/acme/entities/sync", viewer, ""},
        {"metrics", "GET", "/metrics", "", ""},
    };
  }

  void send(HttpClient& http, const LoadCall& call) {
    HeaderList headers = {{"Content-Type", "application/x-ndjson"}};
    if (!call.token.empty()) headers.emplace_back("Authorization", "Bearer " + call.token);
    const auto started = Clock::now();
    const auto r = http.request(call.method, vitals_.url(call.path), call.body, headers);
    tally_.record(call.name, r,
                  std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  }

  void ingest_until_done(int client) {
    HttpClient http;
    for (int n = 0; !done_; ++n) {
      const std::string name = "load-c" + std::to_string(client) + "-b" + std::to_string(n);
      send(http, {"ingest", "POST", "/api/v1/events", "dev-ingest-token", batch_body(name, 50)});
    }
  }

  void read_until_done(int reader) {
    HttpClient http;
    const auto calls = reads();
    for (size_t n = reader; !done_; ++n) send(http, calls[n % calls.size()]);
  }

  VitalsProcess vitals_;
  Tally tally_;
  std::atomic<bool> done_{false};
};

TEST_F(MixedLoad, NoErrorsRecordedP99AndFlatResidentMemory) {
  const int seconds = load_seconds();
  std::vector<std::thread> threads;
  for (int c = 0; c < 2; ++c) threads.emplace_back([this, c] { ingest_until_done(c); });
  for (int r = 0; r < 4; ++r) threads.emplace_back([this, r] { read_until_done(r); });
  // Resident memory apart from SQLite's: its page caches (the writer's up to 64 MiB) fill as the
  // store grows, which is a bounded cache warming up, not a leak.
  std::vector<long> rss;
  long sqlite_kib = 0;
  for (int s = 0; s < seconds; ++s) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    sqlite_kib = static_cast<long>(vitals_.metric("vitals_store_sqlite_memory_bytes") / 1024);
    rss.push_back(rss_kib(vitals_.pid()) - sqlite_kib);
  }
  done_ = true;
  for (auto& t : threads) t.join();

  std::cout << "MixedLoad: " << seconds << " s\n" << tally_.table();
  for (const auto& f : tally_.failures_) ADD_FAILURE() << f;
  EXPECT_EQ(tally_.server_errors_, 0u);
  EXPECT_EQ(tally_.transport_errors_, 0u);
  EXPECT_EQ(tally_.failed_, 0u) << "every request, read or write, is answered 200";
  for (const auto& call : reads()) EXPECT_GT(tally_.latencies_[call.name].size(), 5u) << call.name;
  EXPECT_GT(tally_.latencies_["ingest"].size(), 20u);

  // Warm-up: the first third. Then the next third against the last.
  const auto third = static_cast<long>(rss.size() / 3);
  const double early = mean(rss.begin() + third, rss.begin() + 2 * third);
  const double late = mean(rss.begin() + 2 * third, rss.end());
  std::cout << "MixedLoad: RSS KiB apart from SQLite's after warm-up " << early << ", at the end "
            << late << ", peak " << *std::max_element(rss.begin(), rss.end())
            << "; SQLite's at the end " << sqlite_kib << "\n";
#ifndef VITALS_SANITIZED
  // 16 MiB of slack: in runs where SQLite's caches filled to their 68 MiB within the window, the
  // rest rose by 8.5 MiB with them (the allocator's overhead on their pages), against 1-2 MiB in
  // runs where they stayed near 15 MiB.
  EXPECT_LE(late, early * 1.1 + 16 * 1024) << "resident memory grows under a steady load";
#endif
}

}  // namespace
}  // namespace vitals::testing
