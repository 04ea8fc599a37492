#include "ingest/event_parser.h"

#include <simdjson.h>

#include <cmath>

#include "core/ndjson_lines.h"
#include "core/time_format.h"

namespace vitals {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr size_t kMaxMessageBytes = 2048;
constexpr size_t kMaxIdBytes = 128;
constexpr size_t kMaxCountKinds = 32;
// Counts and latencies are bounded so that sums stay exact in doubles and in JSON, and so that
// one absurd latency cannot stretch a latency sketch over thousands of bins.
constexpr int64_t kMaxCount = int64_t{1} << 53;
constexpr double kMaxLatencyMs = 1e9;  // about 11.6 days

template <class Allowed>
bool matches(std::string_view s, size_t max_len, Allowed allowed) {
  if (s.empty() || s.size() > max_len) return false;
  for (char c : s) {
    if (!allowed(c)) return false;
  }
  return true;
}

bool lower_digit_or(char c, std::string_view extra) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || extra.find(c) != extra.npos;
}

bool alnum_or(char c, std::string_view extra) {
  return (c >= 'A' && c <= 'Z') || lower_digit_or(c, extra);
}

bool is_valid_mode(std::string_view s) {
  return matches(s, 64, [](char c) { return lower_digit_or(c, "_.-"); });
}

bool is_valid_label_like(std::string_view s) {
  return matches(s, 64, [](char c) { return alnum_or(c, "_.:-"); });
}

// Collects the problems of one event; the first problem per field is enough for a sender.
class EventValidator {
 public:
  EventValidator(size_t line, const EventParserOptions& options, ParsedBatch& batch)
      : line_(line), options_(options), batch_(batch) {}

  void fail(std::string field, std::string message) {
    ++batch_.error_count;
    failed_ = true;
    if (batch_.errors.size() < options_.max_errors) {
      batch_.errors.push_back({line_, std::move(field), std::move(message)});
    }
  }

  bool failed() const { return failed_; }

  // An optional string field: nullopt when absent or null, and also (with its error) when it
  // holds anything but a string.
  std::optional<std::string_view> string_field(object obj, const char* field) {
    return string_value(obj, field, false);
  }
  // A string field the event must carry: one error when it does not, "is required" when it is
  // absent or null, "must be a string" when it holds something else.
  std::optional<std::string_view> required_string_field(object obj, const char* field) {
    return string_value(obj, field, true);
  }
  std::optional<std::string_view> string_value(object obj, const char* field, bool required) {
    element value;
    if (obj[field].get(value) != simdjson::SUCCESS || value.is_null()) {
      if (required) fail(field, "is required");
      return std::nullopt;
    }
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) {
      fail(field, "must be a string");
      return std::nullopt;
    }
    return text;
  }

  void read(object obj, Event& event) {
    read_tenant(obj, event);
    read_identity(obj, event);
    read_status(obj, event);
    read_time(obj, event);
    read_latency(obj, event);
    read_error(obj, event);
    read_counts(obj, event);
    read_id(obj, event);
  }

 private:
  void read_tenant(object obj, Event& event) {
    auto tenant = required_string_field(obj, "tenant");
    if (!tenant) return;
    event.tenant_id = options_.resolve_tenant(*tenant);
    if (event.tenant_id.empty()) fail("tenant", "unknown tenant");
  }

  void read_identity(object obj, Event& event) {
    auto type = required_string_field(obj, "type");
    if (type && !is_valid_type_name(*type)) {
      fail("type", "must match [a-z0-9_.-]{1,64}");
    } else if (type) {
      event.type = *type;
    }
    auto key = string_field(obj, "key");
    if (key && !is_valid_integration_key(*key)) {
      fail("key", "must match [A-Za-z0-9_.:/-]{1,128}");
    } else {
      event.key = key ? std::string(*key) : event.type;
    }
    auto mode = string_field(obj, "mode");
    if (mode && !is_valid_mode(*mode)) {
      fail("mode", "must match [a-z0-9_.-]{1,64}");
    } else {
      event.mode = mode ? std::string(*mode) : "default";
    }
  }

  void read_status(object obj, Event& event) {
    auto status = required_string_field(obj, "status");
    if (!status) return;
    auto parsed = parse_status(*status);
    if (!parsed) {
      fail("status", "must be one of success, vendor_error, exception, error");
      return;
    }
    event.status = *parsed;
  }

  void read_time(object obj, Event& event) {
    event.time = options_.now;
    auto text = string_field(obj, "time");
    if (!text) return;
    auto t = parse_rfc3339(*text);
    if (!t) {
      fail("time", "must be an RFC 3339 date-time with a zone, e.g. 2026-02-17T10:00:00Z");
    } else if (*t > options_.now + options_.max_future) {
      fail("time", "is more than 5 minutes in the future");
    } else if (*t < options_.now - options_.retention) {
      fail("time", "is older than the retention period");
    } else {
      event.time = *t;
    }
  }

  void read_latency(object obj, Event& event) {
    element value;
    if (obj["latency_ms"].get(value) != simdjson::SUCCESS || value.is_null()) return;
    double ms;
    if (value.get_double().get(ms) != simdjson::SUCCESS) {
      fail("latency_ms", "must be a number");
    } else if (!std::isfinite(ms) || ms < 0 || ms > kMaxLatencyMs) {
      fail("latency_ms", "must be a finite number from 0 to 1e9");
    } else {
      event.latency_ms = ms;
    }
  }

  void read_error(object obj, Event& event) {
    element value;
    const bool present = obj["error"].get(value) == simdjson::SUCCESS && !value.is_null();
    object error;
    if (present && value.get_object().get(error) != simdjson::SUCCESS) {
      fail("error", "must be an object with category and message");
      return;
    }
    std::optional<std::string_view> category, message;
    if (present) {
      category = string_field(error, "category");
      message = string_field(error, "message");
    }
    if (category && !is_valid_label_like(*category)) {
      fail("error.category", "must match [A-Za-z0-9_.:-]{1,64}");
    }
    if (message && message->size() > kMaxMessageBytes) {
      fail("error.message", "must be at most 2048 bytes");
    }
    if (!is_failure(event.status)) return;
    event.error_category = category ? std::string(*category) : "unknown";
    if (message) event.error_message = *message;
  }

  void read_counts(object obj, Event& event) {
    element value;
    if (obj["counts"].get(value) != simdjson::SUCCESS || value.is_null()) return;
    object counts;
    if (value.get_object().get(counts) != simdjson::SUCCESS) {
      fail("counts", "must be an object of non-negative integers");
      return;
    }
    for (auto [kind, count] : counts) {
      if (event.counts.size() == kMaxCountKinds) {
        fail("counts", "must have at most 32 kinds");
        return;
      }
      if (!is_valid_label_like(kind)) {
        fail("counts", "kind names must match [A-Za-z0-9_.:-]{1,64}");
        return;
      }
      int64_t n;
      if (count.type() == element_type::UINT64) {
        fail("counts." + std::string(kind), "is too large");
      } else if (count.get_int64().get(n) != simdjson::SUCCESS || n < 0) {
        fail("counts." + std::string(kind), "must be a non-negative integer");
      } else if (n > kMaxCount) {
        fail("counts." + std::string(kind), "must be at most 2^53");
      } else {
        event.counts.emplace_back(kind, n);
      }
    }
  }

  void read_id(object obj, Event& event) {
    auto id = string_field(obj, "id");
    if (!id) return;
    if (id->empty() || id->size() > kMaxIdBytes) {
      fail("id", "must be 1 to 128 bytes");
    } else {
      event.id = *id;
    }
  }

  size_t line_;
  const EventParserOptions& options_;
  ParsedBatch& batch_;
  bool failed_ = false;
};

void parse_one(element doc, size_t line, const EventParserOptions& options, ParsedBatch& batch) {
  ++batch.lines;
  EventValidator validator(line, options, batch);
  object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    validator.fail("", "an event must be a JSON object");
    return;
  }
  Event event;
  validator.read(obj, event);
  if (!validator.failed()) {
    batch.events.push_back(std::move(event));
    batch.event_lines.push_back(line);
  }
}

void report_syntax(size_t line, simdjson::error_code code, const EventParserOptions& options,
                   ParsedBatch& batch) {
  ++batch.lines;
  EventValidator(line, options, batch)
      .fail("", std::string("invalid JSON: ") + simdjson::error_message(code));
}

void parse_ndjson(std::string_view body, const EventParserOptions& options, ParsedBatch& batch) {
  simdjson::dom::parser parser;
  for_each_ndjson_line(body, [&](std::string_view line, size_t line_number) {
    element doc;
    auto code = parser.parse(line.data(), line.size(), true).get(doc);
    if (code != simdjson::SUCCESS) {
      report_syntax(line_number, code, options, batch);
    } else {
      parse_one(doc, line_number, options, batch);
    }
  });
}

void parse_json(std::string_view body, const EventParserOptions& options, ParsedBatch& batch) {
  simdjson::dom::parser parser;
  element doc;
  if (auto code = parser.parse(body.data(), body.size(), true).get(doc)) {
    report_syntax(1, code, options, batch);
    return;
  }
  simdjson::dom::array events;
  if (doc.is_object()) {
    if (doc["events"].get_array().get(events) != simdjson::SUCCESS) {
      EventValidator(1, options, batch).fail("events", "must be an array of events");
      return;
    }
  } else if (doc.get_array().get(events) != simdjson::SUCCESS) {
    EventValidator(1, options, batch)
        .fail("", "the body must be an array of events or {\"events\": [...]}");
    return;
  }
  size_t index = 0;
  for (element e : events) parse_one(e, ++index, options, batch);
}

}  // namespace

bool is_valid_type_name(std::string_view s) {
  return matches(s, 64, [](char c) { return lower_digit_or(c, "_.-"); });
}

bool is_valid_integration_key(std::string_view s) {
  return matches(s, 128, [](char c) { return alnum_or(c, "_.:/-"); });
}

ParsedBatch parse_event_batch(std::string_view body, BodyFormat format,
                              const EventParserOptions& options) {
  ParsedBatch batch;
  if (format == BodyFormat::kNdjson) {
    parse_ndjson(body, options, batch);
  } else {
    parse_json(body, options, batch);
  }
  if (batch.lines == 0 && batch.error_count == 0) {
    EventValidator(1, options, batch).fail("", "the batch holds no events");
  }
  return batch;
}

}  // namespace vitals
