#include "sources/source_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace vitals::sources {

SourceRunner::SourceRunner(std::string name, std::unique_ptr<Source> source, Timing timing,
                           SourceMetrics& metrics, const Clock& clock,
                           std::function<double()> random)
    : name_(std::move(name)),
      source_(std::move(source)),
      timing_(timing),
      metrics_(metrics),
      clock_(clock),
      random_(std::move(random)) {
  metrics_.declare(name_);
}

TimeMs SourceRunner::run_once() {
  PollReport report;
  try {
    source_->poll(report);
  } catch (const std::exception& e) {
    record(report, clock_.now_ms());
    metrics_.failed(name_);
    ++failures_in_a_row_;
    const TimeMs rest = timing_.backoff.delay(failures_in_a_row_, random_());
    spdlog::warn("source {}: {} (failure {} in a row; next try in {} ms)", name_, e.what(),
                 failures_in_a_row_, rest);
    return rest;
  }
  const TimeMs now = clock_.now_ms();
  record(report, now);
  metrics_.succeeded(name_, now);
  if (failures_in_a_row_ > 0) spdlog::info("source {}: read again after failures", name_);
  failures_in_a_row_ = 0;
  return timing_.interval;
}

// Counts what a poll delivered, whether or not it ended well: delivered records are stored.
void SourceRunner::record(const PollReport& report, TimeMs now) {
  const Delivery& r = report.records;
  metrics_.fetched(name_, report.fetches);
  metrics_.records(name_, "stored", r.stored);
  metrics_.records(name_, "duplicate", r.duplicates);
  metrics_.records(name_, "rejected", r.rejected);
  if (r.rejected > 0) {
    spdlog::warn("source {}: {} records rejected; first: {}", name_, r.rejected,
                 r.first_problem.empty() ? "a line longer than max_line_bytes" : r.first_problem);
  }
  if (r.newest) newest_ = std::max(newest_.value_or(*r.newest), *r.newest);
  if (newest_) metrics_.lag(name_, double(std::max<TimeMs>(0, now - *newest_)) / 1000.0);
}

}  // namespace vitals::sources
