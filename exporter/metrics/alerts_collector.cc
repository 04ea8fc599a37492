#include "metrics/alerts_collector.h"

#include <algorithm>

namespace vitals {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

ClientMetric metric(std::vector<ClientMetric::Label> labels) {
  ClientMetric m;
  m.label = std::move(labels);
  return m;
}

MetricFamily alerts(const std::vector<evaluator::AlertInstance>& instances) {
  MetricFamily family{
      "ALERTS", "Pending and firing alerts of vitals' rules.", MetricType::Gauge, {}};
  for (const auto& instance : instances) {
    std::vector<ClientMetric::Label> labels;
    for (const auto& [name, value] : instance.labels) labels.push_back({name, value});
    labels.push_back({"alertstate", std::string(state_name(instance.state))});
    std::sort(labels.begin(), labels.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    ClientMetric m = metric(std::move(labels));
    m.gauge.value = 1;
    family.metric.push_back(std::move(m));
  }
  return family;
}

struct PerRule {
  MetricFamily family;
  double (*value)(const evaluator::RuleHealth&);
};

std::vector<PerRule> per_rule_families() {
  return {
      {{"vitals_rule_evaluations_total", "Evaluations of each rule.", MetricType::Counter, {}},
       [](const evaluator::RuleHealth& h) { return double(h.evaluations); }},
      {{"vitals_rule_evaluation_failures_total",
        "Evaluations of each rule that failed (the rule kept its previous state).",
        MetricType::Counter,
        {}},
       [](const evaluator::RuleHealth& h) { return double(h.failures); }},
      {{"vitals_rule_last_evaluation_timestamp_seconds",
        "When each rule was last evaluated, Unix seconds.",
        MetricType::Gauge,
        {}},
       [](const evaluator::RuleHealth& h) { return double(h.last_evaluation) / 1000.0; }},
      {{"vitals_rule_last_success_timestamp_seconds",
        "When each rule last evaluated without error, Unix seconds (0: never).",
        MetricType::Gauge,
        {}},
       [](const evaluator::RuleHealth& h) { return double(h.last_success) / 1000.0; }},
      {{"vitals_rule_last_duration_seconds",
        "How long each rule's last evaluation took.",
        MetricType::Gauge,
        {}},
       [](const evaluator::RuleHealth& h) { return h.last_duration_seconds; }},
  };
}

}  // namespace

std::vector<MetricFamily> AlertsCollector::Collect() const {
  std::vector<MetricFamily> out{alerts(manager_.active_alerts())};
  const auto health = manager_.health();
  for (auto& [family, value] : per_rule_families()) {
    for (const auto& h : health) {
      ClientMetric m = metric({{"rule", h.rule}});
      if (family.type == MetricType::Counter) {
        m.counter.value = value(h);
      } else {
        m.gauge.value = value(h);
      }
      family.metric.push_back(std::move(m));
    }
    out.push_back(std::move(family));
  }
  MetricFamily loaded{"vitals_rules_loaded", "Alerting rules loaded.", MetricType::Gauge, {}};
  ClientMetric count = metric({});
  count.gauge.value = double(manager_.rule_count());
  loaded.metric.push_back(std::move(count));
  out.push_back(std::move(loaded));
  return out;
}

}  // namespace vitals
