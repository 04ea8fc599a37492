#include "alerting/exporter_signal_source.h"

#include <map>

#include "insights/insights_sources.h"

namespace vitals {
namespace {

using evaluator::Labels;
using evaluator::Signal;
using evaluator::SignalRequest;
using evaluator::SignalSample;

std::optional<std::string> filter_value(const Labels& where, std::string_view name) {
  const auto it = where.find(std::string(name));
  if (it == where.end()) return std::nullopt;
  return it->second;
}

std::optional<Dimension> dimension_of(std::string_view label) {
  if (label == evaluator::kTypeLabel) return Dimension::kType;
  if (label == evaluator::kKeyLabel) return Dimension::kKey;
  if (label == evaluator::kModeLabel) return Dimension::kMode;
  if (label == evaluator::kStatusLabel) return Dimension::kStatus;
  if (label == evaluator::kCategoryLabel) return Dimension::kCategory;
  return std::nullopt;
}

double percent(std::uint64_t part, std::uint64_t whole) {
  return double(part) / double(whole) * 100.0;
}

// The value of an event signal over one group's aggregate; nullopt when it has none.
std::optional<double> event_value(Signal signal, const Aggregate& a, const SignalRequest& r) {
  // Without a success in the window, the time since the group's first event there is what is
  // known for certain: a floor that keeps a brand-new failing integration from looking stale.
  const auto seconds_before_end = [&](TimeMs t) {
    return double(r.to - (t == kNoTime ? a.first_time : t)) / 1000.0;
  };
  switch (signal) {
    case Signal::kEventCount:
      return double(a.total());
    case Signal::kErrorCount:
    case Signal::kFailedDeliveries:
      return double(a.failures());
    case Signal::kSuccessRatePct:
      return percent(a.successes(), a.total());
    case Signal::kErrorRatePct:
      return percent(a.failures(), a.total());
    case Signal::kSecondsSinceLastSuccess:
      return seconds_before_end(a.last_success);
    case Signal::kSecondsSinceLastEvent:
      return seconds_before_end(a.last_time);
    case Signal::kItems:
      return double(a.item(r.item));
    default:
      break;
  }
  if (!a.has_latency()) return std::nullopt;
  switch (signal) {
    case Signal::kP50Ms:
      return a.latency.quantile(0.50);
    case Signal::kP90Ms:
      return a.latency.quantile(0.90);
    case Signal::kP95Ms:
      return a.latency.quantile(0.95);
    case Signal::kP99Ms:
      return a.latency.quantile(0.99);
    case Signal::kAvgMs:
      return a.latency_avg();
    case Signal::kMaxMs:
      return a.latency.max();
    default:
      return std::nullopt;
  }
}

// Sums per-entity values into the rule's groups: per entity when grouped by its id, else one
// group for the tenant.
class EntityGroups {
 public:
  EntityGroups(const std::vector<std::string>& by, std::string_view label)
      : per_entity_(!by.empty()), label_(label) {}

  void add(const std::string& id, double value, std::uint64_t events = 1) {
    Labels labels;
    if (per_entity_) labels[std::string(label_)] = id;
    auto& [sum, count] = groups_[labels];
    sum += value;
    count += events;
  }

  std::vector<SignalSample> samples() const {
    std::vector<SignalSample> out;
    for (const auto& [labels, value] : groups_) out.push_back({labels, value.first, value.second});
    return out;
  }

 private:
  bool per_entity_;
  std::string_view label_;
  std::map<Labels, std::pair<double, std::uint64_t>> groups_;
};

}  // namespace

ExporterSignalSource::ExporterSignalSource(const TenantDirectory& tenants,
                                           const RollupEngine& rollups, const EntityStore& entities,
                                           const AudienceStore& audiences,
                                           const WarehouseTelemetry& warehouse)
    : tenants_(tenants),
      rollups_(rollups),
      entities_(entities),
      audiences_(audiences),
      warehouse_(warehouse) {}

std::vector<evaluator::TenantRef> ExporterSignalSource::tenants() const {
  std::vector<evaluator::TenantRef> out;
  for (const auto& t : tenants_.all()) out.push_back({t.id, t.slug});
  return out;
}

std::vector<SignalSample> ExporterSignalSource::sample(const SignalRequest& r) const {
  switch (r.signal) {
    case Signal::kWarehouseConnectionStatus:
    case Signal::kDlqDepth:
      return connection_signal(r);
    case Signal::kFailingSyncs:
      return failing_syncs(r);
    case Signal::kAudienceSizeChangePct:
      return audience_size_change(r);
    default:
      return event_signal(r);
  }
}

void ExporterSignalSource::begin_cycle() const {
  std::lock_guard lock(cache_mutex_);
  caching_ = true;
  cache_.clear();
  telemetry_cache_.clear();
}

void ExporterSignalSource::end_cycle() const {
  std::lock_guard lock(cache_mutex_);
  caching_ = false;
  cache_.clear();
  telemetry_cache_.clear();
}

ConnectionTelemetry ExporterSignalSource::telemetry(const std::string& tenant_id,
                                                    const std::string& connection_id,
                                                    TimeMs at) const {
  const std::string key = tenant_id + "|" + connection_id + "|" + std::to_string(at);
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = telemetry_cache_.find(key); it != telemetry_cache_.end()) return it->second;
  }
  ConnectionTelemetry t = warehouse_.compute(tenant_id, connection_id, at);
  std::lock_guard lock(cache_mutex_);
  if (caching_) telemetry_cache_[key] = t;
  return t;
}

std::shared_ptr<const ExporterSignalSource::Grouped> ExporterSignalSource::grouped(
    const std::string& tenant_id, const std::vector<std::string>& dimensions, size_t filtered,
    TimeMs from, TimeMs to) const {
  std::string key = tenant_id + "|" + std::to_string(from) + "|" + std::to_string(to) + "|" +
                    std::to_string(filtered);
  for (const auto& d : dimensions) key += "|" + d;
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  RollupQuery query;
  query.filter.tenant_ids = {tenant_id};
  query.from = from;
  query.to = to;
  for (const auto& d : dimensions) query.group_by.push_back(*dimension_of(d));
  auto result = std::make_shared<Grouped>();
  result->filtered = filtered;
  for (auto& [group, aggregate] : rollups_.query(query)) {
    std::vector<std::string> head(group.labels.begin(), group.labels.begin() + filtered);
    std::vector<std::string> tail(group.labels.begin() + filtered, group.labels.end());
    result->by_filter[std::move(head)].emplace_back(std::move(tail), std::move(aggregate));
  }
  std::lock_guard lock(cache_mutex_);
  if (caching_) cache_[key] = result;
  return result;
}

// Groups by the filter dimensions first and the rest of `by` after, so that one query serves
// every rule with the same filter keys and grouping whatever values they filter on.
std::vector<SignalSample> ExporterSignalSource::event_signal(const SignalRequest& r) const {
  Labels where = r.where;
  if (r.signal == Signal::kFailedDeliveries) {
    where[std::string(evaluator::kTypeLabel)] = std::string(kWarehouseDeliveryType);
  }
  std::vector<std::string> dimensions, values;
  for (const auto& [name, value] : where) {
    dimensions.push_back(name);
    values.push_back(value);
  }
  for (const auto& b : r.by) {
    if (!where.count(b)) dimensions.push_back(b);
  }
  const auto data = grouped(r.tenant_id, dimensions, where.size(), r.from, r.to);
  const auto matching = data->by_filter.find(values);
  std::vector<SignalSample> out;
  if (matching == data->by_filter.end()) return out;
  for (const auto& [rest, aggregate] : matching->second) {
    const auto value = event_value(r.signal, aggregate, r);
    if (!value) continue;
    SignalSample sample{{}, *value, aggregate.total()};
    size_t next = 0;
    for (const auto& b : r.by) {
      const auto fixed = where.find(b);
      sample.labels[b] = fixed != where.end() ? fixed->second : rest[next++];
    }
    out.push_back(std::move(sample));
  }
  return out;
}

std::vector<SignalSample> ExporterSignalSource::connection_signal(const SignalRequest& r) const {
  const auto only = filter_value(r.where, evaluator::kKeyLabel);
  const auto state = filter_value(r.where, evaluator::kStateLabel);
  EntityGroups groups(r.by, evaluator::kKeyLabel);
  for (const auto& connection : entities_.list(r.tenant_id, "warehouse_connection")) {
    if (only && connection.id != *only) continue;
    const ConnectionTelemetry t = telemetry(r.tenant_id, connection.id, r.to);
    if (r.signal == Signal::kDlqDepth) {
      if (t.dlq_depth) groups.add(connection.id, double(*t.dlq_depth));
    } else {
      groups.add(connection.id, state_name(t.status) == state ? 1.0 : 0.0);
    }
  }
  return groups.samples();
}

std::vector<SignalSample> ExporterSignalSource::failing_syncs(const SignalRequest& r) const {
  const auto only = filter_value(r.where, evaluator::kKeyLabel);
  // One read of every sync's runs, shared with other rules over sync runs in this cycle.
  const auto data =
      grouped(r.tenant_id, {std::string(evaluator::kTypeLabel), std::string(evaluator::kKeyLabel)},
              1, r.from, r.to);
  std::map<std::string, const Aggregate*> runs_by_sync;
  if (auto it = data->by_filter.find({kSyncRunType}); it != data->by_filter.end()) {
    for (const auto& [rest, aggregate] : it->second) runs_by_sync[rest[0]] = &aggregate;
  }
  const Aggregate no_runs{};
  EntityGroups groups(r.by, evaluator::kKeyLabel);
  for (const auto& sync : entities_.list(r.tenant_id, "sync")) {
    if (sync.status != "active" || (only && sync.id != *only)) continue;
    const auto it = runs_by_sync.find(sync.id);
    const Aggregate& runs = it == runs_by_sync.end() ? no_runs : *it->second;
    groups.add(sync.id, last_run_status(runs) == "failed" ? 1.0 : 0.0, runs.total());
  }
  return groups.samples();
}

// The latest size at the end of the window against the latest size at its start.
std::vector<SignalSample> ExporterSignalSource::audience_size_change(const SignalRequest& r) const {
  const auto only = filter_value(r.where, evaluator::kAudienceLabel);
  std::map<Labels, std::pair<double, double>> sizes;  // group -> (before, now)
  std::map<Labels, std::uint64_t> observations;
  for (const auto& audience : entities_.list(r.tenant_id, "audience")) {
    if (only && audience.id != *only) continue;
    const auto before = audiences_.latest_before(r.tenant_id, audience.id, r.from);
    const auto during = audiences_.sizes(r.tenant_id, audience.id, r.from, r.to);
    if (!before || during.empty()) continue;
    Labels group;
    if (!r.by.empty()) group[std::string(evaluator::kAudienceLabel)] = audience.id;
    sizes[group].first += double(before->size);
    sizes[group].second += double(during.back().size);
    observations[group] += during.size();
  }
  std::vector<SignalSample> out;
  for (const auto& [group, size] : sizes) {
    if (size.first == 0) continue;
    out.push_back({group, (size.second - size.first) / size.first * 100.0, observations[group]});
  }
  return out;
}

}  // namespace vitals
