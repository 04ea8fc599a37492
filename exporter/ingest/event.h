#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace vitals {

// `error` on the wire is folded into kException, as the contract says it counts as one.
enum class EventStatus : std::uint8_t { kSuccess = 0, kVendorError = 1, kException = 2 };
inline constexpr int kEventStatusCount = 3;

std::string_view status_name(EventStatus status);
std::optional<EventStatus> parse_status(std::string_view text);  // case-insensitive
inline bool is_failure(EventStatus s) {
  return s != EventStatus::kSuccess;
}

using ItemCounts = std::vector<std::pair<std::string, std::int64_t>>;

// One integration event, validated and normalised (defaults filled in, tenant resolved to id).
struct Event {
  std::string tenant_id;
  std::string type;
  std::string key;
  std::string mode;
  EventStatus status = EventStatus::kSuccess;
  TimeMs time = 0;
  std::optional<double> latency_ms;
  std::string error_category;  // empty on success
  std::string error_message;
  ItemCounts counts;
  std::string id;  // idempotency key; empty when the sender gave none
};

// An event as the store knows it: with its position in commit order.
struct StoredEvent {
  std::int64_t seq = 0;
  Event event;
};

// A newly stored event as ingest hands it from the store to the rollups and metrics: its
// position and the submitter's own Event. The submitter waits until its batch is applied, so the
// event outlives the apply, and nothing is copied between the parse and the rollups (the copy
// and its free were 4.5% of ingest's CPU: a heap tenant id per event; bench/README.md, "No copy
// of each event between the store and the rollups").
struct StoredEventRef {
  std::int64_t seq = 0;
  const Event* event = nullptr;
};

inline std::vector<StoredEventRef> refs_of(const std::vector<StoredEvent>& events) {
  std::vector<StoredEventRef> refs;
  refs.reserve(events.size());
  for (const StoredEvent& e : events) refs.push_back({e.seq, &e.event});
  return refs;
}

}  // namespace vitals
