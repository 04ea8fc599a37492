#include "evaluator/rule.h"

#include <array>
#include <utility>

namespace vitals::evaluator {
namespace {

constexpr std::array<std::pair<Signal, std::string_view>, 18> kSignalNames = {{
    {Signal::kEventCount, "event_count"},
    {Signal::kErrorCount, "error_count"},
    {Signal::kSuccessRatePct, "success_rate_pct"},
    {Signal::kErrorRatePct, "error_rate_pct"},
    {Signal::kP50Ms, "p50_ms"},
    {Signal::kP90Ms, "p90_ms"},
    {Signal::kP95Ms, "p95_ms"},
    {Signal::kP99Ms, "p99_ms"},
    {Signal::kAvgMs, "avg_ms"},
    {Signal::kMaxMs, "max_ms"},
    {Signal::kSecondsSinceLastSuccess, "seconds_since_last_success"},
    {Signal::kSecondsSinceLastEvent, "seconds_since_last_event"},
    {Signal::kItems, "items"},
    {Signal::kFailedDeliveries, "failed_deliveries"},
    {Signal::kDlqDepth, "dlq_depth"},
    {Signal::kWarehouseConnectionStatus, "warehouse_connection_status"},
    {Signal::kFailingSyncs, "failing_syncs"},
    {Signal::kAudienceSizeChangePct, "audience_size_change_pct"},
}};

constexpr std::array<std::pair<Comparison, std::string_view>, 6> kComparisons = {{
    {Comparison::kGreater, ">"},
    {Comparison::kGreaterOrEqual, ">="},
    {Comparison::kLess, "<"},
    {Comparison::kLessOrEqual, "<="},
    {Comparison::kEqual, "=="},
    {Comparison::kNotEqual, "!="},
}};

}  // namespace

std::optional<Signal> parse_signal(std::string_view name) {
  for (const auto& [signal, text] : kSignalNames) {
    if (text == name) return signal;
  }
  return std::nullopt;
}

std::string_view signal_name(Signal signal) {
  for (const auto& [known, text] : kSignalNames) {
    if (known == signal) return text;
  }
  return "unknown";
}

std::optional<Comparison> parse_comparison(std::string_view op) {
  for (const auto& [comparison, text] : kComparisons) {
    if (text == op) return comparison;
  }
  return std::nullopt;
}

std::string_view comparison_text(Comparison op) {
  for (const auto& [known, text] : kComparisons) {
    if (known == op) return text;
  }
  return "?";
}

bool holds(Comparison op, double value, double threshold) {
  switch (op) {
    case Comparison::kGreater:
      return value > threshold;
    case Comparison::kGreaterOrEqual:
      return value >= threshold;
    case Comparison::kLess:
      return value < threshold;
    case Comparison::kLessOrEqual:
      return value <= threshold;
    case Comparison::kEqual:
      return value == threshold;
    case Comparison::kNotEqual:
      return value != threshold;
  }
  return false;
}

std::string Rule::signal_expression() const {
  const std::string name(signal_name(signal));
  return pct_change ? "pct_change(" + name + ")" : name;
}

}  // namespace vitals::evaluator
