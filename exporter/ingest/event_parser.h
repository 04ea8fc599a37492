#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/event.h"

namespace vitals {

enum class BodyFormat { kNdjson, kJson };

struct EventError {
  size_t line = 0;  // 1-based line (NDJSON) or array index (JSON)
  std::string field;
  std::string message;
};

struct ParsedBatch {
  std::vector<Event> events;
  std::vector<size_t> event_lines;  // the line (or array index) of each event
  std::vector<EventError> errors;   // at most max_errors; error_count has the full number
  size_t error_count = 0;
  size_t lines = 0;  // events seen, valid or not
};

struct EventParserOptions {
  TimeMs now = 0;
  TimeMs retention = 0;
  TimeMs max_future = 5 * kMsPerMinute;
  size_t max_errors = 100;
  // Maps the `tenant` field to a tenant id the caller may write, or "" when it may not (an
  // unknown tenant and a forbidden one must be indistinguishable to the sender).
  std::function<std::string(std::string_view)> resolve_tenant;
};

// Parses and validates a whole batch. Every event is checked, so a sender learns all of its
// mistakes at once; the caller stores the batch only when `errors` is empty.
ParsedBatch parse_event_batch(std::string_view body, BodyFormat format,
                              const EventParserOptions& options);

// Character-class checks shared with other inputs that carry the same identifiers.
bool is_valid_type_name(std::string_view s);        // [a-z0-9_.-]{1,64}
bool is_valid_integration_key(std::string_view s);  // [A-Za-z0-9_.:/-]{1,128}

}  // namespace vitals
