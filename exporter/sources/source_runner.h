#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "metrics/source_metrics.h"
#include "notify/backoff.h"
#include "sources/source.h"

namespace vitals::sources {

// Polls one source and says how long to rest: the interval after a good poll, a growing backoff
// after failures in a row. A failure, or a record that is not a valid event, is counted and
// logged and never ends the loop.
class SourceRunner {
 public:
  struct Timing {
    TimeMs interval = kMsPerMinute;
    notify::Backoff backoff;
  };

  SourceRunner(std::string name, std::unique_ptr<Source> source, Timing timing,
               SourceMetrics& metrics, const Clock& clock, std::function<double()> random);

  // One poll; returns the rest before the next, in milliseconds.
  TimeMs run_once();
  int failures_in_a_row() const { return failures_in_a_row_; }
  void request_stop() { source_->request_stop(); }

 private:
  void record(const PollReport& report, TimeMs now);

  std::string name_;
  std::unique_ptr<Source> source_;
  Timing timing_;
  SourceMetrics& metrics_;
  const Clock& clock_;
  std::function<double()> random_;
  int failures_in_a_row_ = 0;
  std::optional<TimeMs> newest_;
};

}  // namespace vitals::sources
