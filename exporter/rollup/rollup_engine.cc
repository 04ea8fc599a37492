#include "rollup/rollup_engine.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <tuple>

namespace vitals {
namespace {

TimeMs ceil_to(TimeMs t, TimeMs step) {
  return -floor_to(-t, step);
}

// 1970-01-01 was a Thursday; Monday 1970-01-05 anchors the week grid.
constexpr TimeMs kWeekAnchor = 4 * kMsPerDay;

// The buckets of the group `key` falls in, made on first use.
template <class Grouped>
auto& group_of(Grouped& out, const SeriesKey& key, const std::vector<Dimension>& dims) {
  thread_local std::vector<std::string_view> labels;
  labels.clear();
  for (Dimension d : dims) labels.push_back(key.get(d));
  auto it = out.lower_bound(labels);
  if (it == out.end() || out.key_comp()(labels, it->first)) {
    it = out.try_emplace(it, std::vector<std::string>(labels.begin(), labels.end()));
  }
  return it->second;
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

namespace {

RollupTable table_of(std::initializer_list<Dimension> dimensions, std::vector<Tier> tiers) {
  DimensionSet set = 0;
  for (Dimension d : dimensions) set |= dimension_bit(d);
  return RollupTable(set, std::move(tiers));
}

// The projections answer what the dashboards ask: totals and time series per tenant, and
// breakdowns by key, by mode and by error category. Day buckets make a 30-day window 30 merges
// per group; hour buckets serve the days' ragged edges and hourly series. The by-key table has
// no hours: at 10 M events they were 2.8 M buckets, half a GiB, and the full table answers the
// same hours as fast, its series found through the same tenant-and-key index.
// Minute edges and any other grouping come from the full table.
std::vector<RollupTable> default_tables() {
  const std::vector<Tier> days_and_hours = {Tier::kDay, Tier::kHour};
  std::vector<RollupTable> tables;
  tables.push_back(table_of({}, days_and_hours));
  tables.push_back(table_of({Dimension::kKey}, {Tier::kDay}));
  tables.push_back(table_of({Dimension::kMode}, days_and_hours));
  tables.push_back(table_of({Dimension::kStatus, Dimension::kCategory}, days_and_hours));
  tables.emplace_back(kAllDimensions, std::vector<Tier>{Tier::kHour, Tier::kMinute},
                      /*keeps_recent=*/true);
  return tables;
}

// Whether buckets of this tier each fall inside one output bucket.
bool fits(Tier tier, Step step) {
  switch (tier) {
    case Tier::kDay:
      return step == Step::kNone || step == Step::kDay || step == Step::kWeek;
    case Tier::kHour:
      return step != Step::kMinute;
    case Tier::kMinute:
      return true;
  }
  return false;
}

}  // namespace

RollupEngine::RollupEngine(RollupOptions options, RawEventReader raw, TimeMs now)
    : options_(options),
      raw_(std::move(raw)),
      tables_(default_tables()),
      minute_floor_(floor_to(now - options.minute_horizon, kMsPerMinute)),
      recent_floor_(now),
      newest_day_(floor_to(now, kMsPerDay)),
      closed_days_(options.closed_day_cache_bytes) {}

void RollupEngine::apply(const std::vector<StoredEventRef>& events) {
  // A few thousand events at a time: a group commit of 64k events would otherwise keep every
  // query (and the next group's series check) waiting for the whole of it.
  constexpr size_t kEventsPerLock = 2048;
  for (size_t first = 0; first < events.size(); first += kEventsPerLock) {
    const size_t end = std::min(events.size(), first + kEventsPerLock);
    std::unique_lock lock(mutex_);
    const TimeMs cached_until = closed_days_.end();
    std::vector<const Event*> into_cached_days;
    for (size_t i = first; i < end; ++i) {
      const HashedEvent hashed(*events[i].event);
      for (RollupTable& table : tables_) table.add(hashed, minute_floor_, recent_floor_);
      applied_seq_ = std::max(applied_seq_, events[i].seq);
      const TimeMs time = events[i].event->time;
      newest_day_ = std::max(newest_day_, floor_to(time, kMsPerDay));
      if (time < cached_until) into_cached_days.push_back(events[i].event);
    }
    closed_days_.forget(into_cached_days);
    if (tables_.back().recent_count() > options_.max_recent_events) shed_recent_events();
  }
}

void RollupEngine::shed_recent_events() {
  ++recent_bound_hits_;
  RollupTable& full = tables_.back();
  const TimeMs latest = std::max(recent_floor_, full.latest_recent());
  while (full.recent_count() > options_.max_recent_events / 2 && recent_floor_ < latest) {
    recent_floor_ += std::max<TimeMs>(1, (latest - recent_floor_) / 2);
    full.erase_recent_before(recent_floor_);
  }
}

std::vector<RollupEngine::Segment> RollupEngine::plan(const RollupQuery& q) const {
  std::vector<Segment> out;
  cover(q.from, q.to, 0, q, dimensions_needed(q), out);
  return out;
}

void RollupEngine::cover(TimeMs from, TimeMs to, size_t tier_index, const RollupQuery& q,
                         DimensionSet needed, std::vector<Segment>& out) const {
  if (from >= to) return;
  if (tier_index == kTiers.size()) {
    out.push_back({nullptr, Tier::kMinute, from, to});
    return;
  }
  const Tier tier = kTiers[tier_index];
  const RollupTable* table = fits(tier, q.step) ? table_for(needed, tier) : nullptr;
  const TimeMs width = tier_width(tier);
  TimeMs whole_from = ceil_to(from, width);
  if (tier == Tier::kMinute) whole_from = std::max(whole_from, minute_floor_);
  const TimeMs whole_to = floor_to(to, width);
  if (table == nullptr || whole_from >= whole_to) {
    cover(from, to, tier_index + 1, q, needed, out);
    return;
  }
  cover(from, whole_from, tier_index + 1, q, needed, out);
  out.push_back({table, tier, whole_from, whole_to});
  cover(whole_to, to, tier_index + 1, q, needed, out);
}

const RollupTable* RollupEngine::table_for(DimensionSet needed, Tier tier) const {
  for (const RollupTable& table : tables_) {
    if (table.has(tier) && table.covers(needed)) return &table;
  }
  return nullptr;
}

void RollupEngine::collect_raw(const RollupQuery& q, const Segment& seg, Grouped& out) const {
  for (const auto& tenant : q.filter.tenant_ids) {
    raw_({tenant, seg.from, seg.to, applied_seq_}, [&](const Event& e) {
      const SeriesKey key = SeriesKey::of(e);
      if (q.filter.matches(key)) group_of(out, key, q.group_by)[step_floor(e.time, q.step)].add(e);
    });
  }
}

// All segments read from one table (recent edges count as the full table's) in one walk over
// its series, each series' group found once: a rule's window is a run of minute buckets and two
// recent edges, and finding the group three times was a tenth of a rule cycle.
void RollupEngine::collect(const RollupQuery& q, const RollupTable& table,
                           std::span<const Segment> segments, Grouped& out) const {
  using Buckets = std::map<TimeMs, AggregateAccumulator>;
  for (const RollupTable::Series* s : table.matching(q.filter)) {
    Buckets* buckets = nullptr;  // the series' group, found at its first event or bucket
    Buckets::iterator current;
    // Events and buckets arrive in time order, so the output bucket is usually the last one.
    auto aggregate_at = [&](TimeMs t) -> AggregateAccumulator& {
      if (buckets == nullptr) {
        buckets = &group_of(out, s->key, q.group_by);
        current = buckets->end();
      }
      const TimeMs bucket = step_floor(t, q.step);
      if (current == buckets->end() || current->first != bucket) {
        current = buckets->try_emplace(bucket).first;
      }
      return current->second;
    };
    for (const Segment& seg : segments) {
      if (seg.table == nullptr) {
        for (const RecentEvents::Entry& e : s->recent.range(seg.from, seg.to)) {
          AggregateAccumulator& a = aggregate_at(e.time);
          a.add_one(s->key.status, e.time, e.latency_ms());
          if (e.counts) a.add_items(*e.counts);
        }
        continue;
      }
      for (const BucketList::Bucket& b :
           s->tiers[static_cast<size_t>(seg.tier)].range(seg.from, seg.to)) {
        b.value.merge_into(aggregate_at(b.start), b.start);
      }
    }
  }
}

void RollupEngine::collect_closed_days(const RollupQuery& q, const Segment& days,
                                       Grouped& out) const {
  ClosedDayCache::Sums sums = closed_days_.find(q, days.from, days.to);
  if (sums == nullptr) {
    Grouped read;
    collect(q, *days.table, {&days, 1}, read);
    sums = closed_days_.insert(q, days.from, days.to, flatten(read));
  }
  for (const auto& [group, aggregate] : *sums) out[group.labels][group.bucket].merge(aggregate);
}

RollupResult RollupEngine::flatten(Grouped& grouped) {
  RollupResult out;
  for (auto& [labels, buckets] : grouped) {
    for (auto& [bucket, aggregate] : buckets) {
      out.emplace_hint(out.end(), GroupKey{bucket, labels}, aggregate.take());
    }
  }
  return out;
}

RollupResult RollupEngine::query(const RollupQuery& q) const {
  Grouped grouped;
  {
    std::shared_lock lock(mutex_);
    // Segments by the table they read, in the order tables first appear.
    std::vector<std::pair<const RollupTable*, std::vector<Segment>>> by_table;
    auto read_later = [&](const RollupTable* table, const Segment& seg) {
      if (seg.from >= seg.to) return;
      auto it = std::find_if(by_table.begin(), by_table.end(),
                             [&](const auto& entry) { return entry.first == table; });
      if (it == by_table.end()) it = by_table.insert(by_table.end(), {table, {}});
      it->second.push_back(seg);
    };
    for (const Segment& seg : plan(q)) {
      if (seg.table == nullptr) {
        if (seg.from < recent_floor_) {
          collect_raw(q, seg, grouped);
        } else {
          read_later(&tables_.back(), seg);
        }
        continue;
      }
      // Whole days before the newest from the cache; the rest of the segment from the table.
      const TimeMs days_from = ceil_to(seg.from, kMsPerDay);
      const TimeMs days_to = std::min(floor_to(seg.to, kMsPerDay), newest_day_);
      if (days_to - days_from < kMsPerDay || !closed_days_.enabled()) {
        read_later(seg.table, seg);
        continue;
      }
      read_later(seg.table, {seg.table, seg.tier, seg.from, days_from});
      collect_closed_days(q, {seg.table, seg.tier, days_from, days_to}, grouped);
      read_later(seg.table, {seg.table, seg.tier, days_to, seg.to});
    }
    for (const auto& [table, segments] : by_table) collect(q, *table, segments, grouped);
  }
  return flatten(grouped);
}

Aggregate RollupEngine::total(const RollupFilter& filter, TimeMs from, TimeMs to) const {
  RollupQuery q;
  q.filter = filter;
  q.from = from;
  q.to = to;
  RollupResult r = query(q);
  return r.empty() ? Aggregate{} : std::move(r.begin()->second);
}

std::map<RollupEngine::IntegrationId, RollupEngine::LastSeen> RollupEngine::last_seen(
    const RollupFilter& filter, TimeMs from, TimeMs to) const {
  std::map<IntegrationId, LastSeen> out;
  std::shared_lock lock(mutex_);
  const RollupTable& full = tables_.back();
  for (const RollupTable::Series* s : full.matching(filter)) {
    const auto buckets = s->tiers[static_cast<size_t>(Tier::kHour)].range(from, to);
    if (buckets.empty()) continue;
    LastSeen& seen = out[{s->key.tenant_id, s->key.type, s->key.key}];
    for (const BucketList::Bucket& b : buckets) {
      seen.success = std::max(seen.success, b.value.last_success(b.start));
      seen.failure = std::max(seen.failure, b.value.last_failure(b.start));
    }
  }
  return out;
}

// A day bucket is kept while any of its hours is, so nothing inside the retention is lost from
// the day tier (a window reaching past the retention may see a few hours more there).
//
// The series are visited a few thousand at a time, the lock released between parts: one pass
// over 10 M events' rollups (its walk over the recent events included) held it for 220-300 ms,
// and every batch and query waited that out; the longest query beside a pass now waits
// 6-9 ms. A query between parts may see some series' old buckets gone and others' not, which
// only a window past the retention can tell; minute buckets before the floor are never read.
void RollupEngine::expire(TimeMs now) {
  std::lock_guard one_pass_at_a_time(expire_mutex_);
  std::array<TimeMs, kTiers.size()> cutoffs{};
  TimeMs hour_cutoff = 0;
  TimeMs recent_floor = 0;
  {
    std::unique_lock lock(mutex_);
    minute_floor_ = std::max(minute_floor_, floor_to(now - options_.minute_horizon, kMsPerMinute));
    hour_cutoff = floor_to(now - options_.retention, kMsPerHour);
    cutoffs[static_cast<size_t>(Tier::kDay)] = floor_to(hour_cutoff, kMsPerDay);
    cutoffs[static_cast<size_t>(Tier::kHour)] = hour_cutoff;
    cutoffs[static_cast<size_t>(Tier::kMinute)] = minute_floor_;
    // Raised first: edges before it are read from the store from now on, so the recent events
    // the parts below erase are never read again.
    recent_floor_ = std::max(recent_floor_, now - options_.recent_horizon);
    recent_floor = recent_floor_;
  }
  constexpr size_t kSeriesPerLock = 4096;
  RollupTable::ExpiryCursor cursor;
  for (size_t table = 0;;) {
    std::unique_lock lock(mutex_);
    if (table == tables_.size()) break;
    if (tables_[table].expire_some(cutoffs, recent_floor, cursor, kSeriesPerLock)) {
      ++table;
      cursor = {};
    }
  }
  std::unique_lock lock(mutex_);
  // After the last part, so that no sum a query made over half-expired days stays cached.
  closed_days_.forget_before(hour_cutoff);
}

RollupEngine::SnapshotLayout RollupEngine::snapshot_layout(size_t buckets_per_part) const {
  std::shared_lock lock(mutex_);
  SnapshotLayout layout{minute_floor_, applied_seq_, {}};
  for (size_t t = 0; t < tables_.size(); ++t) {
    const size_t parts =
        std::clamp<size_t>(tables_[t].bucket_count() / std::max<size_t>(1, buckets_per_part), 1,
                           std::max<size_t>(1, tables_[t].series_count()));
    for (size_t p = 0; p < parts; ++p) layout.parts.push_back({t, p, parts});
  }
  return layout;
}

void RollupEngine::write_part(BinaryWriter& out, const SnapshotPart& part) const {
  std::shared_lock lock(mutex_);
  tables_.at(part.table).write(out, part.part, part.parts);
}

void RollupEngine::check_layout(const SnapshotLayout& layout) const {
  const size_t tables = default_tables().size();
  size_t table = 0;
  size_t part = 0;
  for (const SnapshotPart& p : layout.parts) {
    if (p.table != table || p.part != part || p.parts == 0 || p.part >= p.parts) {
      throw BinaryFormatError("the parts of the rollup tables are out of order");
    }
    if (++part == p.parts) {
      ++table;
      part = 0;
    }
  }
  if (table != tables || part != 0) throw BinaryFormatError("the rollup tables differ");
}

RollupTable RollupEngine::read_part(BinaryReader& in, const SnapshotPart& part) const {
  RollupTable table = std::move(default_tables().at(part.table));
  table.read(in);
  return table;
}

RollupEngine::State RollupEngine::assemble(const SnapshotLayout& layout,
                                           std::vector<RollupTable> parts) const {
  State state;
  state.minute_floor = layout.minute_floor;
  state.applied_seq = layout.applied_seq;
  state.tables = default_tables();
  for (size_t i = 0; i < parts.size(); ++i) {
    state.tables.at(layout.parts.at(i).table).absorb(std::move(parts[i]));
  }
  return state;
}

void RollupEngine::adopt(State state) {
  std::unique_lock lock(mutex_);
  tables_ = std::move(state.tables);
  minute_floor_ = std::max(minute_floor_, state.minute_floor);
  // The state's events are not among the recent ones: edges over them are read from the store.
  const TimeMs end = tables_.back().end_of_buckets();
  recent_floor_ = std::max(recent_floor_, end);
  applied_seq_ = state.applied_seq;
  if (end != kNoTime) newest_day_ = std::max(newest_day_, floor_to(end - 1, kMsPerDay));
  closed_days_.clear();
}

RollupEngine::RecentState RollupEngine::recent_state() const {
  std::shared_lock lock(mutex_);
  return {tables_.back().recent_count(), recent_floor_, recent_bound_hits_};
}

std::int64_t RollupEngine::applied_seq() const {
  std::shared_lock lock(mutex_);
  return applied_seq_;
}

std::vector<size_t> RollupEngine::past_series_limit(const std::vector<Event>& events,
                                                    size_t limit) const {
  PendingSeries none;
  return past_series_limit(events, limit, none, false);
}

bool RollupEngine::may_reach_series_limit(const EventsByTenant& events, size_t limit) const {
  std::shared_lock lock(mutex_);
  const RollupTable& full = tables_.back();
  for (const auto& [tenant, count] : events) {
    if (full.series_count(std::string(tenant)) + count >= limit) return true;
  }
  return false;
}

std::vector<size_t> RollupEngine::past_series_limit(const std::vector<Event>& events, size_t limit,
                                                    PendingSeries& pending,
                                                    bool all_or_nothing) const {
  std::shared_lock lock(mutex_);
  const RollupTable& full = tables_.back();
  PendingSeries mine = all_or_nothing ? pending : PendingSeries{};
  PendingSeries& into = all_or_nothing ? mine : pending;
  std::vector<size_t> past;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    const auto series =
        std::tuple(std::string_view(e.tenant_id), std::string_view(e.type), std::string_view(e.key),
                   std::string_view(e.mode), e.status, std::string_view(e.error_category));
    if (into.started.contains(series) || full.holds_series_of(HashedEvent(e))) continue;
    auto [tenant, first_seen] = into.held.try_emplace(e.tenant_id, 0);
    if (first_seen) tenant->second = full.series_count(e.tenant_id);
    if (tenant->second >= limit) {
      past.push_back(i);
      continue;
    }
    ++tenant->second;
    into.started.insert(series);
  }
  if (all_or_nothing && past.empty()) pending = std::move(mine);
  return past;
}

size_t RollupEngine::series_count() const {
  std::shared_lock lock(mutex_);
  return tables_.back().series_count();
}

size_t RollupEngine::bucket_count() const {
  std::shared_lock lock(mutex_);
  size_t n = 0;
  for (const RollupTable& table : tables_) n += table.bucket_count();
  return n;
}

}  // namespace vitals
