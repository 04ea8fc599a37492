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

constexpr TimeMs kNoFirstTime = std::numeric_limits<TimeMs>::max();

// 0 for "no time" (`none`), else the offset from `base`, zigzagged, plus one.
void write_time(BinaryWriter& out, TimeMs t, TimeMs base, TimeMs none) {
  if (t == none) {
    out.u64(0);
    return;
  }
  out.u64(zigzag_encode(t - base) + 1);
}

TimeMs read_time(BinaryReader& in, TimeMs base, TimeMs none) {
  const std::uint64_t stored = in.u64();
  if (stored == 0) return none;
  return base + zigzag_decode(stored - 1);
}

}  // namespace

void Aggregate::add_one(EventStatus status, TimeMs time, std::optional<double> latency_ms) {
  count_one(status, time, latency_ms);
  if (latency_ms) latency.add(*latency_ms);
}

void Aggregate::count_one(EventStatus status, TimeMs time, std::optional<double> latency_ms) {
  ++by_status[static_cast<size_t>(status)];
  if (latency_ms) latency_sum += *latency_ms;
  first_time = std::min(first_time, time);
  last_time = std::max(last_time, time);
  if (is_failure(status)) {
    last_failure = std::max(last_failure, time);
  } else {
    last_success = std::max(last_success, time);
  }
}

void Aggregate::add(const Event& event) {
  add_one(event.status, event.time, event.latency_ms);
  if (!is_failure(event.status)) add_items(event.counts);
}

void Aggregate::add_items(const ItemCounts& counts) {
  for (const auto& [kind, n] : counts) add_item(items, kind, n);
}

void Aggregate::merge(const Aggregate& other) {
  merge_counts(other);
  latency.merge(other.latency);
}

void Aggregate::merge_counts(const Aggregate& other) {
  for (size_t i = 0; i < by_status.size(); ++i) by_status[i] += other.by_status[i];
  latency_sum += other.latency_sum;
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

namespace vitals {

void Aggregate::write(BinaryWriter& out, TimeMs base) const {
  for (std::uint64_t n : by_status) out.u64(n);
  out.f64(latency_sum);
  latency.write(out);
  out.u64(items.size());
  for (const auto& [kind, n] : items) {
    out.str(kind);
    out.i64(n);
  }
  write_time(out, first_time, base, kNoFirstTime);
  write_time(out, last_time, base, kNoTime);
  write_time(out, last_success, base, kNoTime);
  write_time(out, last_failure, base, kNoTime);
}

Aggregate Aggregate::read(BinaryReader& in, TimeMs base) {
  constexpr size_t kMaxItems = 1 << 20;
  constexpr size_t kMaxKindLength = 1 << 16;
  Aggregate a;
  for (std::uint64_t& n : a.by_status) n = in.u64();
  a.latency_sum = in.f64();
  a.latency = LatencySketch::read(in);
  a.items.resize(in.count(kMaxItems));
  for (auto& [kind, n] : a.items) {
    kind = in.str(kMaxKindLength);
    n = in.i64();
  }
  a.first_time = read_time(in, base, kNoFirstTime);
  a.last_time = read_time(in, base, kNoTime);
  a.last_success = read_time(in, base, kNoTime);
  a.last_failure = read_time(in, base, kNoTime);
  return a;
}

}  // namespace vitals
