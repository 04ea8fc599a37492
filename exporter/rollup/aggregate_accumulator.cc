#include "rollup/aggregate_accumulator.h"

#include <utility>

namespace vitals {

void AggregateAccumulator::add_one(EventStatus status, TimeMs time,
                                   std::optional<double> latency_ms) {
  sum_.count_one(status, time, latency_ms);
  if (latency_ms) latency_.add(*latency_ms);
}

void AggregateAccumulator::add(const Event& event) {
  add_one(event.status, event.time, event.latency_ms);
  if (!is_failure(event.status)) add_items(event.counts);
}

void AggregateAccumulator::merge(const Aggregate& other) {
  sum_.merge_counts(other);
  latency_.merge(other.latency);
}

Aggregate AggregateAccumulator::take() {
  Aggregate out = std::move(sum_);
  out.latency = latency_.take();
  sum_ = Aggregate();
  return out;
}

}  // namespace vitals
