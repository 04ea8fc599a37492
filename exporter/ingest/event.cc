#include "ingest/event.h"

#include <algorithm>

namespace vitals {

std::string_view status_name(EventStatus status) {
  switch (status) {
    case EventStatus::kSuccess:
      return "success";
    case EventStatus::kVendorError:
      return "vendor_error";
    case EventStatus::kException:
      return "exception";
  }
  return "exception";
}

std::optional<EventStatus> parse_status(std::string_view text) {
  if (text.size() > 16) return std::nullopt;
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (lower == "success") return EventStatus::kSuccess;
  if (lower == "vendor_error") return EventStatus::kVendorError;
  if (lower == "exception" || lower == "error") return EventStatus::kException;
  return std::nullopt;
}

}  // namespace vitals
