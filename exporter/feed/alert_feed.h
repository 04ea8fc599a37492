#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "feed/feed_alert.h"
#include "store/feed_store.h"
#include "tenancy/tenant_directory.h"

namespace vitals {

// Where system-health alerts enter the feed, from the rule evaluator or the API: stores them and
// counts the new ones in vitals_system_health_alerts_total{tenant, severity, source}.
//
// `tenant` is the tenant slug, as on every vitals_* family. `source` is the alert's source as
// given (SPEC §4: label values are the raw values): the canonical kFeedSources always, and up to
// kMaxOtherSourcesPerTenant others per tenant; past them "other", since the column takes any
// string and a label must not grow without bound.
class AlertFeed {
 public:
  AlertFeed(FeedStore& store, const TenantDirectory& tenants, prometheus::Registry& registry);

  PublishResult publish(FeedAlert alert,
                        const std::optional<std::string>& dedup_key = std::nullopt);
  std::vector<PublishResult> publish_all(
      std::vector<std::pair<FeedAlert, std::optional<std::string>>> alerts);

  static constexpr size_t kMaxOtherSourcesPerTenant = 32;

 private:
  void count(const PublishResult& result);
  // The `source` label of an alert's source (the first use of a source outside kFeedSources
  // takes one of its tenant's places).
  std::string source_label(const std::string& tenant_id, const std::string& source);

  FeedStore& store_;
  const TenantDirectory& tenants_;
  prometheus::Family<prometheus::Counter>& published_;
  std::mutex labels_mutex_;
  std::map<std::string, std::set<std::string>, std::less<>> other_sources_;  // by tenant id
};

}  // namespace vitals
