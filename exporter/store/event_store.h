#pragma once

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ingest/event.h"
#include "store/sqlite.h"

namespace vitals {

struct AppendOutcome {
  size_t accepted = 0;    // every event of the batch, duplicates included
  size_t duplicates = 0;  // events whose id the tenant had already sent
};

struct EventScan {
  std::string tenant_id;
  TimeMs from = 0;  // inclusive
  TimeMs to = 0;    // exclusive
  std::int64_t max_seq = INT64_MAX;
};

// The durable source of truth: every accepted event, in SQLite (WAL). A batch, or a group of
// them, is one transaction. append() tells its observer about the newly stored events in
// commit order; append_group() returns them, and its caller (the ingest pipeline) keeps the
// order itself, so that it can apply one group while the next is being stored.
class EventStore {
 public:
  // The events point into the batch, which outlives the call.
  using CommitObserver = std::function<void(const std::vector<StoredEventRef>& stored)>;
  // More writes that must commit or roll back with the batch (a scrape source's position).
  using AlsoWrite = std::function<void(sqlite::Database& db)>;

  explicit EventStore(const std::string& path);
  ~EventStore();

  // Stores the whole batch (and `also`) or nothing. Throws sqlite::Error when it cannot.
  AppendOutcome append(const std::vector<Event>& batch, const CommitObserver& on_commit,
                       const AlsoWrite& also = {});

  // One batch of a group commit: its events but those at `skip`, and its other writes.
  struct GroupedBatch {
    const std::vector<Event>* events = nullptr;
    std::vector<size_t> skip;  // ascending indexes into *events
    const AlsoWrite* also = nullptr;
    AppendOutcome outcome;  // set once the group is stored
  };
  // Stores every batch of the group in one transaction, or none of them: one commit, so one
  // fsync, for all. Returns the events newly stored (not duplicates), in commit order, as
  // pointers into the batches; the caller keeps what it derives from them in commit order
  // itself.
  std::vector<StoredEventRef> append_group(std::vector<GroupedBatch>& group);

  // Events of one tenant in [from, to) with seq <= max_seq, in time order.
  void scan(const EventScan& range, const std::function<void(const Event&)>& visit) const;

  // The warehouse_delivery events of one connection in [from, to), newest first, until `visit`
  // returns false. Served by a partial index, so it stays cheap however long the history.
  void latest_deliveries(const std::string& tenant_id, const std::string& connection_id,
                         TimeMs from, TimeMs to, bool failures_only,
                         const std::function<bool(const Event&)>& visit) const;

  // Every event after `seq` in commit order, for rebuilding what is derived from the store at
  // start-up (everything, or what came after a snapshot).
  void scan_after(std::int64_t seq, const std::function<void(StoredEvent&&)>& visit) const;
  void scan_all(const std::function<void(StoredEvent&&)>& visit) const { scan_after(0, visit); }

  std::optional<StoredEvent> event_at(std::int64_t seq) const;

  // Deletes events older than `cutoff`; returns how many.
  std::int64_t prune_before(TimeMs cutoff);

  std::int64_t count() const;

  // Empties the connections' page caches (the writer's holds up to 64 MiB of index pages):
  // for the housekeeping, so that between bursts of ingest the process does not keep them.
  void release_cache_memory();
  // What the connections' page caches hold now.
  std::int64_t cache_bytes() const;
  int schema_version() const { return schema_version_; }

 private:
  std::string path_;
  std::unique_ptr<sqlite::Database> writer_;
  std::unique_ptr<sqlite::Database> reader_;
  // The writer's INSERTs of 1, 2, 4, … 64 events, prepared at first use and kept (EventInserter
  // in event_store.cc); declared after writer_, so finalized before it closes.
  std::array<std::unique_ptr<sqlite::Statement>, 7> insert_statements_;
  mutable std::mutex write_mutex_;
  std::mutex append_mutex_;  // append(): the commit and its observer, in commit order
  mutable std::mutex read_mutex_;
  int schema_version_ = 0;
};

// "rows=5,evaluations=12": kinds are restricted to characters that never need escaping here.
std::string encode_counts(const ItemCounts& counts);
ItemCounts decode_counts(std::string_view text);

}  // namespace vitals
