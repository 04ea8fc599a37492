#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "evaluator/alert_sink.h"
#include "evaluator/alerting_rule.h"
#include "evaluator/signal_source.h"

namespace vitals::evaluator {

struct RuleHealth {
  std::string rule;
  std::uint64_t evaluations = 0;
  std::uint64_t failures = 0;
  TimeMs last_evaluation = 0;
  TimeMs last_success = 0;
  double last_duration_seconds = 0;
  std::string last_error;
};

// Runs every rule against the signal source at each evaluation and moves announcements from the
// rules to the sink through the durable outbox of the state store:
//   1. evaluate every rule → new instance state and announcements;
//   2. save those of the rules that changed, all in one transaction;
//   3. deliver the announcements, then mark them delivered.
// A crash between 2 and 3 leaves the announcements in the outbox; the next evaluation delivers
// them first, and the sink's idempotence on the key makes a repeat harmless.
class RuleManager {
 public:
  RuleManager(const SignalSource& source, AlertSink& sink, AlertStateStore& state);

  // Replaces the rule set. Rules that keep their name keep their alerts (as on a Prometheus
  // reload); firing alerts of removed rules are resolved.
  void set_rules(std::vector<Rule> rules, TimeMs now);

  void evaluate(TimeMs now);

  // Called after each evaluation with how long it took (for a histogram on /metrics).
  void on_cycle(std::function<void(double seconds)> observer) { on_cycle_ = std::move(observer); }

  std::vector<AlertInstance> active_alerts() const;
  std::vector<RuleHealth> health() const;
  size_t rule_count() const;

 private:
  struct Entry {
    explicit Entry(AlertingRule r) : rule(std::move(r)) {}
    AlertingRule rule;                  // touched only under evaluation_mutex_
    std::vector<Announcement> unsaved;  // made but not yet in the state store
    std::uint64_t saved_version = 0;
    RuleHealth health;                     // under mutex_
    std::vector<AlertInstance> instances;  // as last saved, for readers, under mutex_
  };
  void retire(const std::string& name, std::optional<Rule> last,
              const std::vector<AlertInstance>& instances, TimeMs now);
  std::vector<GroupValue> groups_of(const Rule& rule, TimeMs now) const;
  std::vector<SignalSample> pct_change(const SignalRequest& current,
                                       std::vector<SignalSample> samples, TimeMs window) const;
  struct Outcome {
    bool changed = false;  // it has something a restart must know that is not yet stored
    std::string error;
    double seconds = 0;
  };
  Outcome evaluate_rule(Entry& entry, TimeMs now);
  void record(Entry& entry, TimeMs now, double seconds, const std::string& error);
  std::string save(const std::vector<Entry*>& changed);
  void deliver_outbox();

  const SignalSource& source_;
  AlertSink& sink_;
  AlertStateStore& state_;
  mutable std::mutex mutex_;  // guards rules_ against readers (scrapes)
  std::vector<std::unique_ptr<Entry>> rules_;
  bool restored_ = false;
  std::function<void(double)> on_cycle_;
  std::mutex evaluation_mutex_;  // one evaluation or rule change at a time
};

}  // namespace vitals::evaluator
