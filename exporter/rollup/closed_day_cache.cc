#include "rollup/closed_day_cache.h"

#include <algorithm>

namespace vitals {
namespace {

// Every part is written with its length (or, for a missing option, as absent), so no two
// queries share a key.
void append_field(std::string& key, std::string_view value) {
  key += std::to_string(value.size());
  key += ':';
  key += value;
}

void append_option(std::string& key, const std::optional<std::string>& value) {
  if (!value) {
    key += '-';
    return;
  }
  key += '+';
  append_field(key, *value);
}

}  // namespace

std::string ClosedDayCache::key_of(const RollupQuery& q, TimeMs from, TimeMs to) {
  std::string key;
  key += std::to_string(from) + ',' + std::to_string(to) + ',';
  key += std::to_string(static_cast<int>(q.step)) + ',';
  for (Dimension d : q.group_by) key += static_cast<char>('a' + static_cast<int>(d));
  key += ',' + std::to_string(q.filter.tenant_ids.size()) + ',';
  for (const std::string& tenant : q.filter.tenant_ids) append_field(key, tenant);
  append_option(key, q.filter.type);
  append_option(key, q.filter.key);
  append_option(key, q.filter.mode);
  key += q.filter.status ? static_cast<char>('0' + static_cast<int>(*q.filter.status)) : '-';
  append_option(key, q.filter.category);
  return key;
}

// An estimate that counts what grows: the sketches' bins, item kinds and labels, a map node
// per group, the key, the tenants and the entry itself.
size_t ClosedDayCache::bytes_of(const Entry& entry) {
  constexpr size_t kMapNode = 48;
  size_t bytes = sizeof(Entry) + sizeof(RollupResult) + entry.key.size();
  for (const std::string& tenant : entry.tenant_ids) bytes += tenant.size();
  for (const auto& [group, aggregate] : *entry.sums) {
    bytes += kMapNode + sizeof(GroupKey) + sizeof(Aggregate);
    for (const std::string& label : group.labels) bytes += sizeof(std::string) + label.size();
    bytes += aggregate.latency.bin_count() * sizeof(std::uint64_t);
    bytes += aggregate.items.size() * sizeof(aggregate.items.front());
  }
  return bytes;
}

ClosedDayCache::Sums ClosedDayCache::find(const RollupQuery& query, TimeMs from, TimeMs to) {
  const std::string key = key_of(query, from, to);
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->sums;
}

ClosedDayCache::Sums ClosedDayCache::insert(const RollupQuery& query, TimeMs from, TimeMs to,
                                            RollupResult sums) {
  Entry entry{key_of(query, from, to), query.filter.tenant_ids, from, to,
              std::make_shared<const RollupResult>(std::move(sums))};
  entry.bytes = bytes_of(entry);
  Sums kept = entry.sums;
  if (entry.bytes > max_bytes_) return kept;
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(entry.key); it != index_.end()) erase(it->second);
  while (!entries_.empty() && bytes_ + entry.bytes > max_bytes_) erase(std::prev(entries_.end()));
  bytes_ += entry.bytes;
  entries_.push_front(std::move(entry));
  index_.emplace(entries_.front().key, entries_.begin());
  return kept;
}

void ClosedDayCache::forget(std::span<const Event* const> events) {
  if (events.empty()) return;
  struct Span {
    TimeMs first;
    TimeMs last;
  };
  std::unordered_map<std::string_view, Span> by_tenant;
  for (const Event* e : events) {
    auto [it, inserted] = by_tenant.try_emplace(e->tenant_id, Span{e->time, e->time});
    it->second.first = std::min(it->second.first, e->time);
    it->second.last = std::max(it->second.last, e->time);
  }
  std::lock_guard lock(mutex_);
  erase_if([&](const Entry& entry) {
    return std::any_of(entry.tenant_ids.begin(), entry.tenant_ids.end(), [&](const auto& tenant) {
      auto it = by_tenant.find(tenant);
      return it != by_tenant.end() && it->second.first < entry.to && it->second.last >= entry.from;
    });
  });
}

void ClosedDayCache::forget_before(TimeMs cutoff) {
  std::lock_guard lock(mutex_);
  erase_if([&](const Entry& entry) { return entry.from < cutoff; });
}

void ClosedDayCache::clear() {
  std::lock_guard lock(mutex_);
  erase_if([](const Entry&) { return true; });
}

TimeMs ClosedDayCache::end() const {
  std::lock_guard lock(mutex_);
  TimeMs end = kNoTime;
  for (const Entry& entry : entries_) end = std::max(end, entry.to);
  return end;
}

ClosedDayCache::Stats ClosedDayCache::stats() const {
  std::lock_guard lock(mutex_);
  return {entries_.size(), bytes_, hits_, misses_};
}

template <class Drop>
void ClosedDayCache::erase_if(Drop drop) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (drop(*it)) erase(it);
    it = next;
  }
}

void ClosedDayCache::erase(Entries::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->key);
  entries_.erase(it);
}

}  // namespace vitals
