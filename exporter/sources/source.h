#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <stdexcept>

#include "sources/record_sink.h"

namespace vitals::sources {

// What one poll of a source did, added to as it goes so that a poll that fails half way still
// reports what it delivered before failing.
struct PollReport {
  size_t fetches = 0;
  Delivery records;

  void add(const Delivery& d) {
    records.stored += d.stored;
    records.duplicates += d.duplicates;
    records.rejected += d.rejected;
    if (d.newest) records.newest = std::max(records.newest.value_or(*d.newest), *d.newest);
    if (records.first_problem.empty()) records.first_problem = d.first_problem;
  }
};

// A source could not be read this time (no answer, not JSON, an unreadable file): the runner
// backs off and tries again; nothing about the position changes.
class SourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A scrape source: reads what is new since its durable position and hands it to its sink.
class Source {
 public:
  virtual ~Source() = default;
  // Throws SourceError, or sqlite::Error when the store cannot take the records.
  virtual void poll(PollReport& report) = 0;

  // Asks a poll in progress to end after the page it is reading, so that shutting down waits
  // for one request at most rather than a whole run of pages.
  void request_stop() { stop_requested_ = true; }

 protected:
  bool stop_requested() const { return stop_requested_; }

 private:
  std::atomic<bool> stop_requested_{false};
};

}  // namespace vitals::sources
