#include "metrics/series_budget.h"

namespace vitals {

std::optional<std::string> SeriesBudget::refuse(size_t n, TimeMs now) {
  dropped_ += n;
  unreported_ += n;
  if (last_warning_ && now - *last_warning_ < kWarningInterval) return std::nullopt;
  std::string warning = family_ + " is at limits.max_series_per_family (" + std::to_string(limit_) +
                        " series): " + std::to_string(unreported_) +
                        " new series went to __overflow__ " +
                        (last_warning_ ? "since the last warning" : "so far");
  last_warning_ = now;
  unreported_ = 0;
  return warning;
}

}  // namespace vitals
