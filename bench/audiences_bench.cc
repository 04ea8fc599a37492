// Audience member sets and the Insights summary at scale, over the real SQLite store:
//  1. two audiences of N members each (default 10 M): every 2nd and every 3rd id of one
//     customer range, so they share a sixth of the ids and their numbers interleave as real
//     segments' do; uploaded as the HTTP handler does (parse an NDJSON part of 400,000 ids,
//     then replace or add), timed;
//  2. their exact overlap, timed, with the stored bitmap sizes and resident memory;
//  3. GET …/insights/summary over a catalog of 1,000 entities and a month of sync runs, timed.
// Prints tables; asserts nothing.
//
//   vitals_bench_audiences [members_per_audience] [data_dir]

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "audience/member_list.h"
#include "bench_timing.h"
#include "core/time_format.h"
#include "insights/audience_overlap.h"
#include "insights/workspace_summary.h"
#include "store/event_store.h"

namespace {

using namespace vitals;
using bench::ms_since;
using bench::percentile;
using bench::resident_mib;
using bench::Stopwatch;

constexpr std::int64_t kPart = 400'000;  // ~16 MiB of NDJSON, the default body limit

struct World {
  explicit World(const std::filesystem::path& dir, TimeMs now)
      : path((dir / "vitals.db").string()),
        store(path),
        rollups(
            {35 * kMsPerDay, 8 * kMsPerDay},
            [this](const RawScan& s, const std::function<void(const Event&)>& visit) {
              store.scan({s.tenant_id, s.from, s.to, s.max_seq}, visit);
            },
            now - 35 * kMsPerDay),
        entities(path),
        audiences(path),
        members(path),
        sources{entities, rollups, audiences, members, 35 * kMsPerDay} {}

  std::string path;
  EventStore store;
  RollupEngine rollups;
  EntityStore entities;
  AudienceStore audiences;
  MemberStore members;
  InsightsSources sources;
};

// Customer ids stride × [from, to).
std::string ndjson_ids(std::int64_t from, std::int64_t to, std::int64_t stride) {
  std::string body;
  body.reserve(static_cast<size_t>(to - from) * 24);
  char line[40];
  for (std::int64_t n = from; n < to; ++n) {
    body.append(line, static_cast<size_t>(std::snprintf(line, sizeof line, "\"member-%010lld\"\n",
                                                        static_cast<long long>(n * stride))));
  }
  return body;
}

// Uploads customer ids stride × [0, count) as a PUT of the first part and POSTs of the rest.
void upload(World& world, const std::string& audience, std::int64_t stride, std::int64_t count,
            TimeMs now) {
  double parse_ms = 0, store_ms = 0;
  const auto start = Stopwatch::now();
  for (std::int64_t part = 0; part < count; part += kPart) {
    const std::string body = ndjson_ids(part, std::min(count, part + kPart), stride);
    auto t = Stopwatch::now();
    MemberList list = parse_member_list(body, BodyFormat::kNdjson);
    parse_ms += ms_since(t);
    t = Stopwatch::now();
    world.members.change("tenant", audience,
                         part == 0 ? MemberStore::Change::kReplace : MemberStore::Change::kAdd,
                         std::move(list.members), now);
    store_ms += ms_since(t);
  }
  const double total_s = ms_since(start) / 1000;
  std::printf("| upload %s (%lld members, %lld parts) | %.1f | %.1f | %.1f | %.0f |\n",
              audience.c_str(), static_cast<long long>(count),
              static_cast<long long>((count + kPart - 1) / kPart), total_s, parse_ms / 1000,
              store_ms / 1000, double(count) / total_s);
}

void bench_overlap(World& world, std::int64_t n, TimeMs now) {
  for (const char* id : {"a", "b"}) {
    world.entities.put({"tenant", "audience", id, id, "active", "{}", 0, 0}, now);
  }
  std::printf("| what | total s | parsing s | numbering and storing s | members/s |\n");
  std::printf("|---|---|---|---|---|\n");
  upload(world, "a", 2, n, now);
  upload(world, "b", 3, n, now);
  upload(world, "a", 2, n, now);  // the daily refresh: every id is known

  const double rss_before = resident_mib();
  std::vector<double> times;
  std::uint64_t overlap = 0;
  for (int i = 0; i < 20; ++i) {
    const auto t = Stopwatch::now();
    const auto body =
        std::get<nlohmann::ordered_json>(audience_overlap(world.sources, "tenant", {"a", "b"}));
    times.push_back(ms_since(t));
    overlap = body["overlap"]["size"];
  }
  const auto a = world.members.members("tenant", "a");
  std::printf("\n| overlap of two %lld-member audiences | p50 ms | p95 ms | max ms |\n",
              static_cast<long long>(n));
  std::printf("|---|---|---|---|\n| overlap = %llu (exact: %lld) | %.1f | %.1f | %.1f |\n",
              static_cast<unsigned long long>(overlap), static_cast<long long>((2 * n + 5) / 6),
              percentile(times, 50), percentile(times, 95), percentile(times, 100));
  const auto b = world.members.members("tenant", "b");
  std::printf(
      "\nstored bitmaps: a %.0f KiB, b %.0f KiB; resident memory %.0f MiB before the 20 "
      "overlap calls, %.0f MiB after\n\n",
      double(a->getSizeInBytes()) / 1024, double(b->getSizeInBytes()) / 1024, rss_before,
      resident_mib());
}

void bench_summary(World& world, TimeMs now) {
  const std::vector<std::pair<const char*, int>> kinds = {{"source", 200},      {"model", 200},
                                                          {"destination", 200}, {"sync", 200},
                                                          {"audience", 100},    {"loader", 100}};
  std::vector<Event> runs;
  for (const auto& [kind, count] : kinds) {
    for (int i = 0; i < count; ++i) {
      const std::string id = std::string(kind) + "-" + std::to_string(i);
      world.entities.put({"ws", kind, id, id, i % 10 == 0 ? "error" : "active", "{}", 0, 0}, now);
      if (std::string(kind) != "sync" && std::string(kind) != "loader") continue;
      for (TimeMs t = now - 30 * kMsPerDay; t < now; t += kMsPerHour) {
        Event e;
        e.tenant_id = "ws";
        e.type = std::string(kind) + "_run";
        e.key = id;
        e.mode = "default";
        e.time = t + i * 1000;
        e.status = (t / kMsPerHour + i) % 17 == 0 ? EventStatus::kException : EventStatus::kSuccess;
        if (is_failure(e.status)) e.error_category = "unknown";
        e.latency_ms = 60000;
        e.counts = {{"rows", 1000 + i}};
        runs.push_back(std::move(e));
      }
    }
    world.audiences.add_sizes("ws", "audience-0", {{now - kMsPerHour, 5000}});
  }
  world.store.append(runs, [&](const std::vector<StoredEventRef>& s) { world.rollups.apply(s); });
  std::vector<double> times;
  for (int i = 0; i < 50; ++i) {
    const auto t = Stopwatch::now();
    workspace_summary(world.sources, "ws", now);
    times.push_back(ms_since(t));
  }
  std::printf(
      "| summary: 1,000 entities, %zu sync and loader runs over 30 days | p50 ms | p95 ms | "
      "max ms |\n|---|---|---|---|\n| GET …/insights/summary (50 calls) | %.1f | %.1f | "
      "%.1f |\n",
      runs.size(), percentile(times, 50), percentile(times, 95), percentile(times, 100));
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 10'000'000;
  const std::filesystem::path dir =
      argc > 2 ? std::filesystem::path(argv[2])
               : std::filesystem::temp_directory_path() / "vitals-bench-audiences";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const TimeMs now = *parse_rfc3339("2026-03-10T12:00:00Z");
  {
    World world(dir, now);
    bench_overlap(world, n, now);
    bench_summary(world, now);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
