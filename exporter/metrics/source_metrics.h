#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string>

#include "core/clock.h"

namespace vitals {

// Scrape sources on /metrics, one series per source (label `source`):
//   vitals_source_fetches_total, vitals_source_failures_total (polls that failed),
//   vitals_source_records_total{result = stored | duplicate | rejected},
//   vitals_source_lag_seconds (now minus the newest event read, once one was),
//   vitals_source_last_success_timestamp_seconds, vitals_source_up (1 after a good poll, 0 after
//   a failed one or before the first).
class SourceMetrics {
 public:
  explicit SourceMetrics(prometheus::Registry& registry);

  // Creates every series of a source at zero, so rates and `up` exist before the first poll.
  void declare(const std::string& source);
  void fetched(const std::string& source, size_t count);
  void records(const std::string& source, const std::string& result, size_t count);
  void succeeded(const std::string& source, TimeMs now);
  void failed(const std::string& source);
  void lag(const std::string& source, double seconds);

 private:
  prometheus::Family<prometheus::Counter>& fetches_;
  prometheus::Family<prometheus::Counter>& failures_;
  prometheus::Family<prometheus::Counter>& records_;
  prometheus::Family<prometheus::Gauge>& lag_;
  prometheus::Family<prometheus::Gauge>& last_success_;
  prometheus::Family<prometheus::Gauge>& up_;
};

}  // namespace vitals
