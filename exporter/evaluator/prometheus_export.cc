#include "evaluator/prometheus_export.h"

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>
#include <stdexcept>

#include "evaluator/alert_template.h"

namespace vitals::evaluator {
namespace {

// A vitals dimension that /metrics does not carry for the metric a signal needs.
struct NotExpressible : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A family on /metrics and the label each vitals dimension is under there.
struct Family {
  std::string name;
  std::map<std::string, std::string> labels;
};

const std::map<std::string, std::string> kIntegrationLabels = {
    {std::string(kTypeLabel), "integration_type"}, {std::string(kKeyLabel), "integration_key"}};

Family family(std::string name, std::map<std::string, std::string> labels) {
  labels.emplace(std::string(kTenantLabel), "tenant");
  return {std::move(name), std::move(labels)};
}

// The integration families: every one has type and key; some also mode, and status.
Family integration_family(std::string name, bool with_mode, bool with_status) {
  auto labels = kIntegrationLabels;
  if (with_mode) labels.emplace(std::string(kModeLabel), "mode");
  if (with_status) labels.emplace(std::string(kStatusLabel), "status");
  return family(std::move(name), labels);
}

const Family kEvents = integration_family("vitals_integration_events_total", true, true);
const Family kLatencyBuckets =
    integration_family("vitals_integration_latency_seconds_bucket", true, false);
const Family kLatencySum =
    integration_family("vitals_integration_latency_seconds_sum", true, false);
const Family kLatencyCount =
    integration_family("vitals_integration_latency_seconds_count", true, false);
const Family kItems = integration_family("vitals_integration_items_total", false, false);
const Family kLastSuccess =
    integration_family("vitals_integration_last_success_timestamp_seconds", false, false);
const Family kDlq = family("vitals_warehouse_dlq_depth", {{std::string(kKeyLabel), "connection"}});
const Family kConnections =
    family("vitals_warehouse_connection_status",
           {{std::string(kKeyLabel), "connection"}, {std::string(kStateLabel), "state"}});
const Family kAudiences =
    family("vitals_audience_size", {{std::string(kAudienceLabel), "audience"}});

std::string promql_string(const std::string& text) {
  return nlohmann::json(text).dump();  // PromQL string escapes are JSON's for what rules hold
}

std::string number(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

// Builds the PromQL of one rule: its filters and grouping, over one family at a time.
class Expressions {
 public:
  explicit Expressions(const Rule& rule) : rule_(rule), window_(format_window(rule.window)) {
    groups_.push_back(std::string(kTenantLabel));
    groups_.insert(groups_.end(), rule.by.begin(), rule.by.end());
  }

  // `family{filters, extra}`; with `range`, over the window, and with `previous`, the window
  // before it. A family that names a dimension otherwise is renamed to vitals' name.
  std::string select(const Family& f, const std::string& extra, bool range, bool previous) const {
    std::string matchers;
    const auto add = [&](const std::string& m) { matchers += (matchers.empty() ? "" : ",") + m; };
    if (!rule_.tenants.empty()) {
      std::string alternatives;
      for (const auto& t : rule_.tenants) alternatives += (alternatives.empty() ? "" : "|") + t;
      add("tenant=~" + promql_string(alternatives));
    }
    for (const auto& [dimension, value] : rule_.where)
      add(label_of(f, dimension) + "=" + promql_string(value));
    if (!extra.empty()) add(extra);
    for (const auto& dimension : groups_) label_of(f, dimension);
    std::string out = matchers.empty() ? f.name : f.name + "{" + matchers + "}";
    if (range) out += "[" + window_ + "]";
    if (previous) out += " offset " + window_;
    for (const auto& [dimension, label] : f.labels) {
      if (dimension != label && range) {
        throw NotExpressible("a range over " + f.name + " cannot rename " + label);
      }
      if (dimension != label) {
        out = "label_replace(" + out + ", " + promql_string(dimension) + ", \"$1\", " +
              promql_string(label) + ", \"(.*)\")";
      }
    }
    return out;
  }

  std::string by(const std::string& extra = "") const {
    std::string out;
    for (const auto& g : groups_) out += (out.empty() ? "" : ", ") + g;
    return "by (" + out + (extra.empty() ? "" : ", " + extra) + ")";
  }

  // Σ increase over the window, per group.
  std::string sum_increase(const Family& f, const std::string& extra, bool previous) const {
    return aggregate("sum", "increase(" + select(f, extra, true, previous) + ")");
  }

  std::string aggregate(const std::string& op, const std::string& inner) const {
    return op + " " + by() + " (" + inner + ")";
  }

  const std::string& window() const { return window_; }

 private:
  static std::string label_of(const Family& f, const std::string& dimension) {
    const auto it = f.labels.find(dimension);
    if (it == f.labels.end()) {
      throw NotExpressible("/metrics has no " + dimension + " label on " + f.name);
    }
    return it->second;
  }

  const Rule& rule_;
  std::string window_;
  std::vector<std::string> groups_;
};

std::string ratio_pct(const Expressions& e, const std::string& status, bool previous) {
  const std::string part = e.sum_increase(kEvents, status, previous);
  const std::string all = e.sum_increase(kEvents, "", previous);
  // A group with no event of the part has no series for it: count it as 0, not as absent.
  return "100 * (" + part + " or 0 * " + all + ") / " + all;
}

std::string quantile_ms(const Expressions& e, const char* q, bool previous) {
  return "1000 * histogram_quantile(" + std::string(q) + ", sum " + e.by("le") + " (rate(" +
         e.select(kLatencyBuckets, "", true, previous) + ")))";
}

std::string value_of(const Rule& rule, const Expressions& e, bool previous) {
  switch (rule.signal) {
    case Signal::kEventCount:
      return e.sum_increase(kEvents, "", previous);
    case Signal::kErrorCount:
      return e.sum_increase(kEvents, "status!=\"success\"", previous);
    case Signal::kFailedDeliveries:
      return e.sum_increase(kEvents, "integration_type=\"warehouse_delivery\",status!=\"success\"",
                            previous);
    case Signal::kItems:
      return e.sum_increase(kItems, "item=" + promql_string(rule.item), previous);
    case Signal::kSuccessRatePct:
      return ratio_pct(e, "status=\"success\"", previous);
    case Signal::kErrorRatePct:
      return ratio_pct(e, "status!=\"success\"", previous);
    case Signal::kP50Ms:
      return quantile_ms(e, "0.5", previous);
    case Signal::kP90Ms:
      return quantile_ms(e, "0.9", previous);
    case Signal::kP95Ms:
      return quantile_ms(e, "0.95", previous);
    case Signal::kP99Ms:
      return quantile_ms(e, "0.99", previous);
    case Signal::kAvgMs:
      return "1000 * " +
             e.aggregate("sum", "rate(" + e.select(kLatencySum, "", true, previous) + ")") + " / " +
             e.aggregate("sum", "rate(" + e.select(kLatencyCount, "", true, previous) + ")");
    case Signal::kSecondsSinceLastSuccess:
      if (previous) break;
      return "time() - " + e.aggregate("max", e.select(kLastSuccess, "", false, false));
    case Signal::kDlqDepth:
      return e.aggregate("max", e.select(kDlq, "", false, previous));
    case Signal::kWarehouseConnectionStatus:
      return e.aggregate("max", e.select(kConnections, "", false, previous));
    case Signal::kAudienceSizeChangePct:
      if (previous) break;
      return "100 * " + e.aggregate("sum", e.select(kAudiences, "", false, false)) + " / " +
             e.aggregate("sum", e.select(kAudiences, "", false, true)) + " - 100";
    case Signal::kMaxMs:
      throw NotExpressible("/metrics has latency buckets, not the largest latency");
    case Signal::kSecondsSinceLastEvent:
      throw NotExpressible(
          "/metrics has the last success and error, not the last event of any status");
    case Signal::kFailingSyncs:
      throw NotExpressible("failing_syncs reads the entity catalog, which /metrics does not carry");
  }
  throw NotExpressible("pct_change(" + std::string(signal_name(rule.signal)) +
                       ") has no earlier value on /metrics");
}

bool counts_events(Signal signal) {
  switch (signal) {
    case Signal::kWarehouseConnectionStatus:
    case Signal::kDlqDepth:
    case Signal::kFailingSyncs:
    case Signal::kAudienceSizeChangePct:
      return false;
    default:
      return true;
  }
}

std::string expression(const Rule& rule) {
  const Expressions e(rule);
  std::string value = value_of(rule, e, false);
  if (rule.pct_change) {
    const std::string before = value_of(rule, e, true);
    value = "(" + value + " - " + before + ") / (" + before + " > 0) * 100";
  }
  std::string expr =
      "(" + value + ") " + std::string(comparison_text(rule.op)) + " " + number(rule.threshold);
  if (rule.min_events > 0) {
    if (!counts_events(rule.signal)) {
      throw NotExpressible("min_events of " + std::string(signal_name(rule.signal)) +
                           " counts catalog entries, which /metrics does not carry");
    }
    // `and` binds last and matches on every label: both sides are summed by the same groups.
    expr += " and " + e.sum_increase(kEvents, "", false) + " >= " + number(double(rule.min_events));
  }
  return expr;
}

// A vitals template as a Prometheus one: group labels from $labels, the value from $value, the
// rule's own settings written out.
std::string prometheus_template(const std::string& text, const Rule& rule) {
  return rewrite_template(text, [&](std::string_view name) -> std::string {
    if (name == "value") return "{{ printf \"%.2f\" $value }}";
    if (name == "threshold") return number(rule.threshold);
    if (name == "window") return format_window(rule.window);
    if (name == "op") return std::string(comparison_text(rule.op));
    if (name == "rule" || name == "alertname") return rule.name;
    if (name == "signal") return rule.signal_expression();
    if (name == "severity") return rule.severity;
    if (name == "source") return rule.source;
    if (const auto label = rule.labels.find(std::string(name)); label != rule.labels.end()) {
      return label->second;
    }
    return "{{ $labels." + std::string(name) + " }}";
  });
}

void write_rule(std::ostream& out, const Rule& rule, const std::string& expr) {
  out << "      - alert: " << promql_string(rule.name) << "\n";
  out << "        expr: " << promql_string(expr) << "\n";
  if (rule.for_duration > 0) out << "        for: " << format_window(rule.for_duration) << "\n";
  if (rule.keep_firing_for > 0) {
    out << "        keep_firing_for: " << format_window(rule.keep_firing_for) << "\n";
  }
  out << "        labels:\n";
  Labels labels = rule.labels;
  labels["severity"] = rule.severity;
  labels["source"] = rule.source;
  for (const auto& [name, value] : labels)
    out << "          " << name << ": " << promql_string(value) << "\n";
  Labels annotations;
  for (const auto& [name, text] : rule.annotations)
    annotations[name] = prometheus_template(text, rule);
  annotations["summary"] = prometheus_template(rule.title, rule);
  if (!rule.message.empty()) annotations["description"] = prometheus_template(rule.message, rule);
  if (!rule.link.empty()) annotations["link"] = prometheus_template(rule.link, rule);
  out << "        annotations:\n";
  for (const auto& [name, text] : annotations)
    out << "          " << name << ": " << promql_string(text) << "\n";
}

}  // namespace

PrometheusRule to_prometheus(const Rule& rule) {
  try {
    return {rule.name, expression(rule), {}};
  } catch (const NotExpressible& e) {
    return {rule.name, std::nullopt, e.what()};
  }
}

std::string prometheus_rule_file(const std::vector<Rule>& rules, const std::string& group,
                                 const std::vector<std::string>& sources) {
  std::ostringstream header;
  std::ostringstream body;
  header << "# Prometheus alerting rules over vitals' /metrics, generated by\n"
            "# `vitals rules export --format prometheus` from:\n";
  for (const auto& s : sources) header << "#   " << s << "\n";
  body << "groups:\n  - name: " << promql_string(group) << "\n    rules:\n";
  bool skipped_any = false;
  size_t exported = 0;
  for (const auto& rule : rules) {
    const auto p = to_prometheus(rule);
    if (p.expr) {
      write_rule(body, rule, *p.expr);
      ++exported;
    } else {
      if (!skipped_any) header << "# Not exported, because /metrics cannot express them:\n";
      skipped_any = true;
      header << "#   " << rule.name << ": " << p.why_not << "\n";
    }
  }
  if (exported == 0) body.str("groups:\n  - name: " + promql_string(group) + "\n    rules: []\n");
  return header.str() + body.str();
}

}  // namespace vitals::evaluator
