// Times the warehouse telemetry call with a year of deliveries for 1,000 connections in the real
// SQLite store and rollups, and the scrape-time computation of every connection's status gauge.
// Prints a table; asserts nothing.
//
//   vitals_bench_telemetry [connections] [deliveries_per_day] [data_dir]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "bench_timing.h"
#include "core/time_format.h"
#include "metrics/catalog_collector.h"
#include "store/audience_store.h"
#include "store/entity_store.h"
#include "warehouse/connection_telemetry.h"

namespace {

using namespace vitals;
using bench::ms_since;
using bench::Stopwatch;

std::string connection_id(int i) {
  return "wh-" + std::to_string(i);
}

void load(EventStore& store, RollupEngine& rollups, int connections, int per_day, TimeMs end) {
  std::mt19937_64 rng(7);
  const TimeMs step = kMsPerDay / per_day;
  std::vector<Event> batch;
  for (TimeMs t = end - 365 * kMsPerDay; t < end; t += step) {
    for (int c = 0; c < connections; ++c) {
      Event e;
      e.tenant_id = "tenant";
      e.type = "warehouse_delivery";
      e.key = connection_id(c);
      e.mode = "default";
      e.time = t + static_cast<TimeMs>(rng() % static_cast<std::uint64_t>(step));
      e.status = rng() % 20 == 0 ? EventStatus::kVendorError : EventStatus::kSuccess;
      if (is_failure(e.status)) {
        e.error_category = "timeout";
        e.error_message = "the warehouse did not answer in time";
      } else {
        e.counts = {{"evaluations", static_cast<std::int64_t>(rng() % 5000)},
                    {"custom_events", static_cast<std::int64_t>(rng() % 100)}};
      }
      if (rng() % 4 == 0) e.counts.emplace_back("dlq_depth", static_cast<std::int64_t>(rng() % 50));
      batch.push_back(std::move(e));
    }
    if (batch.size() >= 5000) {
      store.append(batch, [&](const std::vector<StoredEventRef>& s) { rollups.apply(s); });
      batch.clear();
    }
  }
  store.append(batch, [&](const std::vector<StoredEventRef>& s) { rollups.apply(s); });
}

}  // namespace

int main(int argc, char** argv) {
  const int connections = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int per_day = argc > 2 ? std::atoi(argv[2]) : 6;
  const std::filesystem::path dir =
      argc > 3 ? argv[3] : std::filesystem::temp_directory_path() / "vitals-bench-telemetry";
  std::filesystem::remove_all(dir);
  const TimeMs end = *parse_date("2026-02-01");
  const TimeMs retention = 400 * kMsPerDay;

  EventStore store((dir / "vitals.db").string());
  EntityStore entities((dir / "vitals.db").string());
  RollupEngine rollups(
      {retention, 8 * kMsPerDay},
      [&](const RawScan& s, const std::function<void(const Event&)>& visit) {
        store.scan({s.tenant_id, s.from, s.to, s.max_seq}, visit);
      },
      end - retention);
  for (int c = 0; c < connections; ++c) {
    entities.put({"tenant", "warehouse_connection", connection_id(c), "c", "ok", "{}", 0, 0}, end);
  }
  const auto load_start = Stopwatch::now();
  load(store, rollups, connections, per_day, end);
  std::printf(
      "data: %d connections x %d deliveries/day x 365 days = %lld events, loaded in %.0f s\n\n",
      connections, per_day, static_cast<long long>(store.count()), ms_since(load_start) / 1000);

  WarehouseTelemetry telemetry(rollups, store, WarehouseThresholds{}, retention);
  const TimeMs now = end - kMsPerHour;
  std::vector<double> times;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 500; ++i) {
    const std::string id =
        connection_id(static_cast<int>(rng() % static_cast<std::uint64_t>(connections)));
    const auto t = Stopwatch::now();
    telemetry.compute("tenant", id, now);
    times.push_back(ms_since(t));
  }
  std::sort(times.begin(), times.end());
  std::printf("| what | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n");
  std::printf("| one telemetry call (500 random connections) | %.3f | %.3f | %.3f |\n",
              times[times.size() / 2], times[times.size() * 95 / 100], times.back());

  TenantDirectory tenants({TenantConfig{"tenant", "Tenant", "tenant"}});
  ManualClock clock(now);
  AudienceStore audiences((dir / "vitals.db").string());
  CatalogCollector collector(entities, audiences, telemetry, tenants, clock, 0);
  times.clear();
  for (int i = 0; i < 5; ++i) {
    const auto t = Stopwatch::now();
    collector.Collect();
    times.push_back(ms_since(t));
  }
  std::sort(times.begin(), times.end());
  std::printf(
      "| status gauges of all %d connections (one scrape, uncached) | %.1f | %.1f | %.1f |\n",
      connections, times[times.size() / 2], times.back(), times.back());
  std::filesystem::remove_all(dir);
  return 0;
}
