#include "feed/alert_feed.h"

namespace vitals {

AlertFeed::AlertFeed(FeedStore& store, const TenantDirectory& tenants,
                     prometheus::Registry& registry)
    : store_(store),
      tenants_(tenants),
      published_(prometheus::BuildCounter()
                     .Name("vitals_system_health_alerts_total")
                     .Help("System-health alerts added to the feed (a tenant's sources outside the "
                           "canonical list past its 32nd count as source=\"other\").")
                     .Register(registry)) {}

PublishResult AlertFeed::publish(FeedAlert alert, const std::optional<std::string>& dedup_key) {
  PublishResult result = store_.publish(std::move(alert), dedup_key);
  count(result);
  return result;
}

std::vector<PublishResult> AlertFeed::publish_all(
    std::vector<std::pair<FeedAlert, std::optional<std::string>>> alerts) {
  auto results = store_.publish_all(std::move(alerts));
  for (const auto& result : results) count(result);
  return results;
}

void AlertFeed::count(const PublishResult& result) {
  if (!result.created) return;
  const FeedAlert& stored = result.alert;
  published_
      .Add({{"tenant", tenants_.slug_of(stored.tenant_id)},
            {"severity", stored.severity},
            {"source", source_label(stored.tenant_id, stored.source)}})
      .Increment();
}

std::string AlertFeed::source_label(const std::string& tenant_id, const std::string& source) {
  if (is_feed_source(source)) return source;
  std::lock_guard lock(labels_mutex_);
  std::set<std::string>& others = other_sources_[tenant_id];
  if (others.contains(source)) return source;
  if (others.size() >= kMaxOtherSourcesPerTenant) return "other";
  others.insert(source);
  return source;
}

}  // namespace vitals
