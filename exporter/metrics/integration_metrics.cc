#include "metrics/integration_metrics.h"

#include "core/hash_mix.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <set>

namespace vitals {
namespace {

using Label = ExpositionWriter::Label;
using prometheus::MetricType;

double seconds_of(TimeMs t) {
  return static_cast<double>(t) / 1000.0;
}

// The `le` texts of the latency buckets, +Inf last: written once, not per series per scrape.
const std::array<std::string, kIntegrationLatencyBuckets.size() + 1>& bucket_bounds() {
  static const auto kBounds = [] {
    std::array<std::string, kIntegrationLatencyBuckets.size() + 1> bounds;
    for (size_t b = 0; b < kIntegrationLatencyBuckets.size(); ++b) {
      append_number(bounds[b], kIntegrationLatencyBuckets[b]);
    }
    append_number(bounds.back(), std::numeric_limits<double>::infinity());
    return bounds;
  }();
  return kBounds;
}

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

constexpr std::string_view kDlqDepth = "dlq_depth";

const std::string& overflow_name() {
  static const std::string name(kOverflowLabel);
  return name;
}

// The mode or item label an event's value is kept under in a record: its own, or `__overflow__`
// in an overflow record. A reference, so a known series costs no string copy per event.
const std::string& label_in(bool overflow, const std::string& own) {
  return overflow ? overflow_name() : own;
}

}  // namespace

IntegrationMetrics::IntegrationMetrics(SlugOf slug_of)
    : IntegrationMetrics(std::move(slug_of), system_clock(), SeriesLimits{}) {}

IntegrationMetrics::IntegrationMetrics(SlugOf slug_of, const Clock& clock, SeriesLimits limits,
                                       Warn warn)
    : slug_of_(std::move(slug_of)),
      clock_(clock),
      limits_(limits),
      warn_(warn ? std::move(warn) : [](const std::string& m) { spdlog::warn("/metrics: {}", m); }),
      budgets_{SeriesBudget{"vitals_integration_events_total", limits.max_series_per_family},
               SeriesBudget{"vitals_integration_latency_seconds", limits.max_series_per_family},
               SeriesBudget{"vitals_integration_items_total", limits.max_series_per_family},
               SeriesBudget{"vitals_integration_last_success_timestamp_seconds",
                            limits.max_series_per_family},
               SeriesBudget{"vitals_integration_last_error_timestamp_seconds",
                            limits.max_series_per_family}} {}

size_t IntegrationMetrics::RecordIdHash::operator()(const RecordId& id) const {
  const std::hash<std::string_view> hash;
  size_t seed = hash(id.tenant_id);
  for (const std::string_view field : {id.type, id.key}) {
    seed = hash_mix(seed, hash(field));
  }
  return seed;
}

IntegrationMetrics::Integration* IntegrationMetrics::find(const std::string& tenant_id,
                                                          const std::string& type,
                                                          const std::string& key) {
  const auto it = by_id_.find(RecordId{tenant_id, type, key});
  return it == by_id_.end() ? nullptr : it->second;
}

IntegrationMetrics::Integration& IntegrationMetrics::add(const std::string& tenant_id,
                                                         const std::string& type,
                                                         const std::string& key, bool overflow) {
  Integration* slot = nullptr;
  if (free_.empty()) {
    slot = &integrations_.emplace_back();
  } else {
    slot = free_.back();
    free_.pop_back();
  }
  *slot = Integration{tenant_id, type, key, {}, {}};
  slot->overflow = overflow;
  by_id_.emplace(id_of(*slot), slot);
  if (overflow) ++overflow_records_;
  return *slot;
}

// One overflow record per (tenant, type) while there are fewer of them than the limit; past
// that, types given by clients cannot multiply the overflow records either.
IntegrationMetrics::Integration& IntegrationMetrics::overflow_of(const std::string& tenant_id,
                                                                 const std::string& type) {
  const std::string& overflow = overflow_name();
  if (Integration* known = find(tenant_id, type, overflow)) return *known;
  if (overflow_records_ < limits_.max_series_per_family) {
    return add(tenant_id, type, overflow, true);
  }
  if (Integration* known = find(tenant_id, overflow, overflow)) return *known;
  return add(tenant_id, overflow, overflow, true);
}

template <typename Needed>
IntegrationMetrics::Integration& IntegrationMetrics::admit(const std::string& tenant_id,
                                                           const std::string& type,
                                                           const std::string& key,
                                                           const Needed& needed) {
  if (key != kOverflowLabel) {
    Integration* own = find(tenant_id, type, key);
    const Series need = needed(own);
    bool fits = true;
    for (size_t f = 0; f < kFamilyCount; ++f) fits = fits && budgets_[f].fits(need[f]);
    if (fits) {
      Integration& i = own ? *own : add(tenant_id, type, key, false);
      charge(i, need);
      return i;
    }
    const TimeMs now = clock_.now_ms();
    for (size_t f = 0; f < kFamilyCount; ++f) {
      if (need[f] == 0) continue;
      if (auto warning = budgets_[f].refuse(need[f], now)) warn_(*warning);
    }
  }
  Integration& overflow = overflow_of(tenant_id, type);
  charge(overflow, needed(&overflow));
  return overflow;
}

void IntegrationMetrics::charge(const Integration& i, const Series& series) {
  for (size_t f = 0; f < kFamilyCount; ++f) budgets_[f].add(series[f], i.overflow);
}

void IntegrationMetrics::apply(Integration& i, const Event& e) {
  PerMode& mode = i.modes[label_in(i.overflow, e.mode)];
  ++mode.events[static_cast<size_t>(e.status)];
  if (e.latency_ms) {
    const double seconds = *e.latency_ms / 1000.0;
    const auto bound = std::lower_bound(kIntegrationLatencyBuckets.begin(),
                                        kIntegrationLatencyBuckets.end(), seconds);
    ++mode.latency.buckets[static_cast<size_t>(bound - kIntegrationLatencyBuckets.begin())];
    mode.latency.sum += seconds;
    ++mode.latency.count;
  }
  if (is_failure(e.status)) {
    i.last_error = std::max(i.last_error, e.time);
    return;
  }
  i.last_success = std::max(i.last_success, e.time);
  for (const auto& [kind, n] : e.counts) {
    if (kind == kDlqDepth) continue;  // a gauge reading of warehouse deliveries, not items
    i.items[label_in(i.overflow, kind)] += static_cast<double>(n);
  }
}

// The series an event adds to record `i` (none yet when null), family by family.
IntegrationMetrics::Series IntegrationMetrics::event_series(const Integration* i, const Event& e) {
  Series series{};
  const bool overflow = i && i->overflow;
  const PerMode* mode = nullptr;
  if (i) {
    const auto it = i->modes.find(label_in(overflow, e.mode));
    if (it != i->modes.end()) mode = &it->second;
  }
  if (!mode || mode->events[static_cast<size_t>(e.status)] == 0) series[kEvents] = 1;
  if (e.latency_ms && (!mode || mode->latency.count == 0)) series[kLatency] = 1;
  if (is_failure(e.status)) {
    series[kLastError] = !i || i->last_error == kNoTime;
    return series;
  }
  series[kLastSuccess] = !i || i->last_success == kNoTime;
  std::set<std::string_view> added;
  for (const auto& [kind, n] : e.counts) {
    if (kind == kDlqDepth) continue;
    const std::string& item = label_in(overflow, kind);
    if ((!i || !i->items.count(item)) && added.insert(item).second) ++series[kItems];
  }
  return series;
}

IntegrationMetrics::Series IntegrationMetrics::reading_series(const Integration* i,
                                                              TimeMs last_success,
                                                              TimeMs last_failure) {
  Series series{};
  series[kLastSuccess] = last_success != kNoTime && (!i || i->last_success == kNoTime);
  series[kLastError] = last_failure != kNoTime && (!i || i->last_error == kNoTime);
  return series;
}

// What a record shows on /metrics now, family by family.
IntegrationMetrics::Series IntegrationMetrics::series_of(const Integration& i) {
  Series series{};
  for (const auto& [name, mode] : i.modes) {
    for (const auto count : mode.events) series[kEvents] += count > 0;
    series[kLatency] += mode.latency.count > 0;
  }
  series[kItems] = i.items.size();
  series[kLastSuccess] = i.last_success != kNoTime;
  series[kLastError] = i.last_error != kNoTime;
  return series;
}

void IntegrationMetrics::observe(const std::vector<StoredEventRef>& events) {
  const TimeMs now = clock_.now_ms();
  std::unique_lock lock(mutex_);
  for (const auto& stored : events) {
    const Event& e = *stored.event;
    Integration& i = admit(e.tenant_id, e.type, e.key,
                           [&e](const Integration* r) { return event_series(r, e); });
    apply(i, e);
    i.last_active = now;
  }
}

// A reading older than idle_ttl is not restored: it would only be dropped again.
void IntegrationMetrics::restore_last_seen(const SeriesKey& series, TimeMs last_success,
                                           TimeMs last_failure) {
  const TimeMs active = std::max(last_success, last_failure);
  if (active == kNoTime) return;
  if (limits_.idle_ttl > 0 && active <= clock_.now_ms() - limits_.idle_ttl) return;
  std::unique_lock lock(mutex_);
  Integration& i = admit(series.tenant_id, series.type, series.key, [&](const Integration* r) {
    return reading_series(r, last_success, last_failure);
  });
  i.last_success = std::max(i.last_success, last_success);
  i.last_error = std::max(i.last_error, last_failure);
  i.last_active = std::max(i.last_active, active);
}

size_t IntegrationMetrics::expire_idle() {
  if (limits_.idle_ttl <= 0) return 0;
  const TimeMs cutoff = clock_.now_ms() - limits_.idle_ttl;
  std::unique_lock lock(mutex_);
  size_t dropped = 0;
  for (Integration& i : integrations_) {
    if (!i.live || i.last_active > cutoff) continue;
    drop(i);
    ++dropped;
  }
  return dropped;
}

void IntegrationMetrics::drop(Integration& i) {
  const Series series = series_of(i);
  for (size_t f = 0; f < kFamilyCount; ++f) budgets_[f].release(series[f], i.overflow);
  by_id_.erase(id_of(i));
  if (i.overflow) --overflow_records_;
  i = Integration{};
  i.live = false;
  free_.push_back(&i);
}

void IntegrationMetrics::write(ExpositionWriter& w) const {
  std::shared_lock lock(mutex_);
  Slugs slugs;
  for (const Integration& i : integrations_) {
    if (i.live && !slugs.count(i.tenant_id)) slugs.emplace(i.tenant_id, slug_of_(i.tenant_id));
  }
  write_events(w, slugs);
  write_latency(w, slugs);
  write_items(w, slugs);
  write_last_seen(w, slugs, true);
  write_last_seen(w, slugs, false);
  write_budgets(w);
}

// Labels are written in name order, as prometheus-cpp did.
void IntegrationMetrics::write_events(ExpositionWriter& w, const Slugs& slugs) const {
  w.begin_family("vitals_integration_events_total", "Integration events accepted, by status.",
                 MetricType::Counter);
  for (const Integration& i : integrations_) {
    for (const auto& [mode, per_mode] : i.modes) {
      for (size_t s = 0; s < per_mode.events.size(); ++s) {
        if (per_mode.events[s] == 0) continue;
        const Label labels[] = {{"integration_key", i.key},
                                {"integration_type", i.type},
                                {"mode", mode},
                                {"status", status_name(static_cast<EventStatus>(s))},
                                {"tenant", slugs.at(i.tenant_id)}};
        w.sample("", labels, double(per_mode.events[s]));
      }
    }
  }
}

void IntegrationMetrics::write_latency(ExpositionWriter& w, const Slugs& slugs) const {
  w.begin_family("vitals_integration_latency_seconds",
                 "Latency of integration events that reported one.", MetricType::Histogram);
  for (const Integration& i : integrations_) {
    for (const auto& [mode, per_mode] : i.modes) {
      const Latency& l = per_mode.latency;
      if (l.count == 0) continue;
      const Label labels[] = {{"integration_key", i.key},
                              {"integration_type", i.type},
                              {"mode", mode},
                              {"tenant", slugs.at(i.tenant_id)}};
      std::uint64_t cumulative = 0;
      for (size_t b = 0; b < l.buckets.size(); ++b) {
        cumulative += l.buckets[b];
        w.bucket(labels, bucket_bounds()[b], double(cumulative));
      }
      w.sample("_sum", labels, l.sum);
      w.sample("_count", labels, double(l.count));
    }
  }
}

void IntegrationMetrics::write_items(ExpositionWriter& w, const Slugs& slugs) const {
  w.begin_family("vitals_integration_items_total",
                 "Items carried by successful integration events, by kind.", MetricType::Counter);
  for (const Integration& i : integrations_) {
    for (const auto& [item, n] : i.items) {
      const Label labels[] = {{"integration_key", i.key},
                              {"integration_type", i.type},
                              {"item", item},
                              {"tenant", slugs.at(i.tenant_id)}};
      w.sample("", labels, n);
    }
  }
}

void IntegrationMetrics::write_last_seen(ExpositionWriter& w, const Slugs& slugs,
                                         bool success) const {
  if (success) {
    w.begin_family("vitals_integration_last_success_timestamp_seconds",
                   "Time of the latest successful event of an integration.", MetricType::Gauge);
  } else {
    w.begin_family("vitals_integration_last_error_timestamp_seconds",
                   "Time of the latest failed event of an integration.", MetricType::Gauge);
  }
  for (const Integration& i : integrations_) {
    const TimeMs t = success ? i.last_success : i.last_error;
    if (t == kNoTime) continue;  // also every dropped record
    const Label labels[] = {{"integration_key", i.key},
                            {"integration_type", i.type},
                            {"tenant", slugs.at(i.tenant_id)}};
    w.sample("", labels, seconds_of(t));
  }
}

void IntegrationMetrics::write_budgets(ExpositionWriter& w) const {
  w.begin_family("vitals_metrics_series",
                 "Series a vitals_integration_* family shows on /metrics, __overflow__ included.",
                 MetricType::Gauge);
  for (const SeriesBudget& b : budgets_) {
    const Label labels[] = {{"family", b.family()}};
    w.sample("", labels, double(b.series()));
  }
  w.begin_family("vitals_metrics_series_limit",
                 "limits.max_series_per_family: series a vitals_integration_* family holds "
                 "before new ones go to __overflow__.",
                 MetricType::Gauge);
  w.sample("", {}, double(limits_.max_series_per_family));
  w.begin_family("vitals_metrics_series_dropped_total",
                 "New series refused by limits.max_series_per_family, counted into __overflow__ "
                 "instead; a refused key is refused again at each of its events.",
                 MetricType::Counter);
  for (const SeriesBudget& b : budgets_) {
    const Label labels[] = {{"family", b.family()}};
    w.sample("", labels, double(b.dropped()));
  }
}

}  // namespace vitals
