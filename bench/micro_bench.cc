// Google Benchmark micro-benchmarks of vitals' hot paths (bench/README.md):
//
//   ./build/bench/vitals_micro_bench [--benchmark_filter=...]
//
// NDJSON parsing and validation of a 1,000-event batch, applying 1,000 events to the rollups and
// to the /metrics records, merging latency sketches, one rule evaluation cycle, and rendering
// /metrics with 100,000 integration series.

#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include <random>

#include "core/gzip.h"
#include "core/time_format.h"
#include "dataset.h"
#include "ingest/event_parser.h"
#include "metrics/exposition.h"
#include "metrics/integration_metrics.h"
#include "rollup/latency_sketch.h"
#include "rollup/rollup_engine.h"
#include "rule_cycle_fixture.h"

namespace vitals {
namespace {

constexpr TimeMs kEnd = 1'795'000'000'000;  // a fixed "now" so runs are comparable

std::vector<StoredEvent> events_of_dataset(std::uint64_t count, int keys) {
  bench::DatasetShape shape;
  shape.events = count;
  shape.keys = keys;
  std::vector<StoredEvent> all;
  bench::generate_dataset(shape, kEnd, 10'000, [&](std::vector<StoredEvent>& batch) {
    all.insert(all.end(), batch.begin(), batch.end());
  });
  return all;
}

std::string ndjson_of(const std::vector<StoredEvent>& events) {
  std::string body;
  for (const auto& s : events) bench::append_ndjson(s.event, body);
  return body;
}

void BM_ParseNdjsonBatch(benchmark::State& state) {
  const std::string body = ndjson_of(events_of_dataset(1'000, 200));
  EventParserOptions options;
  options.now = kEnd;
  options.retention = 35 * kMsPerDay;
  options.resolve_tenant = [](std::string_view tenant) { return std::string(tenant); };
  for (auto _ : state) {
    auto batch = parse_event_batch(body, BodyFormat::kNdjson, options);
    if (!batch.errors.empty()) state.SkipWithError(batch.errors[0].message.c_str());
    benchmark::DoNotOptimize(batch);
  }
  state.SetItemsProcessed(state.iterations() * 1'000);
  state.SetBytesProcessed(state.iterations() * std::int64_t(body.size()));
}
BENCHMARK(BM_ParseNdjsonBatch)->Unit(benchmark::kMicrosecond);

void BM_RollupApplyBatch(benchmark::State& state) {
  const auto events = events_of_dataset(200'000, 200);
  RollupEngine rollups(
      {}, [](const RawScan&, const std::function<void(const Event&)>&) {}, kEnd);
  std::vector<StoredEvent> batch(1'000);
  size_t next = 0;
  std::int64_t seq = 0;
  for (auto _ : state) {
    for (auto& s : batch) {
      s = events[next++ % events.size()];
      s.seq = ++seq;
    }
    rollups.apply(batch);
  }
  state.SetItemsProcessed(state.iterations() * 1'000);
}
BENCHMARK(BM_RollupApplyBatch)->Unit(benchmark::kMicrosecond);

// The rollups filling up as at ingest: 2,000,000 events of the DESIGN.md data set over 30 days
// into empty rollups, in groups of 4,000, so that series keep appearing and the full table
// grows past the caches (BM_RollupApplyBatch replays 200,000 events into series that exist).
void BM_RollupApplyFresh(benchmark::State& state) {
  const auto events = events_of_dataset(2'000'000, 200);
  for (auto _ : state) {
    state.PauseTiming();
    auto rollups = std::make_unique<RollupEngine>(
        RollupOptions{}, [](const RawScan&, const std::function<void(const Event&)>&) {}, kEnd);
    std::vector<StoredEvent> group;
    state.ResumeTiming();
    for (size_t first = 0; first < events.size(); first += 4'000) {
      state.PauseTiming();
      group.assign(events.begin() + first, events.begin() + std::min(events.size(), first + 4'000));
      state.ResumeTiming();
      rollups->apply(group);
    }
    state.PauseTiming();
    rollups.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(events.size()));
}
BENCHMARK(BM_RollupApplyFresh)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3);

void BM_SketchMerge(benchmark::State& state) {
  std::mt19937_64 random(1);
  std::lognormal_distribution<double> latency(6.0, 1.2);
  LatencySketch a;
  LatencySketch b;
  for (int i = 0; i < 1'000; ++i) {
    a.add(latency(random));
    b.add(latency(random));
  }
  for (auto _ : state) {
    LatencySketch merged = a;
    merged.merge(b);
    benchmark::DoNotOptimize(merged);
  }
}
BENCHMARK(BM_SketchMerge);

// A retention pass, in the engine's parts of 4,096 series, that drops every series of a tenant
// whose events all aged out (a tenant that stopped sending): 100,000 series, one hour bucket
// each.
void BM_RetentionPassDropsATenant(benchmark::State& state) {
  constexpr int kSeries = 100'000;
  std::vector<Event> events(kSeries);
  for (int i = 0; i < kSeries; ++i) {
    events[i].tenant_id = "tenant-that-stopped-sending-00000000";
    events[i].type = "sync";
    events[i].key = "key-" + std::to_string(i);
    events[i].mode = "default";
    events[i].time = kEnd - 40 * kMsPerDay;
  }
  const std::array<TimeMs, kTiers.size()> cutoffs = {kEnd - 35 * kMsPerDay, kEnd - 35 * kMsPerDay,
                                                     kEnd - 35 * kMsPerDay};
  for (auto _ : state) {
    state.PauseTiming();
    RollupTable table(kAllDimensions, {Tier::kHour});
    for (const Event& e : events) table.add(HashedEvent(e), kEnd, kEnd);
    state.ResumeTiming();
    for (RollupTable::ExpiryCursor next; !table.expire_some(cutoffs, kNoTime, next, 4096);) {
    }
    if (table.series_count() != 0) state.SkipWithError("series left");
  }
  state.SetItemsProcessed(state.iterations() * kSeries);
}
BENCHMARK(BM_RetentionPassDropsATenant)->Unit(benchmark::kMillisecond)->Iterations(3);

// One evaluation cycle of 1,000 rules over 10,000 integration keys (each rule filters one of
// 1,000 types: 10 groups each), in the steady state after the first cycle wrote every alert.
// Cycles are 100 ms apart, so the data in the rules' windows stays the same through every
// repetition (15 s apart, as before 2026-12-02, the events aged out of the windows as the
// repetitions went on and later cycles had less to read).
void BM_RuleCycle(benchmark::State& state) {
  static bench::RuleCycleFixture fixture(1'000, 10'000, 1'000);
  static int cycle = [] {
    fixture.evaluate(fixture.now());  // the first cycle creates every instance: not timed
    return 1;
  }();
  for (auto _ : state) fixture.evaluate(fixture.now() + (cycle++) * 100);
  state.counters["alerts"] = static_cast<double>(fixture.active_alerts());
}
BENCHMARK(BM_RuleCycle)->Unit(benchmark::kMillisecond)->Iterations(10);
// The /metrics records at ingest: 1,000 events of the data set (counts, latencies, failures)
// observed into records that exist, as IngestPipeline hands each applied group to them.
void BM_MetricsObserveBatch(benchmark::State& state) {
  const auto events = events_of_dataset(200'000, 200);
  IntegrationMetrics metrics([](const std::string& id) { return id; });
  std::vector<StoredEventRef> batch(1'000);
  size_t next = 0;
  for (auto _ : state) {
    for (auto& ref : batch) {
      const StoredEvent& s = events[next++ % events.size()];
      ref = {s.seq, &s.event};
    }
    metrics.observe(batch);
  }
  state.SetItemsProcessed(state.iterations() * 1'000);
}
BENCHMARK(BM_MetricsObserveBatch)->Unit(benchmark::kMicrosecond);

// 100,000 series of vitals_integration_events_total and as many last-success gauges: what a
// scrape collects and renders.
class Metrics100k {
 public:
  Metrics100k() : metrics_([](const std::string& id) { return id; }) {
    std::vector<StoredEvent> events;
    for (int i = 0; i < 100'000; ++i) {
      StoredEvent s;
      s.seq = i + 1;
      s.event.tenant_id = bench::tenant_name(i % 20);
      s.event.type = "sync_run";
      s.event.key = "key-" + std::to_string(i / 20);
      s.event.mode = "default";
      s.event.time = kEnd - i;
      events.push_back(std::move(s));
    }
    metrics_.observe(events);
  }
  const IntegrationMetrics& metrics() const { return metrics_; }

 private:
  IntegrationMetrics metrics_;
};

Metrics100k& metrics_100k() {
  static Metrics100k metrics;
  return metrics;
}

// What a scrape of those costs: written straight from vitals' own records.
void BM_Scrape100kSeries(benchmark::State& state, ExpositionFormat format) {
  const auto& metrics = metrics_100k().metrics();
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string text = render_exposition({}, format, {&metrics});
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = double(bytes);
}
BENCHMARK_CAPTURE(BM_Scrape100kSeries, text, ExpositionFormat::kText004)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Scrape100kSeries, openmetrics, ExpositionFormat::kOpenMetrics100)
    ->Unit(benchmark::kMillisecond);

void BM_Scrape100kSeriesGzip(benchmark::State& state) {
  const auto& metrics = metrics_100k().metrics();
  for (auto _ : state) {
    benchmark::DoNotOptimize(gzip(render_exposition({}, ExpositionFormat::kText004, {&metrics})));
  }
}
BENCHMARK(BM_Scrape100kSeriesGzip)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vitals

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
