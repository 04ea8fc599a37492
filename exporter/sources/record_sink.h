#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace vitals::sources {

struct Delivery {
  size_t stored = 0;
  size_t duplicates = 0;
  size_t rejected = 0;  // not valid events, or past the tenant's series limit; never stored
  std::optional<TimeMs> newest;  // time of the newest valid event
  std::string first_problem;     // of the first rejected record, for the log
};

// Where a source hands what it read: events in the ingest format (NDJSON) and the position just
// past them. The valid events and the position are stored together or not at all.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Throws (sqlite::Error) when the store cannot take them; then nothing is stored.
  virtual Delivery deliver(std::string_view ndjson, const std::string& position) = 0;
};

}  // namespace vitals::sources
