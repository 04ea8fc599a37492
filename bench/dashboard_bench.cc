// Times the dashboard envelope over the in-memory rollups: the data set of DESIGN.md (10 M
// events over 30 days, 20 tenants) is applied to a RollupEngine, then one tenant's 30-day
// envelope is built repeatedly at each granularity. Prints a table; asserts nothing.
//
//   vitals_bench_dashboard [events] [repetitions]

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "api/dashboard_api.h"
#include "bench_timing.h"
#include "core/time_format.h"
#include "dataset.h"

namespace {

using vitals::TimeMs;
using vitals::bench::ms_since;
using vitals::bench::resident_mib;
using Clock = vitals::bench::Stopwatch;

}  // namespace

int main(int argc, char** argv) {
  vitals::bench::DatasetShape shape;
  if (argc > 1) shape.events = std::strtoull(argv[1], nullptr, 10);
  const int repetitions = argc > 2 ? std::atoi(argv[2]) : 50;
  const TimeMs end = *vitals::parse_date("2026-02-01");
  vitals::RollupEngine rollups(
      {35 * vitals::kMsPerDay, 8 * vitals::kMsPerDay}, [](const vitals::RawScan&, const auto&) {},
      end - 40 * vitals::kMsPerDay);

  const auto load_start = Clock::now();
  vitals::bench::generate_dataset(shape, end, 10000,
                                  [&](std::vector<vitals::StoredEvent>& b) { rollups.apply(b); });
  rollups.expire(end);
  const double load_ms = ms_since(load_start);

  std::printf("data set: %llu events, %d days, %d tenants, %d keys\n",
              static_cast<unsigned long long>(shape.events), shape.days, shape.tenants, shape.keys);
  std::printf(
      "rollups: %zu series, %zu buckets, applied in %.0f ms (%.0f events/s), RSS %.0f MiB\n",
      rollups.series_count(), rollups.bucket_count(), load_ms,
      double(shape.events) / (load_ms / 1000.0), resident_mib());
  // What the rollups hold, apart from what the allocator keeps free for reuse.
  const auto heap = mallinfo2();
  std::printf("heap: %.0f MiB in use, %.0f MiB free in the arena\n\n", heap.uordblks / 1048576.0,
              heap.fordblks / 1048576.0);
  std::printf("| query (one tenant) | granularity | p50 ms | p95 ms | max ms |\n");
  std::printf("|---|---|---|---|---|\n");
  const std::vector<std::string> tenant = {vitals::bench::tenant_name(0)};
  struct Case {
    const char* label;
    vitals::Step step;
    int days;
  };
  for (const Case c :
       {Case{"30 days", vitals::Step::kHour, 30}, Case{"30 days", vitals::Step::kDay, 30},
        Case{"30 days", vitals::Step::kWeek, 30}, Case{"1 day", vitals::Step::kMinute, 1}}) {
    vitals::DashboardQuery q;
    q.granularity = c.step;
    q.end = end;
    q.start = end - c.days * vitals::kMsPerDay;
    std::vector<double> times;
    size_t bytes = 0;
    for (int i = 0; i < repetitions; ++i) {
      const auto t = Clock::now();
      bytes = vitals::build_dashboard(rollups, tenant, q).size();
      times.push_back(ms_since(t));
    }
    std::sort(times.begin(), times.end());
    const char* names[] = {"none", "minute", "hour", "day", "week"};
    std::printf("| %s (%zu B) | %s | %.2f | %.2f | %.2f |\n", c.label, bytes,
                names[static_cast<int>(c.step)], times[times.size() / 2],
                times[std::min(times.size() - 1, times.size() * 95 / 100)], times.back());
  }
  return 0;
}
