#include "rollup/rollup_table.h"

#include "core/hash_mix.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <ranges>
#include <unordered_set>

namespace vitals {
namespace {

// Takes the series out of the index's lists, keeping the order of the rest. One walk per list
// however many of its series go: removing them one by one walked a tenant's whole list for each,
// and a pass that dropped a tenant's 100,000 series took 2.7 s.
template <class Index, class Series, class NameOf>
void unindex(Index& index, const std::vector<Series*>& gone, NameOf name_of) {
  std::unordered_map<std::string, std::unordered_set<const Series*>> by_name;
  for (const Series* s : gone) by_name[name_of(*s)].insert(s);
  for (const auto& entry : by_name) {  // not a structured binding: clang 14 cannot capture one
    const std::unordered_set<const Series*>& leaving = entry.second;
    auto it = index.find(entry.first);
    if (it == index.end()) continue;
    std::erase_if(it->second, [&](const Series* s) { return leaving.contains(s); });
    if (it->second.empty()) index.erase(it);
  }
}

size_t tier_index(Tier tier) {
  return static_cast<size_t>(tier);
}

size_t empty_hash() {
  static const size_t hash = std::hash<std::string_view>()({});
  return hash;
}

// The string dimensions of a series, in one order for hashing, projecting and comparing.
constexpr std::array<Dimension, 5> kStringDimensions = {
    Dimension::kTenant, Dimension::kType, Dimension::kKey, Dimension::kMode, Dimension::kCategory};
using StringFields = std::array<std::string_view, kStringDimensions.size()>;
using FieldHashes = std::array<size_t, kStringDimensions.size()>;

StringFields fields_of(const Event& e) {
  return {e.tenant_id, e.type, e.key, e.mode, e.error_category};
}

StringFields fields_of(const SeriesKey& k) {
  return {k.tenant_id, k.type, k.key, k.mode, k.category};
}

FieldHashes hashes_of(const StringFields& fields) {
  FieldHashes hashes;
  for (size_t i = 0; i < fields.size(); ++i) hashes[i] = std::hash<std::string_view>()(fields[i]);
  return hashes;
}

size_t combine(const FieldHashes& field_hashes, EventStatus status) {
  size_t seed = field_hashes[0];
  for (size_t i = 1; i < field_hashes.size(); ++i) {
    seed = hash_mix(seed, field_hashes[i]);
  }
  return seed ^ static_cast<size_t>(status);
}

}  // namespace

TimeMs tier_width(Tier tier) {
  switch (tier) {
    case Tier::kDay:
      return kMsPerDay;
    case Tier::kHour:
      return kMsPerHour;
    case Tier::kMinute:
      return kMsPerMinute;
  }
  return kMsPerMinute;
}

DimensionSet dimensions_needed(const RollupQuery& q) {
  DimensionSet needed = dimension_bit(Dimension::kTenant);
  const RollupFilter& f = q.filter;
  if (f.type) needed |= dimension_bit(Dimension::kType);
  if (f.key) needed |= dimension_bit(Dimension::kKey);
  if (f.mode) needed |= dimension_bit(Dimension::kMode);
  if (f.status) needed |= dimension_bit(Dimension::kStatus);
  if (f.category) needed |= dimension_bit(Dimension::kCategory);
  for (Dimension d : q.group_by) needed |= dimension_bit(d);
  return needed;
}

HashedEvent::HashedEvent(const Event& e) : event(e), field_hashes(hashes_of(fields_of(e))) {}

RollupTable::KeyRef RollupTable::ref(const SeriesKey& k) {
  return {k.tenant_id, k.type, k.key, k.mode, k.status, k.category, 0};
}

RollupTable::KeyRef RollupTable::hashed_ref(const SeriesKey& k) {
  KeyRef out = ref(k);
  out.hash = combine(hashes_of(fields_of(k)), k.status);
  return out;
}

RollupTable::Series* RollupTable::find(const KeyRef& key) const {
  return series_.find(key.hash, [&](const Series& s) { return ref(s.key) == key; });
}

RollupTable::RollupTable(DimensionSet dimensions, std::vector<Tier> tiers, bool keeps_recent)
    : dimensions_(dimensions | dimension_bit(Dimension::kTenant)), keeps_recent_(keeps_recent) {
  for (Tier t : tiers) kept_[tier_index(t)] = true;
}

bool RollupTable::has(Tier tier) const {
  return kept_[tier_index(tier)];
}

RollupTable::KeyRef RollupTable::project(const HashedEvent& hashed) const {
  const StringFields all = fields_of(hashed.event);
  StringFields kept;
  FieldHashes hashes;
  for (size_t i = 0; i < all.size(); ++i) {
    const bool keeps = keeps_dimension(kStringDimensions[i]);
    kept[i] = keeps ? all[i] : std::string_view();
    hashes[i] = keeps ? hashed.field_hashes[i] : empty_hash();
  }
  const EventStatus status =
      keeps_dimension(Dimension::kStatus) ? hashed.event.status : EventStatus::kSuccess;
  return {kept[0], kept[1], kept[2], kept[3], status, kept[4], combine(hashes, status)};
}

std::string RollupTable::tenant_key(std::string_view tenant_id, std::string_view key) {
  std::string out(tenant_id);
  out += '\0';
  out += key;
  return out;
}

RollupTable::Series& RollupTable::series_of(const HashedEvent& event) {
  const KeyRef k = project(event);
  if (Series* known = find(k)) return *known;
  return insert_series({std::string(k.tenant_id), std::string(k.type), std::string(k.key),
                        std::string(k.mode), k.status, std::string(k.category)});
}

RollupTable::Series& RollupTable::insert_series(SeriesKey key) {
  auto series = std::make_unique<Series>();
  series->key = std::move(key);
  by_tenant_[series->key.tenant_id].push_back(series.get());
  if (keeps_dimension(Dimension::kKey)) {
    by_tenant_key_[tenant_key(series->key.tenant_id, series->key.key)].push_back(series.get());
  }
  const size_t hash = hashed_ref(series->key).hash;
  return series_.insert(hash, std::move(series));
}

void RollupTable::add(const HashedEvent& hashed, TimeMs minute_floor, TimeMs recent_floor) {
  Series& s = series_of(hashed);
  const Event& event = hashed.event;
  if (keeps_recent_ && event.time >= recent_floor) {
    s.recent.add(event);
    ++recent_;
  }
  for (Tier tier : kTiers) {
    if (!has(tier) || (tier == Tier::kMinute && event.time < minute_floor)) continue;
    BucketList& buckets = s.tiers[tier_index(tier)];
    const size_t before = buckets.size();
    const TimeMs start = floor_to(event.time, tier_width(tier));
    buckets.at(start).add(event, start);
    buckets_ += buckets.size() - before;
  }
}

void RollupTable::erase_recent_before(TimeMs floor) {
  if (recent_ == 0) return;
  series_.for_each([&](Series& s) { recent_ -= s.recent.erase_before(floor); });
}

TimeMs RollupTable::latest_recent() const {
  TimeMs latest = kNoTime;
  series_.for_each([&](const Series& s) { latest = std::max(latest, s.recent.latest()); });
  return latest;
}

TimeMs RollupTable::end_of_buckets() const {
  TimeMs end = kNoTime;
  series_.for_each([&](const Series& s) {
    for (Tier tier : kTiers) {
      const auto buckets = s.tiers[tier_index(tier)].all();
      if (!buckets.empty()) end = std::max(end, buckets.back().start + tier_width(tier));
    }
  });
  return end;
}

size_t RollupTable::series_count(const std::string& tenant_id) const {
  auto it = by_tenant_.find(tenant_id);
  return it == by_tenant_.end() ? 0 : it->second.size();
}

std::vector<const RollupTable::Series*> RollupTable::matching(const RollupFilter& filter) const {
  std::vector<const Series*> out;
  const bool by_key = filter.key && keeps_dimension(Dimension::kKey);
  for (const auto& tenant : filter.tenant_ids) {
    const auto& index = by_key ? by_tenant_key_ : by_tenant_;
    auto it = index.find(by_key ? tenant_key(tenant, *filter.key) : tenant);
    if (it == index.end()) continue;
    for (const Series* s : it->second) {
      if (filter.matches(s->key)) out.push_back(s);
    }
  }
  return out;
}

bool RollupTable::expire_some(const std::array<TimeMs, kTiers.size()>& cutoffs, TimeMs recent_floor,
                              ExpiryCursor& cursor, size_t max_series) {
  if (cursor.layout != series_.layout()) {
    cursor = {0, series_.layout()};  // dropping what was dropped already is a no-op
  }
  size_t& next_slot = cursor.next_slot;
  std::vector<std::unique_ptr<Series>> emptied;
  size_t visited = 0;
  for (; next_slot < series_.positions() && visited < max_series; ++next_slot) {
    // Taking a series out may move the next of its probe run into this slot: look again.
    while (Series* s = series_.at(next_slot)) {
      ++visited;
      if (!drop_before(*s, cutoffs, recent_floor)) break;
      emptied.push_back(series_.extract_at(next_slot));
    }
  }
  std::vector<Series*> gone;
  for (const auto& s : emptied) gone.push_back(s.get());
  unindex(by_tenant_, gone, [](const Series& s) { return s.key.tenant_id; });
  unindex(by_tenant_key_, gone,
          [](const Series& s) { return tenant_key(s.key.tenant_id, s.key.key); });
  return next_slot >= series_.positions();
}

bool RollupTable::drop_before(Series& s, const std::array<TimeMs, kTiers.size()>& cutoffs,
                              TimeMs recent_floor) {
  recent_ -= s.recent.erase_before(recent_floor);
  bool empty = s.recent.empty();
  for (size_t i = 0; i < kTiers.size(); ++i) {
    const size_t before = s.tiers[i].size();
    s.tiers[i].erase_before(cutoffs[i]);
    buckets_ -= before - s.tiers[i].size();
    empty = empty && s.tiers[i].empty();
  }
  return empty;
}

void RollupTable::write(BinaryWriter& out, size_t part, size_t parts) const {
  out.u64(dimensions_);
  for (bool kept : kept_) out.u64(kept ? 1 : 0);
  const size_t first = series_.size() * part / parts;
  const size_t end = series_.size() * (part + 1) / parts;
  out.u64(end - first);
  size_t nth = 0;  // of the series, in slot order
  for (size_t position = 0; position < series_.positions() && nth < end; ++position) {
    const Series* s = series_.at(position);
    if (!s || nth++ < first) continue;
    const SeriesKey& key = s->key;
    for (std::string_view field : fields_of(key)) out.str(field);
    out.u64(static_cast<std::uint64_t>(key.status));
    for (size_t i = 0; i < kTiers.size(); ++i) {
      if (!kept_[i]) continue;
      const auto buckets = s->tiers[i].all();
      out.u64(buckets.size());
      for (const auto& b : buckets) {
        out.i64(b.start);
        b.value.write(out, b.start);
      }
    }
  }
}

void RollupTable::read(BinaryReader& in) {
  constexpr size_t kMaxLabelLength = 1 << 16;
  constexpr size_t kMaxCount = size_t{1} << 40;
  if (in.u64() != dimensions_) throw BinaryFormatError("a rollup table's dimensions differ");
  for (bool kept : kept_) {
    if (in.u64() != (kept ? 1u : 0u)) throw BinaryFormatError("a rollup table's tiers differ");
  }
  const size_t series_count = in.count(kMaxCount);
  for (size_t n = 0; n < series_count; ++n) {
    SeriesKey key;
    for (std::string* field : {&key.tenant_id, &key.type, &key.key, &key.mode, &key.category}) {
      *field = in.str(kMaxLabelLength);
    }
    const std::uint64_t status = in.u64();
    if (status >= kEventStatusCount) throw BinaryFormatError("a series has an unknown status");
    key.status = static_cast<EventStatus>(status);
    if (find(hashed_ref(key))) throw BinaryFormatError("a series appears twice");
    Series& s = insert_series(std::move(key));
    for (size_t i = 0; i < kTiers.size(); ++i) {
      if (!kept_[i]) continue;
      const size_t bucket_count = in.count(kMaxCount);
      s.tiers[i].reserve(bucket_count);
      TimeMs previous = std::numeric_limits<TimeMs>::min();
      for (size_t b = 0; b < bucket_count; ++b) {
        const TimeMs start = in.i64();
        if (start <= previous) throw BinaryFormatError("buckets are out of order");
        s.tiers[i].at(start) = BucketValue::read(in, start);
        ++buckets_;
        previous = start;
      }
    }
  }
}

void RollupTable::absorb(RollupTable&& other) {
  if (other.dimensions_ != dimensions_ || other.kept_ != kept_) {
    throw BinaryFormatError("a part of a rollup table has another shape");
  }
  series_.reserve(series_.size() + other.series_.size());
  other.series_.drain([&](size_t hash, std::unique_ptr<Series> s) {
    if (find(hashed_ref(s->key))) throw BinaryFormatError("a series appears twice");
    series_.insert(hash, std::move(s));
  });
  for (auto& [tenant, list] : other.by_tenant_) {
    auto& ours = by_tenant_[tenant];
    ours.insert(ours.end(), list.begin(), list.end());
  }
  for (auto& [key, list] : other.by_tenant_key_) {
    auto& ours = by_tenant_key_[key];
    ours.insert(ours.end(), list.begin(), list.end());
  }
  buckets_ += other.buckets_;
  recent_ += other.recent_;
  other.recent_ = 0;
  other.by_tenant_.clear();
  other.by_tenant_key_.clear();
  other.buckets_ = 0;
}

}  // namespace vitals
