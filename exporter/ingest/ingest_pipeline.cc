#include "ingest/ingest_pipeline.h"

#include <chrono>
#include <stdexcept>

#include "rollup/rollup_snapshot.h"
#include "tenancy/tenant_directory.h"

namespace vitals {

IngestPipeline::IngestPipeline(EventStore& store, RollupEngine& rollups,
                               IntegrationMetrics& metrics, ExporterMetrics& exporter_metrics,
                               size_t max_series_per_tenant)
    : store_(store),
      rollups_(rollups),
      metrics_(metrics),
      exporter_metrics_(exporter_metrics),
      max_series_per_tenant_(max_series_per_tenant) {}

Submission IngestPipeline::submit(const std::vector<Event>& events, PastSeriesLimit past_limit,
                                  const EventStore::AlsoWrite& also) {
  Pending mine{&events, past_limit, also ? &also : nullptr, {}, nullptr};
  std::unique_lock lock(queue_mutex_);
  waiting_.push_back(&mine);
  while (!mine.done) {
    if (committing_) {
      group_done_.wait(lock);
      continue;
    }
    // Nobody is storing: this thread stores what waits (its own batch among it, or ahead of it).
    committing_ = true;
    const std::vector<Pending*> group = take_group();
    lock.unlock();
    run_group(group);
    lock.lock();
  }
  if (mine.error) std::rethrow_exception(mine.error);
  return std::move(mine.result);
}

void IngestPipeline::run_group(const std::vector<Pending*>& group) {
  const auto started = std::chrono::steady_clock::now();
  // Pointers into the batches of the group: their submitters wait until `done`, set below.
  std::vector<StoredEventRef> stored = store_group(group);
  // The apply turn is taken before the next group may be stored, so groups reach the rollups
  // in commit order; waiting for it here is waiting for the previous group's apply.
  std::unique_lock apply_turn(apply_mutex_);
  set_unapplied(&stored);
  {
    std::lock_guard lock(queue_mutex_);
    committing_ = false;
    group_done_.notify_all();
  }
  if (!stored.empty()) {
    rollups_.apply(stored);
    metrics_.observe(stored);
  }
  set_unapplied(nullptr);
  apply_turn.unlock();
  if (!stored.empty()) {
    exporter_metrics_.observe_store_write(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (listener_) listener_();
  }
  std::lock_guard lock(queue_mutex_);
  for (Pending* p : group) p->done = true;
  group_done_.notify_all();
}

std::vector<IngestPipeline::Pending*> IngestPipeline::take_group() {
  std::vector<Pending*> group;
  size_t events = 0;
  while (!waiting_.empty() &&
         (group.empty() || events + waiting_.front()->events->size() <= kMaxGroupEvents)) {
    events += waiting_.front()->events->size();
    group.push_back(waiting_.front());
    waiting_.pop_front();
  }
  return group;
}

void IngestPipeline::set_unapplied(const std::vector<StoredEventRef>* events) {
  std::lock_guard lock(unapplied_mutex_);
  unapplied_ = events;
}

// Checking each event against the series limit cost a tenth of ingest's time; a group whose
// tenants are all further from the limit than its events (and those of the group still being
// applied) could take them needs no check.
bool IngestPipeline::near_series_limit(const std::vector<Pending*>& group) const {
  RollupEngine::EventsByTenant events;
  for (const Pending* p : group) {
    for (const Event& e : *p->events) ++events[e.tenant_id];
  }
  std::lock_guard lock(unapplied_mutex_);
  if (unapplied_) {
    for (const StoredEventRef& e : *unapplied_) ++events[e.event->tenant_id];
  }
  return rollups_.may_reach_series_limit(events, max_series_per_tenant_);
}

std::vector<StoredEventRef> IngestPipeline::store_group(const std::vector<Pending*>& group) {
  const bool check_series = max_series_per_tenant_ > 0 && near_series_limit(group);
  if (check_series) {
    // Counting exactly needs rollups that hold every earlier commit: wait for the apply.
    std::lock_guard drained(apply_mutex_);
  }
  RollupEngine::PendingSeries pending_series;
  std::vector<EventStore::GroupedBatch> batches;
  std::vector<Pending*> stored;  // the pendings behind `batches`, in the same order
  for (Pending* p : group) {
    std::vector<size_t> past;
    if (check_series) {
      const bool whole = p->past_limit == PastSeriesLimit::kRefuseBatch;
      past = rollups_.past_series_limit(*p->events, max_series_per_tenant_, pending_series, whole);
    }
    if (!past.empty()) {
      exporter_metrics_.count_past_series_limit(past.size());
      p->result.past_series_limit = past;
      if (p->past_limit == PastSeriesLimit::kRefuseBatch) continue;
    }
    batches.push_back({p->events, std::move(past), p->also, {}});
    stored.push_back(p);
  }
  if (batches.empty()) return {};
  try {
    std::vector<StoredEventRef> events = store_.append_group(batches);
    for (size_t i = 0; i < stored.size(); ++i) {
      static_cast<AppendOutcome&>(stored[i]->result) = batches[i].outcome;
    }
    return events;
  } catch (...) {
    for (Pending* p : stored) p->error = std::current_exception();
    return {};
  }
}

IngestPipeline::Rebuild IngestPipeline::rebuild_from_store(const TenantDirectory& tenants,
                                                           TimeMs now,
                                                           const std::string& snapshot_path) {
  Rebuild report;
  std::int64_t after = 0;
  if (!snapshot_path.empty()) {
    const SnapshotLoad snapshot = load_rollup_snapshot(
        rollups_, snapshot_path, [&](std::int64_t seq, const std::string& fingerprint) {
          return store_fingerprint(seq) == fingerprint;
        });
    report.from_snapshot = snapshot.loaded;
    report.snapshot_problem = snapshot.problem;
    if (snapshot.loaded) {
      after = snapshot.applied_seq;
      rollups_.expire(now);
    }
  }
  report.replayed = replay_after(after);
  restore_last_seen(tenants, now);
  return report;
}

std::int64_t IngestPipeline::replay_after(std::int64_t seq) {
  constexpr size_t kChunk = 8192;
  std::int64_t replayed = 0;
  std::vector<StoredEvent> chunk;
  chunk.reserve(kChunk);
  store_.scan_after(seq, [&](StoredEvent&& e) {
    chunk.push_back(std::move(e));
    ++replayed;
    if (chunk.size() == kChunk) {
      rollups_.apply(chunk);
      chunk.clear();
    }
  });
  rollups_.apply(chunk);
  return replayed;
}

void IngestPipeline::restore_last_seen(const TenantDirectory& tenants, TimeMs now) {
  std::vector<std::string> ids;
  for (const auto& t : tenants.all()) ids.push_back(t.id);
  if (ids.empty()) return;
  RollupFilter all_tenants;
  all_tenants.tenant_ids = ids;
  const auto seen = rollups_.last_seen(all_tenants, now - 400 * kMsPerDay, now + 10 * kMsPerMinute);
  for (const auto& [integration, last] : seen) {
    const auto& [tenant, type, key] = integration;
    metrics_.restore_last_seen({tenant, type, key, "", EventStatus::kSuccess, ""}, last.success,
                               last.failure);
  }
}

std::optional<std::string> IngestPipeline::store_fingerprint(std::int64_t seq) const {
  if (seq == 0) return "empty";
  const auto stored = store_.event_at(seq);
  if (!stored) return std::nullopt;
  const Event& e = stored->event;
  return std::to_string(seq) + '\n' + e.tenant_id + '\n' + e.type + '\n' + e.key + '\n' +
         std::to_string(e.time);
}

void IngestPipeline::save_snapshot(const std::string& snapshot_path) const {
  const std::int64_t seq = rollups_.applied_seq();
  const auto fingerprint = store_fingerprint(seq);
  if (!fingerprint) {
    throw std::runtime_error("the event store no longer holds event " + std::to_string(seq));
  }
  save_rollup_snapshot(rollups_, snapshot_path, *fingerprint);
}

}  // namespace vitals
