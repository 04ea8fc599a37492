#include "rollup/aggregate.h"

#include <algorithm>

namespace vitals {
namespace {

void add_item(ItemCounts& items, std::string_view kind, std::int64_t n) {
  auto it = std::lower_bound(items.begin(), items.end(), kind,
                             [](const auto& entry, std::string_view k) { return entry.first < k; });
  if (it != items.end() && it->first == kind) {
    it->second = saturating_add(it->second, n);
  } else {
    items.emplace(it, std::string(kind), n);
  }
}

}  // namespace

void Aggregate::add(const Event& event) {
  ++by_status[static_cast<size_t>(event.status)];
  if (event.latency_ms) {
    latency_sum += *event.latency_ms;
    latency.add(*event.latency_ms);
  }
  first_time = std::min(first_time, event.time);
  last_time = std::max(last_time, event.time);
  if (is_failure(event.status)) {
    last_failure = std::max(last_failure, event.time);
    return;
  }
  last_success = std::max(last_success, event.time);
  for (const auto& [kind, n] : event.counts) add_item(items, kind, n);
}

void Aggregate::merge(const Aggregate& other) {
  for (size_t i = 0; i < by_status.size(); ++i) by_status[i] += other.by_status[i];
  latency_sum += other.latency_sum;
  latency.merge(other.latency);
  for (const auto& [kind, n] : other.items) add_item(items, kind, n);
  first_time = std::min(first_time, other.first_time);
  last_time = std::max(last_time, other.last_time);
  last_success = std::max(last_success, other.last_success);
  last_failure = std::max(last_failure, other.last_failure);
}

std::int64_t Aggregate::item(std::string_view kind) const {
  for (const auto& [k, n] : items) {
    if (k == kind) return n;
  }
  return 0;
}

}  // namespace vitals
