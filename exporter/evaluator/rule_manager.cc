#include "evaluator/rule_manager.h"

#include <chrono>
#include <map>
#include <optional>

#include <spdlog/spdlog.h>

namespace vitals::evaluator {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool selects(const Rule& rule, const TenantRef& tenant) {
  if (rule.tenants.empty()) return true;
  for (const auto& wanted : rule.tenants) {
    if (wanted == tenant.slug || wanted == tenant.id) return true;
  }
  return false;
}

}  // namespace

RuleManager::RuleManager(const SignalSource& source, AlertSink& sink, AlertStateStore& state)
    : source_(source), sink_(sink), state_(state) {}

void RuleManager::set_rules(std::vector<Rule> rules, TimeMs now) {
  std::lock_guard evaluation(evaluation_mutex_);
  // By rule name: the instances to carry over, and the rule they came from when it is known.
  struct Kept {
    std::optional<Rule> rule;
    std::vector<AlertInstance> instances;
  };
  std::map<std::string, Kept> kept;
  if (!restored_) {
    for (auto& instance : state_.load_instances())
      kept[instance.rule].instances.push_back(instance);
    restored_ = true;
  } else {
    std::lock_guard lock(mutex_);
    for (const auto& entry : rules_) {
      kept[entry->rule.rule().name] = {entry->rule.rule(), entry->rule.instances()};
    }
  }
  std::vector<std::unique_ptr<Entry>> next;
  for (auto& rule : rules) {
    auto entry = std::make_unique<Entry>(AlertingRule(std::move(rule)));
    const std::string& name = entry->rule.rule().name;
    entry->health.rule = name;
    if (auto it = kept.find(name); it != kept.end()) {
      entry->rule.restore(it->second.instances);
      entry->saved_version = entry->rule.version();
      entry->instances = it->second.instances;
      kept.erase(it);
    }
    next.push_back(std::move(entry));
  }
  for (auto& [name, gone] : kept) retire(name, std::move(gone.rule), gone.instances, now);
  {
    std::lock_guard lock(mutex_);
    rules_ = std::move(next);
  }
  deliver_outbox();
}

// The resolutions of a removed rule's firing alerts are rendered from its last definition (their
// title, annotations, link and threshold as when they fired). A rule removed while vitals was
// down is known only by name, which then stands in for its title.
void RuleManager::retire(const std::string& name, std::optional<Rule> last,
                         const std::vector<AlertInstance>& instances, TimeMs now) {
  Rule rule;
  if (last) {
    rule = std::move(*last);
  } else {
    rule.name = name;
    rule.title = name;
  }
  AlertingRule retired(std::move(rule));
  retired.restore(instances);
  state_.save({{name, {}, retired.retire(now, "The rule " + name + " was removed.")}});
}

std::vector<SignalSample> RuleManager::pct_change(const SignalRequest& current,
                                                  std::vector<SignalSample> samples,
                                                  TimeMs window) const {
  SignalRequest previous = current;
  previous.from -= window;
  previous.to -= window;
  std::map<Labels, double> before;
  for (auto& s : source_.sample(previous)) before[s.labels] = s.value;
  std::vector<SignalSample> out;
  for (auto& s : samples) {
    auto it = before.find(s.labels);
    if (it == before.end() || it->second == 0) continue;  // no base to compare with
    s.value = (s.value - it->second) / it->second * 100.0;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<GroupValue> RuleManager::groups_of(const Rule& rule, TimeMs now) const {
  std::vector<GroupValue> groups;
  for (const auto& tenant : source_.tenants()) {
    if (!selects(rule, tenant)) continue;
    SignalRequest request{rule.signal, rule.item,         rule.where, rule.by,
                          tenant.id,   now - rule.window, now};
    auto samples = source_.sample(request);
    if (rule.pct_change) samples = pct_change(request, std::move(samples), rule.window);
    for (auto& s : samples) {
      Labels group = std::move(s.labels);
      group[std::string(kTenantLabel)] = tenant.slug;
      groups.push_back({tenant.id, std::move(group), s.value, s.events});
    }
  }
  return groups;
}

void RuleManager::record(Entry& entry, TimeMs now, double seconds, const std::string& error) {
  std::lock_guard lock(mutex_);
  RuleHealth& h = entry.health;
  ++h.evaluations;
  h.last_evaluation = now;
  h.last_duration_seconds = seconds;
  h.last_error = error;
  if (error.empty()) {
    h.last_success = now;
  } else {
    ++h.failures;
  }
}

RuleManager::Outcome RuleManager::evaluate_rule(Entry& entry, TimeMs now) {
  const auto start = std::chrono::steady_clock::now();
  Outcome outcome;
  try {
    auto announcements = entry.rule.evaluate(groups_of(entry.rule.rule(), now), now);
    entry.unsaved.insert(entry.unsaved.end(), std::make_move_iterator(announcements.begin()),
                         std::make_move_iterator(announcements.end()));
  } catch (const std::exception& e) {
    outcome.error = e.what();
    spdlog::warn("rule {}: evaluation failed: {}", entry.rule.rule().name, outcome.error);
  }
  outcome.seconds = seconds_since(start);
  outcome.changed = !entry.unsaved.empty() || entry.rule.version() != entry.saved_version;
  return outcome;
}

// One transaction for every rule that changed in the cycle. If it fails, the rules keep their
// unsaved announcements and are written with the next cycle, so no announcement is lost and none
// is delivered before it is recorded. Returns the error, or an empty string.
std::string RuleManager::save(const std::vector<Entry*>& changed) {
  if (changed.empty()) return {};
  std::vector<RuleState> states;
  for (Entry* entry : changed) {
    states.push_back({entry->rule.rule().name, entry->rule.instances(), entry->unsaved});
  }
  try {
    state_.save(states);
  } catch (const std::exception& e) {
    spdlog::warn("alert state not saved; retrying with the next evaluation: {}", e.what());
    return e.what();
  }
  for (size_t i = 0; i < changed.size(); ++i) {
    Entry& entry = *changed[i];
    entry.unsaved.clear();
    entry.saved_version = entry.rule.version();
    std::lock_guard lock(mutex_);
    entry.instances = std::move(states[i].instances);
  }
  return {};
}

// Delivery is all or nothing per attempt: a failure leaves every announcement in the outbox for
// the next evaluation, and the sink's idempotence absorbs the ones that did get through.
void RuleManager::deliver_outbox() {
  try {
    const auto outbox = state_.outbox();
    if (outbox.empty()) return;
    sink_.announce(outbox);
    std::vector<std::string> keys;
    for (const auto& a : outbox) keys.push_back(a.key);
    state_.delivered(keys);
  } catch (const std::exception& e) {
    spdlog::warn("alert announcements wait for the next evaluation: {}", e.what());
  }
}

void RuleManager::evaluate(TimeMs now) {
  std::lock_guard evaluation(evaluation_mutex_);
  const auto start = std::chrono::steady_clock::now();
  deliver_outbox();
  std::vector<Outcome> outcomes;
  std::vector<Entry*> changed;
  source_.begin_cycle();
  for (auto& entry : rules_) {
    outcomes.push_back(evaluate_rule(*entry, now));
    if (outcomes.back().changed) changed.push_back(entry.get());
  }
  source_.end_cycle();
  const std::string save_error = save(changed);
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Outcome& o = outcomes[i];
    record(*rules_[i], now, o.seconds, o.error.empty() && o.changed ? save_error : o.error);
  }
  deliver_outbox();
  if (on_cycle_) on_cycle_(seconds_since(start));
}

std::vector<AlertInstance> RuleManager::active_alerts() const {
  std::lock_guard lock(mutex_);
  std::vector<AlertInstance> out;
  for (const auto& entry : rules_) {
    out.insert(out.end(), entry->instances.begin(), entry->instances.end());
  }
  return out;
}

std::vector<RuleHealth> RuleManager::health() const {
  std::lock_guard lock(mutex_);
  std::vector<RuleHealth> out;
  for (const auto& entry : rules_) out.push_back(entry->health);
  return out;
}

size_t RuleManager::rule_count() const {
  std::lock_guard lock(mutex_);
  return rules_.size();
}

}  // namespace vitals::evaluator
