#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rollup/bucket_list.h"
#include "rollup/owning_hash_set.h"
#include "rollup/recent_events.h"
#include "rollup/rollup_query.h"

namespace vitals {

// The widths of bucket the rollups keep, coarsest first.
enum class Tier { kDay, kHour, kMinute };
inline constexpr std::array<Tier, 3> kTiers = {Tier::kDay, Tier::kHour, Tier::kMinute};
TimeMs tier_width(Tier tier);

// A set of dimensions, one bit per Dimension.
using DimensionSet = unsigned;
constexpr DimensionSet dimension_bit(Dimension d) {
  return 1u << static_cast<unsigned>(d);
}
inline constexpr DimensionSet kAllDimensions = (1u << 6) - 1;

// The dimensions a query needs a table to keep: those it filters on and those it groups by.
DimensionSet dimensions_needed(const RollupQuery& query);

// An event with the hashes of its string fields (tenant, type, key, mode, category), computed
// once for all the tables it is added to.
struct HashedEvent {
  explicit HashedEvent(const Event& e);
  const Event& event;
  std::array<size_t, 5> field_hashes;
};

// The events projected onto some of their dimensions (the tenant always among them), in time
// buckets of some of the tiers. The full table keeps every dimension; narrower ones hold the
// same events in far fewer series, so a query that groups by one dimension merges a few
// hundred buckets instead of one per full series and hour.
//
// Not synchronised: the RollupEngine that owns the tables guards them.
class RollupTable {
 public:
  struct Series {
    SeriesKey key;  // dimensions outside the table are empty (status: success)
    std::array<BucketList, kTiers.size()> tiers;  // indexed by Tier
    RecentEvents recent;                          // in a table that keeps recent events
  };

  // `keeps_recent`: the table also keeps each series' exact events from a floor on.
  RollupTable(DimensionSet dimensions, std::vector<Tier> tiers, bool keeps_recent = false);

  bool covers(DimensionSet needed) const { return (needed & ~dimensions_) == 0; }
  bool has(Tier tier) const;

  // `minute_floor`: minute buckets before it are not kept; `recent_floor`: nor recent events.
  void add(const HashedEvent& event, TimeMs minute_floor, TimeMs recent_floor);
  // Series of the listed tenants that the filter takes (its dimensions must be kept here).
  std::vector<const Series*> matching(const RollupFilter& filter) const;
  // Where a retention pass in parts goes on: a slot of the series set, in the set's layout
  // when the pass reached it.
  struct ExpiryCursor {
    size_t next_slot = 0;
    size_t layout = 0;
  };
  // Drops buckets starting before each tier's cutoff, recent events before `recent_floor`, and
  // series left empty, in the series of the set's slots from the cursor on until at least
  // `max_series` are visited; the cursor is left where the next call goes on. Returns whether
  // the pass is done. A retention pass goes a part at a time so that ingest and queries are not
  // held up for all of it. Series added between parts may or may not be visited; when they grow
  // the set, which moves every series, the walk starts again from the first slot, so every
  // series that was there when the pass began is visited.
  bool expire_some(const std::array<TimeMs, kTiers.size()>& cutoffs, TimeMs recent_floor,
                   ExpiryCursor& cursor, size_t max_series);

  // Series and buckets in the binary snapshot format: part `part` of `parts` of the series, in
  // the table's own order (a snapshot is written in parts so that a start reads them on every
  // core at once). `read` expects a table of the same dimensions and tiers (it throws
  // BinaryFormatError otherwise) and adds to what it holds.
  void write(BinaryWriter& out, size_t part = 0, size_t parts = 1) const;
  void read(BinaryReader& in);
  // Moves every series of `other`, a table of the same dimensions and tiers, into this one;
  // throws BinaryFormatError when both hold the same series.
  void absorb(RollupTable&& other);

  // Drops recent events before `floor`.
  void erase_recent_before(TimeMs floor);
  size_t recent_count() const { return recent_; }
  TimeMs latest_recent() const;
  // The end of the latest bucket held: no event the table holds is at or after it.
  TimeMs end_of_buckets() const;

  size_t series_count() const { return series_.size(); }
  size_t series_count(const std::string& tenant_id) const;
  // Whether the event falls into a series the table already holds.
  bool holds_series_of(const HashedEvent& event) const { return find(project(event)) != nullptr; }
  // Kept as buckets come and go: a scrape reads it, and walking a million series to count
  // them took 2 s of every scrape.
  size_t bucket_count() const { return buckets_; }

 private:
  // Lookups with the event's own strings and hashes, so adding an event to a known series
  // allocates nothing and hashes each field once for all tables.
  struct KeyRef {
    std::string_view tenant_id, type, key, mode;
    EventStatus status;
    std::string_view category;
    size_t hash;
    // The tenant id last: it is the one field kept on the heap, away from the series.
    bool operator==(const KeyRef& o) const {
      return status == o.status && type == o.type && key == o.key && mode == o.mode &&
             category == o.category && tenant_id == o.tenant_id;
    }
  };
  static KeyRef ref(const SeriesKey& key);  // its hash left 0: == does not read it
  static KeyRef hashed_ref(const SeriesKey& key);
  Series* find(const KeyRef& key) const;
  bool keeps_dimension(Dimension d) const { return (dimensions_ & dimension_bit(d)) != 0; }
  KeyRef project(const HashedEvent& event) const;
  Series& series_of(const HashedEvent& event);
  // Whether the series is left empty.
  bool drop_before(Series& series, const std::array<TimeMs, kTiers.size()>& cutoffs,
                   TimeMs recent_floor);
  Series& insert_series(SeriesKey key);
  static std::string tenant_key(std::string_view tenant_id, std::string_view key);

  DimensionSet dimensions_;
  std::array<bool, kTiers.size()> kept_{};
  OwningHashSet<Series> series_;
  std::unordered_map<std::string, std::vector<Series*>> by_tenant_;
  // By tenant and integration key, in tables that keep the key: queries about one integration
  // (telemetry, a filtered dashboard, a rule on one key) skip the tenant's other series.
  std::unordered_map<std::string, std::vector<Series*>> by_tenant_key_;
  size_t buckets_ = 0;
  bool keeps_recent_ = false;
  size_t recent_ = 0;  // recent events held
};

}  // namespace vitals
