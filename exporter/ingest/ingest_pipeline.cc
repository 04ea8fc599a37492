#include "ingest/ingest_pipeline.h"

#include <chrono>

#include "tenancy/tenant_directory.h"

namespace vitals {

IngestPipeline::IngestPipeline(EventStore& store, RollupEngine& rollups,
                               IntegrationMetrics& metrics, ExporterMetrics& exporter_metrics)
    : store_(store), rollups_(rollups), metrics_(metrics), exporter_metrics_(exporter_metrics) {}

AppendOutcome IngestPipeline::submit(const std::vector<Event>& events,
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

void IngestPipeline::rebuild_from_store(const TenantDirectory& tenants, TimeMs now) {
  constexpr size_t kChunk = 8192;
  std::vector<StoredEvent> chunk;
  chunk.reserve(kChunk);
  store_.scan_all([&](StoredEvent&& e) {
    chunk.push_back(std::move(e));
    if (chunk.size() == kChunk) {
      rollups_.apply(chunk);
      chunk.clear();
    }
  });
  rollups_.apply(chunk);
  std::vector<std::string> ids;
  for (const auto& t : tenants.all()) ids.push_back(t.id);
  if (ids.empty()) return;
  RollupQuery everything;
  everything.filter.tenant_ids = ids;
  everything.from = now - 400 * kMsPerDay;
  everything.to = now + 10 * kMsPerMinute;
  everything.group_by = {Dimension::kTenant, Dimension::kType, Dimension::kKey};
  for (const auto& [group, agg] : rollups_.query(everything)) {
    SeriesKey key{group.labels[0], group.labels[1], group.labels[2], "", EventStatus::kSuccess, ""};
    metrics_.restore_last_seen(key, agg.last_success, agg.last_failure);
  }
}

}  // namespace vitals
