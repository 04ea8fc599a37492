#pragma once

#include <memory>

#include "core/clock.h"

namespace vitals::bench {

// One tenant's evaluator over real components (SQLite store, rollups, signal source, alert
// state store, feed), for timing evaluation cycles: `groups` integration keys with six events
// each in the 15 minutes before now(), spread over `types` integration types (all one type when
// 0), and `rules` rules grouped by key over 10- and 15-minute windows, a third with `for = "0s"`.
// Rule i filters type i % types, or reads every key when types is 0.
class RuleCycleFixture {
 public:
  RuleCycleFixture(int rules, int groups, int types);
  ~RuleCycleFixture();

  TimeMs now() const;
  void evaluate(TimeMs at);
  size_t active_alerts() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace vitals::bench
