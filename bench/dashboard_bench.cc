// Times the dashboard envelope over the in-memory rollups: the data set of DESIGN.md (10 M
// events over 30 days, 20 tenants) is applied to a RollupEngine, then one tenant's 30-day
// envelope is built repeatedly at each granularity; then the restart path is timed (snapshot
// save and load, the start-up last-seen query). Prints tables; asserts nothing.
//
//   vitals_bench_dashboard [events] [repetitions] [closed-day cache bytes]
//
// The first envelope reads every bucket; later ones find the sums of whole past days in the
// closed-day cache (rollup/closed_day_cache.h), and the first of each later row shares the
// breakdowns' sums with the rows before it. A cache of 0 bytes times every envelope as a
// first one.

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>

#include "api/dashboard_api.h"
#include "bench_timing.h"
#include "core/free_heap.h"
#include "core/time_format.h"
#include "dataset.h"
#include "rollup/rollup_snapshot.h"

namespace {

using vitals::TimeMs;
using vitals::bench::ms_since;
using vitals::bench::resident_mib;
using Clock = vitals::bench::Stopwatch;

// What a restart costs apart from opening the store: writing the snapshot at the stop, reading
// it back, and the start-up query that restores every integration's last-seen gauges.
void time_restart(const vitals::RollupEngine& rollups, TimeMs end, int tenants) {
  const std::string path = "/tmp/vitals-bench-" + std::to_string(::getpid()) + ".rollups";
  auto t = Clock::now();
  vitals::save_rollup_snapshot(rollups, path, "bench");
  const double save_ms = ms_since(t);
  const double mib = double(std::filesystem::file_size(path)) / (1024.0 * 1024.0);
  vitals::RollupEngine restored(
      {35 * vitals::kMsPerDay, 8 * vitals::kMsPerDay}, [](const vitals::RawScan&, const auto&) {},
      end - 40 * vitals::kMsPerDay);
  t = Clock::now();
  const std::clock_t cpu_before = std::clock();
  const auto load =
      vitals::load_rollup_snapshot(restored, path, [](auto, const auto&) { return true; });
  const double load_ms = ms_since(t);
  const double load_cpu_ms = 1000.0 * double(std::clock() - cpu_before) / CLOCKS_PER_SEC;
  std::filesystem::remove(path);
  vitals::RollupQuery last_seen;
  for (int i = 0; i < tenants; ++i)
    last_seen.filter.tenant_ids.push_back(vitals::bench::tenant_name(i));
  last_seen.from = end - 400 * vitals::kMsPerDay;
  last_seen.to = end + 10 * vitals::kMsPerMinute;
  last_seen.group_by = {vitals::Dimension::kTenant, vitals::Dimension::kType,
                        vitals::Dimension::kKey};
  t = Clock::now();
  const size_t groups = restored.query(last_seen).size();
  const double query_ms = ms_since(t);
  std::printf("\n| restart step | ms | |\n|---|---|---|\n");
  std::printf("| save the snapshot | %.0f | %.0f MiB |\n", save_ms, mib);
  std::printf("| load the snapshot | %.0f | %s, %.0f ms of CPU on all threads |\n", load_ms,
              load.loaded ? "loaded" : load.problem.c_str(), load_cpu_ms);
  std::printf("| last-seen query | %.0f | %zu groups |\n", query_ms, groups);
}

// The rollup queries one 30-day hour envelope makes, each timed alone: where its time goes.
void time_envelope_queries(const vitals::RollupEngine& rollups, TimeMs end, int repetitions) {
  using vitals::Dimension;
  vitals::RollupQuery q;
  q.filter.tenant_ids = {vitals::bench::tenant_name(0)};
  q.from = end - 30 * vitals::kMsPerDay;
  q.to = end;
  struct Part {
    const char* label;
    std::vector<Dimension> group_by;
    vitals::Step step;
    TimeMs shift;  // the previous period's total is the same window a period earlier
  };
  const TimeMs period = q.to - q.from;
  std::printf("\n| envelope query (30 days, one tenant) | groups | p50 ms |\n|---|---|---|\n");
  for (const Part& part :
       {Part{"hourly series", {}, vitals::Step::kHour, 0},
        Part{"current total", {}, vitals::Step::kNone, 0},
        Part{"previous total", {}, vitals::Step::kNone, period},
        Part{"by key", {Dimension::kKey}, vitals::Step::kNone, 0},
        Part{"by mode", {Dimension::kMode}, vitals::Step::kNone, 0},
        Part{"by error category", {Dimension::kCategory}, vitals::Step::kNone, 0}}) {
    vitals::RollupQuery p = q;
    p.group_by = part.group_by;
    p.step = part.step;
    p.from -= part.shift;
    p.to -= part.shift;
    std::vector<double> times;
    size_t groups = 0;
    for (int i = 0; i < repetitions; ++i) {
      const auto t = Clock::now();
      groups = rollups.query(p).size();
      times.push_back(ms_since(t));
    }
    std::printf("| %s | %zu | %.2f |\n", part.label, groups, vitals::bench::percentile(times, 50));
  }
}

struct RetentionPass {
  double ms = 0;
  size_t queries_beside = 0;
  double longest_query_ms = 0;
};

// A retention pass walks every series, a part at a time under the rollups' write lock. The
// first after the load drops the minute buckets past the horizon; a second drops nothing, as
// most passes drop next to nothing. A one-tenant query of the last day runs beside it over and
// over: the longest one is how long a pass holds queries up.
RetentionPass time_retention_pass(vitals::RollupEngine& rollups, TimeMs end) {
  RetentionPass out;
  const auto start = Clock::now();
  std::atomic<bool> expired{false};
  std::thread pass([&] {
    rollups.expire(end);
    expired = true;
  });
  vitals::RollupFilter one_tenant;
  one_tenant.tenant_ids = {vitals::bench::tenant_name(0)};
  while (!expired) {
    const auto q = Clock::now();
    rollups.total(one_tenant, end - vitals::kMsPerDay, end);
    out.longest_query_ms = std::max(out.longest_query_ms, ms_since(q));
    ++out.queries_beside;
  }
  pass.join();
  out.ms = ms_since(start);
  return out;
}

}  // namespace

// One tenant's envelope, each window and granularity built `repetitions` times: the first
// apart (it fills the closed-day cache), then the median, p95 and longest.
void time_envelopes(const vitals::RollupEngine& rollups, TimeMs end, int repetitions) {
  std::printf("| query (one tenant) | granularity | first ms | p50 ms | p95 ms | max ms |\n");
  std::printf("|---|---|---|---|---|---|\n");
  const std::vector<std::string> tenant = {vitals::bench::tenant_name(0)};
  struct Case {
    const char* label;
    vitals::Step step;
    int days;
    TimeMs end_offset = 0;  // before the data set's end, which is midnight
  };
  for (const Case c :
       {Case{"30 days", vitals::Step::kHour, 30}, Case{"30 days", vitals::Step::kDay, 30},
        Case{"30 days", vitals::Step::kWeek, 30}, Case{"1 day", vitals::Step::kMinute, 1},
        Case{"30 days to 16:43", vitals::Step::kHour, 30, 7 * vitals::kMsPerHour + 17 * 60'000},
        Case{"24 h to 16:43", vitals::Step::kHour, 1, 7 * vitals::kMsPerHour + 17 * 60'000}}) {
    vitals::DashboardQuery q;
    q.granularity = c.step;
    q.end = end - c.end_offset;
    q.start = q.end - c.days * vitals::kMsPerDay;
    std::vector<double> times;
    size_t bytes = 0;
    for (int i = 0; i < repetitions; ++i) {
      const auto t = Clock::now();
      bytes = vitals::build_dashboard(rollups, tenant, q).size();
      times.push_back(ms_since(t));
    }
    const double first = times.front();
    std::sort(times.begin(), times.end());
    const char* names[] = {"none", "minute", "hour", "day", "week"};
    std::printf("| %s (%zu B) | %s | %.2f | %.2f | %.2f | %.2f |\n", c.label, bytes,
                names[static_cast<int>(c.step)], first, times[times.size() / 2],
                times[std::min(times.size() - 1, times.size() * 95 / 100)], times.back());
  }
}

int main(int argc, char** argv) {
  vitals::bench::DatasetShape shape;
  if (argc > 1) shape.events = std::strtoull(argv[1], nullptr, 10);
  const int repetitions = argc > 2 ? std::atoi(argv[2]) : 50;
  vitals::RollupOptions options{35 * vitals::kMsPerDay, 8 * vitals::kMsPerDay};
  if (argc > 3) options.closed_day_cache_bytes = std::strtoull(argv[3], nullptr, 10);
  const TimeMs end = *vitals::parse_date("2026-02-01");
  vitals::RollupEngine rollups(
      options, [](const vitals::RawScan&, const auto&) {}, end - 40 * vitals::kMsPerDay);

  const auto load_start = Clock::now();
  vitals::bench::generate_dataset(shape, end, 10000,
                                  [&](std::vector<vitals::StoredEvent>& b) { rollups.apply(b); });
  const double load_ms = ms_since(load_start);
  const double heap_after_load = mallinfo2().uordblks / 1048576.0;
  // The first drops the minute buckets past the minute horizon.
  const RetentionPass first_pass = time_retention_pass(rollups, end);
  const RetentionPass pass = time_retention_pass(rollups, end);

  std::printf("data set: %llu events, %d days, %d tenants, %d keys\n",
              static_cast<unsigned long long>(shape.events), shape.days, shape.tenants, shape.keys);
  std::printf(
      "rollups: %zu series, %zu buckets, applied in %.0f ms (%.0f events/s), RSS %.0f MiB\n",
      rollups.series_count(), rollups.bucket_count(), load_ms,
      double(shape.events) / (load_ms / 1000.0), resident_mib());
  // What the rollups hold, apart from what the allocator keeps free for reuse.
  const auto heap = mallinfo2();
  std::printf(
      "heap: %.0f MiB in use after the load, %.0f MiB after a retention pass, %.0f MiB "
      "free in the arena\n",
      heap_after_load, heap.uordblks / 1048576.0, heap.fordblks / 1048576.0);
  std::printf(
      "the first retention pass (it drops the minute buckets past the horizon): "
      "%.0f ms; the longest of %zu queries beside it: %.1f ms\n",
      first_pass.ms, first_pass.queries_beside, first_pass.longest_query_ms);
  std::printf(
      "a retention pass that drops nothing: %.0f ms; the longest of %zu queries beside it: "
      "%.1f ms\n",
      pass.ms, pass.queries_beside, pass.longest_query_ms);
  // What vitals does after its start-up rebuild and every retention pass.
  const auto trim_start = Clock::now();
  vitals::return_free_heap_to_system();
  std::printf("RSS %.0f MiB after returning the heap's free pages (%.0f ms)\n\n", resident_mib(),
              ms_since(trim_start));
  time_envelopes(rollups, end, repetitions);
  const auto cache = rollups.closed_day_cache_stats();
  std::printf("\nclosed-day cache: %zu entries, %.1f MiB, %llu hits, %llu misses\n", cache.entries,
              cache.bytes / 1048576.0, static_cast<unsigned long long>(cache.hits),
              static_cast<unsigned long long>(cache.misses));
  time_envelope_queries(rollups, end, repetitions);
  time_restart(rollups, end, shape.tenants);
  return 0;
}
