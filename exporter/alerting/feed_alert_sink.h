#pragma once

#include "evaluator/alert_sink.h"
#include "feed/alert_feed.h"

namespace vitals {

// Writes rule announcements into the tenant's system-health feed (SPEC §7): a fan-out alert when
// an instance starts firing and a `success` alert naming it when it resolves. The announcement
// key is the feed's dedup key, so a delivery repeated after a crash stores nothing new.
class FeedAlertSink : public evaluator::AlertSink {
 public:
  FeedAlertSink(AlertFeed& feed, const FeedStore& store) : feed_(feed), store_(store) {}
  void announce(const std::vector<evaluator::Announcement>& announcements) override;

 private:
  AlertFeed& feed_;
  const FeedStore& store_;
};

// The feed alert an announcement becomes; `resolves` is the id of the firing alert a resolution
// names, when known.
FeedAlert feed_alert_of(const evaluator::Announcement& announcement,
                        const std::optional<std::string>& resolves);

}  // namespace vitals
