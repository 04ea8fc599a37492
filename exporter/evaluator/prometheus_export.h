#pragma once

#include <optional>
#include <string>
#include <vector>

#include "evaluator/rule.h"

namespace vitals::evaluator {

// A vitals rule as a Prometheus alerting rule over vitals' /metrics, for teams that prefer to
// alert in Prometheus. Not every rule has one: the expression is nullopt and `why_not` says why
// when the signal reads something /metrics does not carry (the entity catalog, exact maxima,
// error categories). Where both exist they agree on the same data up to what /metrics can show:
// latency quantiles come from histogram buckets instead of the exact sketch, and counters are
// extrapolated by increase() instead of counted per event.
struct PrometheusRule {
  std::string name;
  std::optional<std::string> expr;
  std::string why_not;
};

PrometheusRule to_prometheus(const Rule& rule);

// A Prometheus rule file (YAML) with every rule that has an expression, in one group named
// `group`; the others are listed in its header with the reason.
std::string prometheus_rule_file(const std::vector<Rule>& rules, const std::string& group,
                                 const std::vector<std::string>& sources);

}  // namespace vitals::evaluator
