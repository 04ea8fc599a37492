#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "evaluator/rule_manager.h"

namespace vitals {

// The evaluator on /metrics, read at scrape time:
//   ALERTS{alertname, alertstate, tenant, severity, source, <group labels>, <rule labels>} 1 for
//   every pending and firing alert, as Prometheus exposes its own;
//   vitals_rule_evaluations_total / vitals_rule_evaluation_failures_total{rule},
//   vitals_rule_last_evaluation_timestamp_seconds / vitals_rule_last_success_timestamp_seconds
//   {rule}, vitals_rule_last_duration_seconds{rule}, vitals_rules_loaded.
class AlertsCollector final : public prometheus::Collectable {
 public:
  explicit AlertsCollector(const evaluator::RuleManager& manager) : manager_(manager) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const evaluator::RuleManager& manager_;
};

}  // namespace vitals
