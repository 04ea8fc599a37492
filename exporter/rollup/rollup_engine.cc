#include "rollup/rollup_engine.h"

#include <algorithm>
#include <mutex>

namespace vitals {
namespace {

TimeMs ceil_to(TimeMs t, TimeMs step) {
  return -floor_to(-t, step);
}

// 1970-01-01 was a Thursday; Monday 1970-01-05 anchors the week grid.
constexpr TimeMs kWeekAnchor = 4 * kMsPerDay;

std::vector<std::string> labels_of(const SeriesKey& key, const std::vector<Dimension>& dims) {
  std::vector<std::string> labels;
  labels.reserve(dims.size());
  for (Dimension d : dims) labels.emplace_back(key.get(d));
  return labels;
}

template <class Index, class Series>
void unindex(Index& index, const std::string& name, Series* series) {
  auto it = index.find(name);
  if (it == index.end()) return;
  auto& list = it->second;
  list.erase(std::remove(list.begin(), list.end(), series), list.end());
  if (list.empty()) index.erase(it);
}

}  // namespace

std::string_view SeriesKey::get(Dimension d) const {
  switch (d) {
    case Dimension::kTenant:
      return tenant_id;
    case Dimension::kType:
      return type;
    case Dimension::kKey:
      return key;
    case Dimension::kMode:
      return mode;
    case Dimension::kStatus:
      return status_name(status);
    case Dimension::kCategory:
      return category;
  }
  return {};
}

SeriesKey SeriesKey::of(const Event& e) {
  return {e.tenant_id, e.type, e.key, e.mode, e.status, e.error_category};
}

bool RollupFilter::matches(const SeriesKey& s) const {
  return (!type || *type == s.type) && (!key || *key == s.key) && (!mode || *mode == s.mode) &&
         (!status || *status == s.status) && (!category || *category == s.category);
}

TimeMs step_floor(TimeMs t, Step step) {
  switch (step) {
    case Step::kNone:
      return 0;
    case Step::kMinute:
      return floor_to(t, kMsPerMinute);
    case Step::kHour:
      return floor_to(t, kMsPerHour);
    case Step::kDay:
      return floor_to(t, kMsPerDay);
    case Step::kWeek:
      return floor_to(t - kWeekAnchor, 7 * kMsPerDay) + kWeekAnchor;
  }
  return 0;
}

TimeMs step_next(TimeMs bucket_start, Step step) {
  switch (step) {
    case Step::kMinute:
      return bucket_start + kMsPerMinute;
    case Step::kHour:
      return bucket_start + kMsPerHour;
    case Step::kDay:
      return bucket_start + kMsPerDay;
    case Step::kWeek:
      return bucket_start + 7 * kMsPerDay;
    case Step::kNone:
      break;
  }
  return bucket_start;
}

size_t RollupEngine::SeriesKeyHash::operator()(const SeriesKey& k) const {
  std::hash<std::string_view> h;
  size_t seed = h(k.tenant_id);
  for (std::string_view part : {std::string_view(k.type), std::string_view(k.key),
                                std::string_view(k.mode), std::string_view(k.category)}) {
    seed ^= h(part) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  }
  return seed ^ static_cast<size_t>(k.status);
}

RollupEngine::RollupEngine(RollupOptions options, RawEventReader raw, TimeMs now)
    : options_(options),
      raw_(std::move(raw)),
      minute_floor_(floor_to(now - options.minute_horizon, kMsPerMinute)) {}

void RollupEngine::apply(const std::vector<StoredEvent>& events) {
  std::unique_lock lock(mutex_);
  for (const auto& stored : events) {
    const Event& e = stored.event;
    SeriesKey key = SeriesKey::of(e);
    auto it = series_.find(key);
    if (it == series_.end()) {
      auto series = std::make_unique<Series>();
      series->key = key;
      by_tenant_[key.tenant_id].push_back(series.get());
      by_tenant_key_[tenant_key(key.tenant_id, key.key)].push_back(series.get());
      it = series_.emplace(std::move(key), std::move(series)).first;
    }
    Series& s = *it->second;
    s.hours[floor_to(e.time, kMsPerHour)].add(e);
    if (e.time >= minute_floor_) s.minutes[floor_to(e.time, kMsPerMinute)].add(e);
    applied_seq_ = std::max(applied_seq_, stored.seq);
  }
}

std::vector<RollupEngine::Segment> RollupEngine::plan(TimeMs from, TimeMs to, Step step) const {
  std::vector<Segment> out;
  if (from >= to) return out;
  // An hour bucket fits inside one output bucket unless the output buckets are minutes.
  const bool hours_fit = step != Step::kMinute;
  const TimeMs h0 = ceil_to(from, kMsPerHour);
  const TimeMs h1 = floor_to(to, kMsPerHour);
  if (hours_fit && h0 < h1) {
    out.push_back({Source::kHours, h0, h1});
    if (from < h0) plan_minutes(from, h0, out);
    if (h1 < to) plan_minutes(h1, to, out);
  } else {
    plan_minutes(from, to, out);
  }
  return out;
}

void RollupEngine::plan_minutes(TimeMs from, TimeMs to, std::vector<Segment>& out) const {
  const TimeMs m0 = std::max(ceil_to(from, kMsPerMinute), minute_floor_);
  const TimeMs m1 = floor_to(to, kMsPerMinute);
  if (m0 >= m1) {
    out.push_back({Source::kRaw, from, to});
    return;
  }
  if (from < m0) out.push_back({Source::kRaw, from, m0});
  out.push_back({Source::kMinutes, m0, m1});
  if (m1 < to) out.push_back({Source::kRaw, m1, to});
}

std::string RollupEngine::tenant_key(std::string_view tenant_id, std::string_view key) {
  std::string out(tenant_id);
  out += '\0';
  out += key;
  return out;
}

std::vector<const RollupEngine::Series*> RollupEngine::matching_series(
    const RollupFilter& filter) const {
  std::vector<const Series*> out;
  for (const auto& tenant : filter.tenant_ids) {
    const auto& index = filter.key ? by_tenant_key_ : by_tenant_;
    auto it = index.find(filter.key ? tenant_key(tenant, *filter.key) : tenant);
    if (it == index.end()) continue;
    for (const Series* s : it->second) {
      if (filter.matches(s->key)) out.push_back(s);
    }
  }
  return out;
}

void RollupEngine::collect(const RollupQuery& q, const Segment& seg, Grouped& out) const {
  if (seg.source == Source::kRaw) {
    for (const auto& tenant : q.filter.tenant_ids) {
      raw_({tenant, seg.from, seg.to, applied_seq_}, [&](const Event& e) {
        const SeriesKey key = SeriesKey::of(e);
        if (q.filter.matches(key))
          out[labels_of(key, q.group_by)][step_floor(e.time, q.step)].add(e);
      });
    }
    return;
  }
  for (const Series* s : matching_series(q.filter)) {
    const auto& tier = seg.source == Source::kHours ? s->hours : s->minutes;
    auto it = tier.lower_bound(seg.from);
    if (it == tier.end() || it->first >= seg.to) continue;
    // Labels are computed once per series, and buckets arrive in time order, so the output
    // bucket is usually the one just used.
    auto& buckets = out[labels_of(s->key, q.group_by)];
    auto current = buckets.end();
    for (; it != tier.end() && it->first < seg.to; ++it) {
      const TimeMs bucket = step_floor(it->first, q.step);
      if (current == buckets.end() || current->first != bucket) {
        current = buckets.try_emplace(bucket).first;
      }
      current->second.merge(it->second);
    }
  }
}

RollupResult RollupEngine::query(const RollupQuery& q) const {
  Grouped grouped;
  {
    std::shared_lock lock(mutex_);
    for (const Segment& seg : plan(q.from, q.to, q.step)) collect(q, seg, grouped);
  }
  RollupResult out;
  for (auto& [labels, buckets] : grouped) {
    for (auto& [bucket, aggregate] : buckets) {
      out.emplace_hint(out.end(), GroupKey{bucket, labels}, std::move(aggregate));
    }
  }
  return out;
}

Aggregate RollupEngine::total(const RollupFilter& filter, TimeMs from, TimeMs to) const {
  RollupQuery q;
  q.filter = filter;
  q.from = from;
  q.to = to;
  RollupResult r = query(q);
  return r.empty() ? Aggregate{} : std::move(r.begin()->second);
}

void RollupEngine::expire(TimeMs now) {
  std::unique_lock lock(mutex_);
  minute_floor_ = std::max(minute_floor_, floor_to(now - options_.minute_horizon, kMsPerMinute));
  const TimeMs hour_cutoff = floor_to(now - options_.retention, kMsPerHour);
  for (auto it = series_.begin(); it != series_.end();) {
    Series& s = *it->second;
    s.minutes.erase(s.minutes.begin(), s.minutes.lower_bound(minute_floor_));
    s.hours.erase(s.hours.begin(), s.hours.lower_bound(hour_cutoff));
    if (s.hours.empty() && s.minutes.empty()) {
      unindex(by_tenant_, s.key.tenant_id, &s);
      unindex(by_tenant_key_, tenant_key(s.key.tenant_id, s.key.key), &s);
      it = series_.erase(it);
    } else {
      ++it;
    }
  }
}

std::int64_t RollupEngine::applied_seq() const {
  std::shared_lock lock(mutex_);
  return applied_seq_;
}

size_t RollupEngine::series_count() const {
  std::shared_lock lock(mutex_);
  return series_.size();
}

size_t RollupEngine::bucket_count() const {
  std::shared_lock lock(mutex_);
  size_t n = 0;
  for (const auto& [key, s] : series_) n += s->minutes.size() + s->hours.size();
  return n;
}

}  // namespace vitals
