#include "metrics/source_metrics.h"

namespace vitals {

using prometheus::BuildCounter;
using prometheus::BuildGauge;

SourceMetrics::SourceMetrics(prometheus::Registry& registry)
    : fetches_(BuildCounter()
                   .Name("vitals_source_fetches_total")
                   .Help("Reads of a scrape source: HTTP requests, or polls of a file.")
                   .Register(registry)),
      failures_(BuildCounter()
                    .Name("vitals_source_failures_total")
                    .Help("Polls of a scrape source that failed (no answer, not 2xx, not JSON, "
                          "unreadable file, store unavailable); each is retried with backoff.")
                    .Register(registry)),
      records_(BuildCounter()
                   .Name("vitals_source_records_total")
                   .Help("Records read from a scrape source: stored, duplicate (id already "
                         "known), rejected (not a valid event).")
                   .Register(registry)),
      lag_(BuildGauge()
               .Name("vitals_source_lag_seconds")
               .Help("Age of the newest event read from a scrape source, at its last poll.")
               .Register(registry)),
      last_success_(BuildGauge()
                        .Name("vitals_source_last_success_timestamp_seconds")
                        .Help("When a scrape source was last polled successfully.")
                        .Register(registry)),
      up_(BuildGauge()
              .Name("vitals_source_up")
              .Help("1 when the last poll of a scrape source succeeded, else 0.")
              .Register(registry)) {}

void SourceMetrics::declare(const std::string& source) {
  fetches_.Add({{"source", source}});
  failures_.Add({{"source", source}});
  for (const char* result : {"stored", "duplicate", "rejected"}) {
    records_.Add({{"source", source}, {"result", result}});
  }
  up_.Add({{"source", source}}).Set(0);
}

void SourceMetrics::fetched(const std::string& source, size_t count) {
  fetches_.Add({{"source", source}}).Increment(double(count));
}

void SourceMetrics::records(const std::string& source, const std::string& result, size_t count) {
  records_.Add({{"source", source}, {"result", result}}).Increment(double(count));
}

void SourceMetrics::succeeded(const std::string& source, TimeMs now) {
  last_success_.Add({{"source", source}}).Set(double(now) / 1000.0);
  up_.Add({{"source", source}}).Set(1);
}

void SourceMetrics::failed(const std::string& source) {
  failures_.Add({{"source", source}}).Increment();
  up_.Add({{"source", source}}).Set(0);
}

void SourceMetrics::lag(const std::string& source, double seconds) {
  lag_.Add({{"source", source}}).Set(seconds);
}

}  // namespace vitals
