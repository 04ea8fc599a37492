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

namespace {

std::vector<Event> without(const std::vector<Event>& events, const std::vector<size_t>& indexes) {
  std::vector<Event> kept;
  kept.reserve(events.size() - indexes.size());
  auto next = indexes.begin();
  for (size_t i = 0; i < events.size(); ++i) {
    if (next != indexes.end() && *next == i) {
      ++next;
    } else {
      kept.push_back(events[i]);
    }
  }
  return kept;
}

}  // namespace

Submission IngestPipeline::submit(const std::vector<Event>& events, PastSeriesLimit past_limit,
                                  const EventStore::AlsoWrite& also) {
  std::lock_guard lock(submit_mutex_);
  Submission submission;
  if (max_series_per_tenant_ > 0) {
    submission.past_series_limit = rollups_.past_series_limit(events, max_series_per_tenant_);
  }
  if (!submission.past_series_limit.empty()) {
    exporter_metrics_.count_past_series_limit(submission.past_series_limit.size());
    if (past_limit == PastSeriesLimit::kRefuseBatch) return submission;
    static_cast<AppendOutcome&>(submission) =
        append(without(events, submission.past_series_limit), also);
  } else {
    static_cast<AppendOutcome&>(submission) = append(events, also);
  }
  return submission;
}

AppendOutcome IngestPipeline::append(const std::vector<Event>& events,
                                     const EventStore::AlsoWrite& also) {
  const auto started = std::chrono::steady_clock::now();
  AppendOutcome outcome = store_.append(
      events,
      [this](const std::vector<StoredEvent>& stored) {
        rollups_.apply(stored);
        metrics_.observe(stored);
      },
      also);
  exporter_metrics_.observe_store_write(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (listener_) listener_();
  return outcome;
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
