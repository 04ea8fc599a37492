#include "alerting/feed_alert_sink.h"

#include <set>

#include "core/time_format.h"

namespace vitals {

FeedAlert feed_alert_of(const evaluator::Announcement& a,
                        const std::optional<std::string>& resolves) {
  FeedAlert alert;
  alert.tenant_id = a.tenant_id;
  alert.severity = a.severity;
  alert.source = a.source;
  alert.title = a.title;
  alert.message = a.message;
  if (!a.link.empty()) alert.link = a.link;
  alert.pinned = a.pinned;
  alert.created_at = a.at;
  alert.metadata = {{"rule", a.rule},      {"state", std::string(kind_name(a.kind))},
                    {"observed", a.value}, {"threshold", a.threshold},
                    {"labels", a.labels},  {"active_since", format_rfc3339_ms(a.active_at)}};
  if (!a.annotations.empty()) alert.metadata["annotations"] = a.annotations;
  if (a.kind == evaluator::Announcement::Kind::kResolved) {
    alert.metadata["resolves"] = resolves ? nlohmann::json(*resolves) : nlohmann::json(nullptr);
  }
  return alert;
}

// Alerts are written in as few transactions as possible: a resolution whose firing alert is in
// the same batch waits until that one is stored, so that it can name its id.
void FeedAlertSink::announce(const std::vector<evaluator::Announcement>& announcements) {
  std::vector<std::pair<FeedAlert, std::optional<std::string>>> chunk;
  std::set<std::string> keys;
  const auto flush = [&] {
    if (!chunk.empty()) feed_.publish_all(std::move(chunk));
    chunk.clear();
    keys.clear();
  };
  for (const auto& a : announcements) {
    std::optional<std::string> resolves;
    if (a.kind == evaluator::Announcement::Kind::kResolved) {
      if (keys.count(a.firing_key)) flush();
      if (auto firing = store_.find_by_dedup_key(a.tenant_id, a.firing_key)) resolves = firing->id;
    }
    chunk.emplace_back(feed_alert_of(a, resolves), a.key);
    keys.insert(a.key);
  }
  flush();
}

}  // namespace vitals
