#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ingest/event.h"
#include "metrics/exporter_metrics.h"
#include "metrics/integration_metrics.h"
#include "rollup/rollup_engine.h"
#include "store/event_store.h"
#include "tenancy/tenant_directory.h"

namespace vitals {

// What becomes of the events that would start a series past limits.max_series_per_tenant.
enum class PastSeriesLimit {
  kRefuseBatch,  // store nothing: a sender can be told which events, and send the rest again
  kDropEvents,   // store the others: a source reading a feed cannot change what it reads
};

struct Submission : AppendOutcome {
  // Indexes into the submitted events of those past the tenant's series limit; none of them
  // was stored, and with kRefuseBatch nothing else was either.
  std::vector<size_t> past_series_limit;
};

// The one path by which validated events enter vitals, whoever sent them: commit to the store,
// then (still in commit order) update the rollups and the metrics.
//
// Group commit: batches that arrive while another is being stored wait, and the next of them
// to go stores all that waited in one transaction. A durable commit costs an fsync and the
// rewrite of every index page it touched, whatever it holds, so concurrent senders share that
// cost instead of queueing behind each other's; a lone sender's batch goes at once, as before.
// Each batch still gets its own answer, and a failed commit fails every batch in it (none of
// them is stored).
//
// Two stages: while one group is applied to the rollups and metrics, the next is stored, so
// ingest keeps two cores busy where one did both. Groups are applied in commit order, and a
// batch is answered only once applied: a read after the 200 sees it.
//
// The series limit is checked batch by batch in arrival order, against rollups that hold every
// earlier commit and the series of the batches ahead in the same group: two batches racing for
// a tenant's last free series cannot both take it. Far from the limit (every tenant of a group
// has more room than the group and the one being applied have events) no event is checked.
class IngestPipeline {
 public:
  // `max_series_per_tenant`: 0 for no limit.
  IngestPipeline(EventStore& store, RollupEngine& rollups, IntegrationMetrics& metrics,
                 ExporterMetrics& exporter_metrics, size_t max_series_per_tenant = 0);

  // Durable when it returns; throws sqlite::Error when the store cannot take the batch. `also`
  // commits (or not) with the batch.
  Submission submit(const std::vector<Event>& events, PastSeriesLimit past_limit,
                    const EventStore::AlsoWrite& also = {});

  // Batches waiting for the commit in progress to finish.
  size_t waiting_batches() const {
    std::lock_guard lock(queue_mutex_);
    return waiting_.size();
  }

  // Called after every commit (the rule evaluator is nudged to look soon).
  void on_commit(std::function<void()> listener) { listener_ = std::move(listener); }

  struct Rebuild {
    bool from_snapshot = false;
    std::int64_t replayed = 0;     // events read back from the store
    std::string snapshot_problem;  // why a snapshot that exists was not used
  };
  // Rebuilds the rollups and the last-seen gauges from the rollup snapshot at `snapshot_path`
  // and the events after it when the snapshot matches the store, else from every stored event;
  // no snapshot when the path is empty.
  Rebuild rebuild_from_store(const TenantDirectory& tenants, TimeMs now,
                             const std::string& snapshot_path);
  // Saves the rollups for the next start; call it when no more batches can arrive.
  void save_snapshot(const std::string& snapshot_path) const;

 private:
  EventStore& store_;
  RollupEngine& rollups_;
  IntegrationMetrics& metrics_;
  ExporterMetrics& exporter_metrics_;
  // Names the stored event at `seq`, so a snapshot is only used with the store it was made from
  // (and not with a restored backup or a new database at the same path).
  std::optional<std::string> store_fingerprint(std::int64_t seq) const;
  std::int64_t replay_after(std::int64_t seq);
  void restore_last_seen(const TenantDirectory& tenants, TimeMs now);

  // A batch waiting to be stored, and what became of it; owned by the thread that submitted it.
  struct Pending {
    const std::vector<Event>* events;
    PastSeriesLimit past_limit;
    const EventStore::AlsoWrite* also;
    Submission result;
    std::exception_ptr error;
    bool done = false;
  };
  // At most this many events go into one commit: it bounds how long a batch waits behind
  // others and how big a transaction gets.
  static constexpr size_t kMaxGroupEvents = 64 * 1024;

  // Takes the waiting batches that fit one commit, oldest first; `queue_mutex_` held.
  std::vector<Pending*> take_group();
  // Stores a group, applies it to the rollups and metrics, and marks each batch done; the next
  // group may be stored while this one is applied.
  void run_group(const std::vector<Pending*>& group);
  // Checks the series limit, stores the group in one commit and fills in each batch's outcome
  // (or error); returns the events stored.
  std::vector<StoredEventRef> store_group(const std::vector<Pending*>& group);
  bool near_series_limit(const std::vector<Pending*>& group) const;
  void set_unapplied(const std::vector<StoredEventRef>* events);

  std::function<void()> listener_;
  size_t max_series_per_tenant_;

  mutable std::mutex queue_mutex_;
  std::condition_variable group_done_;
  std::deque<Pending*> waiting_;
  bool committing_ = false;  // some thread is storing a group

  // Held while a group is applied to the rollups and metrics; taken by a group's thread before
  // the next group may be stored, so groups are applied in commit order.
  std::mutex apply_mutex_;
  // The events of the group being applied: stored, not yet in the rollups.
  mutable std::mutex unapplied_mutex_;
  const std::vector<StoredEventRef>* unapplied_ = nullptr;
};

}  // namespace vitals
