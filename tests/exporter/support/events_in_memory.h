#pragma once

#include <random>
#include <vector>

#include "rollup/rollup_engine.h"

namespace vitals::testing {

// A RawEventReader over events held in a vector, standing in for the event store: the rollups
// read raw events only for the ragged edges of a window.
inline RawEventReader reader_over(const std::vector<StoredEvent>& events) {
  return [&events](const RawScan& scan, const std::function<void(const Event&)>& visit) {
    for (const auto& s : events) {
      const Event& e = s.event;
      if (s.seq <= scan.max_seq && e.tenant_id == scan.tenant_id && e.time >= scan.from &&
          e.time < scan.to) {
        visit(e);
      }
    }
  };
}

// n events of two tenants over [now - span, now + 4 min), with every dimension, failures,
// latencies and item counts; the same seed gives the same events.
inline std::vector<StoredEvent> random_events(size_t n, TimeMs now, TimeMs span,
                                              std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<TimeMs> when(now - span, now + 4 * kMsPerMinute);
  std::lognormal_distribution<double> latency(4, 1);
  const char* tenants[] = {"t1", "t2"};
  const char* types[] = {"webhook", "metadata_sync", "quality_check"};
  const char* keys[] = {"a", "b", "c", "d"};
  const char* modes[] = {"batch", "realtime"};
  const char* categories[] = {"timeout", "auth"};
  std::vector<StoredEvent> out;
  for (size_t i = 0; i < n; ++i) {
    Event e;
    e.tenant_id = tenants[rng() % 2];
    e.type = types[rng() % 3];
    e.key = keys[rng() % 4];
    e.mode = modes[rng() % 2];
    e.status = static_cast<EventStatus>(rng() % 5 == 0 ? 1 + rng() % 2 : 0);
    e.time = when(rng);
    if (rng() % 4 != 0) e.latency_ms = latency(rng);
    if (is_failure(e.status)) e.error_category = categories[rng() % 2];
    e.counts = {{"rows", static_cast<std::int64_t>(rng() % 100)}};
    out.push_back({static_cast<std::int64_t>(i + 1), e});
  }
  return out;
}

}  // namespace vitals::testing
