#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <span>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/writer_first_shared_mutex.h"
#include "rollup/aggregate_accumulator.h"
#include "rollup/closed_day_cache.h"
#include "rollup/rollup_query.h"
#include "rollup/rollup_table.h"

namespace vitals {

struct RawScan {
  std::string tenant_id;
  TimeMs from = 0;
  TimeMs to = 0;
  std::int64_t max_seq = 0;  // only events already applied to the rollups
};

// Reads raw events from wherever they are kept (the event store); the rollups use it only for
// the ragged edges of a window that no whole bucket covers.
using RawEventReader =
    std::function<void(const RawScan&, const std::function<void(const Event&)>&)>;

struct RollupOptions {
  TimeMs retention = 35 * kMsPerDay;
  TimeMs minute_horizon = 8 * kMsPerDay;
  // Exact events are kept in memory for edges this recent, and at most this many of them: past
  // the bound the oldest go, and edges older than what is kept are read from the store again.
  TimeMs recent_horizon = kMsPerHour;
  size_t max_recent_events = 1'000'000;
  // What queries summed over whole past days is kept up to this size (rollup/closed_day_cache.h).
  size_t closed_day_cache_bytes = 32 << 20;
};

// In-memory time buckets over every event. The same events are kept in several tables: the
// full one (every dimension, minute and hour buckets) and narrower projections (the tenant
// alone, tenant and key, tenant and mode, tenant and error category) that also keep day
// buckets. A window [from, to) is cut into whole day buckets where the output buckets allow it,
// whole hour buckets at their edges, whole minute buckets at theirs, and raw events of the store
// for what is left (less than a minute at each end, or less than an hour beyond the minute
// tier); each piece is read from the narrowest table that keeps what the query filters and
// groups by in that tier. That keeps answers exact for any window while memory grows with series
// x hours, not events, and a one-tenant dashboard merges hundreds of buckets, not hundreds of
// thousands.
class RollupEngine {
 public:
  RollupEngine(RollupOptions options, RawEventReader raw, TimeMs now);

  // Applies newly committed events, in commit order.
  void apply(const std::vector<StoredEventRef>& events);
  void apply(const std::vector<StoredEvent>& events) { apply(refs_of(events)); }

  RollupResult query(const RollupQuery& query) const;
  // Everything matching `filter` in [from, to) as one aggregate (empty when nothing matches).
  Aggregate total(const RollupFilter& filter, TimeMs from, TimeMs to) const;

  // The latest success and failure of every (tenant, type, key) of `filter`'s tenants with events
  // in [from, to), read off the bucket times alone: what the last-seen gauges are restored from
  // at start-up, where a grouped query would merge every bucket's sketch for nothing.
  struct LastSeen {
    TimeMs success = kNoTime;
    TimeMs failure = kNoTime;
  };
  using IntegrationId = std::array<std::string, 3>;  // tenant, type, key
  std::map<IntegrationId, LastSeen> last_seen(const RollupFilter& filter, TimeMs from,
                                              TimeMs to) const;

  // The events of `events` that would each start a new series (a distinct type, key, mode,
  // status and error category) in a tenant already holding `limit` of them, counting the series
  // that earlier events of the list start: what limits.max_series_per_tenant refuses. Indexes,
  // ascending. Series leave when their last bucket expires, which makes room again.
  std::vector<size_t> past_series_limit(const std::vector<Event>& events, size_t limit) const;

  // Whether some tenant could reach `limit` series if each of its events counted here started
  // a series of its own. When none can (the usual case), no event needs checking.
  using EventsByTenant = std::unordered_map<std::string_view, size_t>;
  bool may_reach_series_limit(const EventsByTenant& events, size_t limit) const;

  // The series that batches checked earlier, but not applied yet, would start: so that batches
  // stored together in one commit are each checked as if the ones before had been applied.
  // It refers to those batches' strings, which must outlive it.
  struct PendingSeries {
    std::map<std::string_view, size_t> held;  // by tenant: series held, pending ones counted
    std::set<std::tuple<std::string_view, std::string_view, std::string_view, std::string_view,
                        EventStatus, std::string_view>>
        started;
  };
  // As above, counting `pending` too. The series the batch would start join `pending` unless
  // `all_or_nothing` and some event is past the limit (the batch is then refused whole).
  std::vector<size_t> past_series_limit(const std::vector<Event>& events, size_t limit,
                                        PendingSeries& pending, bool all_or_nothing) const;

  // Drops buckets that have left their tier's horizon.
  void expire(TimeMs now);

  // What the rollups hold, apart from the engine that holds it: read from a snapshot, checked,
  // then adopted.
  struct State {
    std::vector<RollupTable> tables;
    TimeMs minute_floor = 0;
    std::int64_t applied_seq = 0;
  };
  // The rollups in the binary snapshot format (see rollup_snapshot.h), as independent parts so
  // that a start can read them on every core: a large table is cut into parts of about
  // kBucketsPerSnapshotPart buckets. Take the layout and write its parts with no batch arriving
  // (as at shutdown), so that they agree with its applied_seq.
  struct SnapshotPart {
    size_t table = 0;  // index into the engine's tables
    size_t part = 0;
    size_t parts = 1;  // of that table
  };
  struct SnapshotLayout {
    TimeMs minute_floor = 0;
    std::int64_t applied_seq = 0;
    std::vector<SnapshotPart> parts;  // by table, then part
  };
  static constexpr size_t kBucketsPerSnapshotPart = 1 << 20;
  SnapshotLayout snapshot_layout(size_t buckets_per_part = kBucketsPerSnapshotPart) const;
  void write_part(BinaryWriter& out, const SnapshotPart& part) const;
  // Throws BinaryFormatError unless `layout` names every part of every table of an engine laid
  // out as this one exactly once, in order.
  void check_layout(const SnapshotLayout& layout) const;
  // Reads one part (from any thread) into a table of its own; throws BinaryFormatError.
  RollupTable read_part(BinaryReader& in, const SnapshotPart& part) const;
  // The parts of a checked layout, read in its order, as one state to adopt.
  State assemble(const SnapshotLayout& layout, std::vector<RollupTable> parts) const;
  // Replaces everything held with `state`; minute buckets stay complete only from the later of
  // the two minute floors.
  void adopt(State state);

  // The exact recent events that window edges are read from (rollup/recent_events.h).
  struct RecentState {
    size_t held = 0;
    TimeMs since = 0;  // edges at or after it are read from memory
    std::uint64_t bound_hits = 0;
  };
  RecentState recent_state() const;

  std::int64_t applied_seq() const;
  // Of the full table: one series per distinct tenant, type, key, mode, status and category.
  size_t series_count() const;
  // Of all tables.
  size_t bucket_count() const;
  ClosedDayCache::Stats closed_day_cache_stats() const { return closed_days_.stats(); }

 private:
  struct Segment {
    const RollupTable* table;  // null: raw events
    Tier tier;
    TimeMs from;
    TimeMs to;
  };

  std::vector<Segment> plan(const RollupQuery& query) const;
  void cover(TimeMs from, TimeMs to, size_t tier, const RollupQuery& query, DimensionSet needed,
             std::vector<Segment>& out) const;
  const RollupTable* table_for(DimensionSet needed, Tier tier) const;
  // Label lists in the order std::vector<std::string> has, comparable with lists of views too:
  // a series finds its group through views into its own key, so a hit allocates nothing.
  struct LabelsLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::lexicographical_compare(
          a.begin(), a.end(), b.begin(), b.end(),
          [](std::string_view x, std::string_view y) { return x < y; });
    }
  };
  // Results are gathered by group labels first, then by step bucket, and flattened at the end.
  using Grouped =
      std::map<std::vector<std::string>, std::map<TimeMs, AggregateAccumulator>, LabelsLess>;
  void collect(const RollupQuery& query, const RollupTable& table,
               std::span<const Segment> segments, Grouped& out) const;
  // A segment older than the recent events, from the store.
  void collect_raw(const RollupQuery& query, const Segment& segment, Grouped& out) const;
  // A segment of whole days before the newest one, from the cache or read and then cached.
  void collect_closed_days(const RollupQuery& query, const Segment& days, Grouped& out) const;
  static RollupResult flatten(Grouped& grouped);
  // Raises the recent floor until at most half the bound of recent events is left.
  void shed_recent_events();

  RollupOptions options_;
  RawEventReader raw_;
  mutable WriterFirstSharedMutex mutex_;  // ingest must not wait out a stream of reads
  std::mutex expire_mutex_;               // one retention pass at a time, taken before mutex_
  std::vector<RollupTable> tables_;       // narrowest first; the last keeps every dimension
  TimeMs minute_floor_;                   // minute buckets are complete from here on
  // Every applied event at or after it is among the full table's recent events.
  TimeMs recent_floor_;
  std::uint64_t recent_bound_hits_ = 0;
  std::int64_t applied_seq_ = 0;
  // The start of the latest day any applied event fell in (or of the day the engine started):
  // the days before it are what the closed-day cache holds, the events of that day still
  // arriving.
  TimeMs newest_day_;
  mutable ClosedDayCache closed_days_;
};

}  // namespace vitals
