#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <optional>
#include <string>

#include "feed/feed_alert.h"
#include "store/feed_store.h"
#include "tenancy/tenant_directory.h"

namespace vitals {

// Where system-health alerts enter the feed, from the rule evaluator or the API: stores them and
// counts the new ones in vitals_system_health_alerts_total{tenant, severity, source}.
//
// `tenant` is the tenant slug, as on every vitals_* family. `source` is one of kFeedSources or
// "other": the column takes any string, but a label must not grow without bound.
class AlertFeed {
 public:
  AlertFeed(FeedStore& store, const TenantDirectory& tenants, prometheus::Registry& registry);

  PublishResult publish(FeedAlert alert,
                        const std::optional<std::string>& dedup_key = std::nullopt);
  std::vector<PublishResult> publish_all(
      std::vector<std::pair<FeedAlert, std::optional<std::string>>> alerts);

 private:
  void count(const PublishResult& result);

  FeedStore& store_;
  const TenantDirectory& tenants_;
  prometheus::Family<prometheus::Counter>& published_;
};

// The `source` label of an alert's source.
std::string source_label(std::string_view source);

}  // namespace vitals
