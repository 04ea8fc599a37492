#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace vitals::evaluator {

// Alert and group labels, ordered so that equal sets compare and print the same way.
using Labels = std::map<std::string, std::string>;

// What a rule measures over its window, per group (rules/README.md explains each).
enum class Signal {
  kEventCount,
  kErrorCount,
  kSuccessRatePct,
  kErrorRatePct,
  kP50Ms,
  kP90Ms,
  kP95Ms,
  kP99Ms,
  kAvgMs,
  kMaxMs,
  kSecondsSinceLastSuccess,
  kSecondsSinceLastEvent,
  kItems,
  kFailedDeliveries,
  kDlqDepth,
  kWarehouseConnectionStatus,
  kFailingSyncs,
  kAudienceSizeChangePct,
};

std::optional<Signal> parse_signal(std::string_view name);
std::string_view signal_name(Signal signal);

enum class Comparison { kGreater, kGreaterOrEqual, kLess, kLessOrEqual, kEqual, kNotEqual };

std::optional<Comparison> parse_comparison(std::string_view op);
std::string_view comparison_text(Comparison op);
bool holds(Comparison op, double value, double threshold);

// The dimensions events are grouped and filtered by, named as on /metrics.
inline constexpr std::string_view kTenantLabel = "tenant";
inline constexpr std::string_view kTypeLabel = "integration_type";
inline constexpr std::string_view kKeyLabel = "integration_key";
inline constexpr std::string_view kModeLabel = "mode";
inline constexpr std::string_view kStatusLabel = "status";
inline constexpr std::string_view kCategoryLabel = "error_category";
inline constexpr std::string_view kStateLabel = "state";        // warehouse_connection_status
inline constexpr std::string_view kAudienceLabel = "audience";  // audience_size_change_pct

// One alerting rule as written in a rules file.
struct Rule {
  std::string name;
  std::vector<std::string> tenants;  // slugs; empty: every tenant
  Signal signal = Signal::kEventCount;
  bool pct_change = false;  // pct_change(signal): this window against the one before
  std::string item;         // the count kind, for Signal::kItems
  Labels where;             // exact filters
  std::vector<std::string> by;
  TimeMs window = 5 * kMsPerMinute;
  Comparison op = Comparison::kGreater;
  double threshold = 0;
  TimeMs for_duration = 0;
  TimeMs keep_firing_for = 0;
  std::uint64_t min_events = 0;
  std::string severity = "warning";
  std::string source = "data";
  std::string title;
  std::string message;
  std::string link;
  bool pinned = false;
  Labels labels;
  Labels annotations;

  // Where it was written, for messages: the file, the line of its [[rules]] header and of its
  // name, and its place among the file's rules ("rules[2]").
  std::string file;
  int line = 0;
  int name_line = 0;
  size_t index = 0;

  // "pct_change(p95_ms)" or "p95_ms".
  std::string signal_expression() const;
};

}  // namespace vitals::evaluator
