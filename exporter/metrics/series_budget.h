#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"

namespace vitals {

// One /metrics family's share of the cardinality limit: the series it holds (its own and the
// `__overflow__` ones), the series it refused, and when to say so in the log: at most once a
// minute, so a flood of new keys does not become a flood of log lines too.
class SeriesBudget {
 public:
  SeriesBudget(std::string family, size_t limit) : family_(std::move(family)), limit_(limit) {}

  const std::string& family() const { return family_; }
  size_t limit() const { return limit_; }
  // Everything the family shows on /metrics now.
  size_t series() const { return held_ + overflow_; }
  std::uint64_t dropped() const { return dropped_; }

  // Whether `more` series of its own still fit under the limit (overflow series do not count:
  // they are where the refused ones go).
  bool fits(size_t more) const { return held_ + more <= limit_; }
  void add(size_t n, bool overflow) { (overflow ? overflow_ : held_) += n; }
  void release(size_t n, bool overflow) { (overflow ? overflow_ : held_) -= n; }

  // Counts `n` series refused at `now`; returns the warning to log when one is due.
  std::optional<std::string> refuse(size_t n, TimeMs now);

  static constexpr TimeMs kWarningInterval = kMsPerMinute;

 private:
  std::string family_;
  size_t limit_;
  size_t held_ = 0;
  size_t overflow_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t unreported_ = 0;  // refused since the last warning
  std::optional<TimeMs> last_warning_;
};

}  // namespace vitals
