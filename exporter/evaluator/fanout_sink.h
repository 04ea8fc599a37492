#pragma once

#include <vector>

#include "evaluator/alert_sink.h"

namespace vitals::evaluator {

// Hands every announcement to several sinks, in the order given. When one throws, the ones after
// it are not called and the announcements stay in the outbox; the retry repeats the whole list,
// which is safe because every sink is idempotent on the announcement key.
class FanoutSink final : public AlertSink {
 public:
  explicit FanoutSink(std::vector<AlertSink*> sinks) : sinks_(std::move(sinks)) {}

  void announce(const std::vector<Announcement>& announcements) override {
    for (AlertSink* sink : sinks_) sink->announce(announcements);
  }

 private:
  std::vector<AlertSink*> sinks_;
};

}  // namespace vitals::evaluator
