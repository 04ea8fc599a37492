#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rollup/rollup_query.h"

namespace vitals {

// What a query summed over whole past days, as its groups and step buckets, kept so that the
// next query over the same days merges one stored sum per group and bucket instead of every
// day's buckets again. Dashboards ask for the same month every time they refresh, and a window
// that moves by minutes still holds the same whole days; at 10 M events the 30 day buckets of
// 200 keys were most of an envelope.
//
// An entry answers for the days [from, to) of one filter, grouping and step: the sum does not
// depend on which table it was read from. It is dropped the moment an event of one of its
// tenants lands in its days (the engine reports every applied event older than end()), when
// retention reaches its first day, and least recently used first past the bound in bytes. So
// a hit gives the same counts, times and sketch bins as reading the buckets again would (a
// latency sum may differ in its last bits, being added in another order).
//
// Synchronised: queries share the engine's lock and use the cache together.
class ClosedDayCache {
 public:
  using Sums = std::shared_ptr<const RollupResult>;
  struct Stats {
    size_t entries = 0;
    size_t bytes = 0;
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
  };

  explicit ClosedDayCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // A cache of 0 bytes keeps nothing, and queries read every day from the buckets.
  bool enabled() const { return max_bytes_ > 0; }
  // Null when nothing is kept for these days of this query (counted as a miss).
  Sums find(const RollupQuery& query, TimeMs from, TimeMs to);
  // Keeps `sums` unless they alone are over the bound; returns them either way.
  Sums insert(const RollupQuery& query, TimeMs from, TimeMs to, RollupResult sums);

  // Drops the entries that any of `events` falls in. Events are taken by tenant and the span
  // of their times, so an entry whose days lie between two events of one tenant goes too: a
  // read more later, never a wrong answer, for one pass over the entries per call.
  void forget(std::span<const Event* const> events);
  // Drops the entries holding any time before `cutoff`.
  void forget_before(TimeMs cutoff);
  void clear();

  // No entry holds a time at or after it: later events cannot be in any. A walk over the
  // entries, once per few thousand events the engine applies.
  TimeMs end() const;
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    std::vector<std::string> tenant_ids;
    TimeMs from = 0;
    TimeMs to = 0;
    Sums sums;
    size_t bytes = 0;
  };
  using Entries = std::list<Entry>;  // most recently used first

  static std::string key_of(const RollupQuery& query, TimeMs from, TimeMs to);
  static size_t bytes_of(const Entry& entry);
  template <class Drop>
  void erase_if(Drop drop);
  void erase(Entries::iterator it);

  const size_t max_bytes_;
  mutable std::mutex mutex_;
  Entries entries_;
  std::unordered_map<std::string_view, Entries::iterator> index_;  // views of entries' keys
  size_t bytes_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace vitals
