#include "sources/pipeline_sink.h"

#include <algorithm>

#include "ingest/event_parser.h"
#include "store/source_position_store.h"

namespace vitals::sources {
namespace {

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string describe(const EventError& error) {
  std::string text = "record " + std::to_string(error.line);
  if (!error.field.empty()) text += ": " + error.field;
  return text + ": " + error.message;
}

}  // namespace

Delivery PipelineSink::deliver(std::string_view ndjson, const std::string& position) {
  const TimeMs now = clock_.now_ms();
  ParsedBatch batch;
  if (!blank(ndjson)) {
    EventParserOptions options;
    options.now = now;
    options.retention = retention_;
    options.max_errors = 1;
    options.resolve_tenant = [this](std::string_view ref) -> std::string {
      return ref == tenant_.slug || ref == tenant_.id ? tenant_.id : "";
    };
    batch = parse_event_batch(ndjson, BodyFormat::kNdjson, options);
  }
  const Submission outcome = pipeline_.submit(
      batch.events, PastSeriesLimit::kDropEvents,
      [&](sqlite::Database& db) { write_source_position(db, source_, position, now); });
  Delivery delivery;
  delivery.stored = outcome.accepted - outcome.duplicates;
  delivery.duplicates = outcome.duplicates;
  delivery.rejected = batch.lines - batch.events.size() + outcome.past_series_limit.size();
  for (const Event& e : batch.events)
    delivery.newest = std::max(delivery.newest.value_or(e.time), e.time);
  if (!batch.errors.empty()) {
    delivery.first_problem = describe(batch.errors.front());
  } else if (!outcome.past_series_limit.empty()) {
    delivery.first_problem = describe({batch.event_lines[outcome.past_series_limit.front()], "key",
                                       "would start a series past limits.max_series_per_tenant"});
  }
  return delivery;
}

}  // namespace vitals::sources
