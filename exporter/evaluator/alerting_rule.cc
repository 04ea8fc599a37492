#include "evaluator/alerting_rule.h"

#include <algorithm>

#include "evaluator/alert_template.h"

namespace vitals::evaluator {
namespace {

std::string announcement_key(const AlertInstance& instance, Announcement::Kind kind) {
  return instance.rule + "/" + fingerprint(instance.labels) + "@" +
         std::to_string(instance.active_at) + "/" + std::string(kind_name(kind));
}

}  // namespace

AlertingRule::AlertingRule(Rule rule) : rule_(std::move(rule)) {}

Labels AlertingRule::alert_labels(const Labels& group) const {
  Labels labels = rule_.labels;
  for (const auto& [name, value] : group) labels[name] = value;
  labels["alertname"] = rule_.name;
  labels["severity"] = rule_.severity;
  labels["source"] = rule_.source;
  return labels;
}

// The group labels of an alert's labels: the tenant and the rule's `by` dimensions.
std::string AlertingRule::group_key(const Labels& alert_labels) const {
  Labels group;
  for (const auto& [name, value] : alert_labels) {
    if (name == kTenantLabel ||
        std::find(rule_.by.begin(), rule_.by.end(), name) != rule_.by.end()) {
      group.emplace(name, value);
    }
  }
  return fingerprint(group);
}

bool AlertingRule::qualifies(const GroupValue& group) const {
  if (group.events < rule_.min_events) return false;
  return holds(rule_.op, group.value, rule_.threshold);
}

// Instances are keyed by their group labels alone (the rest of an alert's labels is the same for
// every instance of the rule), so a group that is not alerting costs one key and one lookup.
std::vector<Announcement> AlertingRule::evaluate(const std::vector<GroupValue>& groups,
                                                 TimeMs now) {
  for (auto& [key, active] : active_) active.seen = active.held = false;
  for (const auto& group : groups) {
    const bool holds = qualifies(group);
    const std::string key = fingerprint(group.group);
    auto it = active_.find(key);
    if (it == active_.end()) {
      if (!holds) continue;
      AlertInstance instance;
      instance.rule = rule_.name;
      instance.tenant_id = group.tenant_id;
      instance.labels = alert_labels(group.group);
      instance.active_at = now;
      it = active_.emplace(key, Active{std::move(instance)}).first;
      ++version_;
    }
    Active& active = it->second;
    active.seen = true;
    active.held = holds;
    active.instance.value = group.value;
    if (holds && active.instance.keep_firing_since != 0) {
      active.instance.keep_firing_since = 0;
      ++version_;
    }
  }

  std::vector<Announcement> out;
  for (auto it = active_.begin(); it != active_.end();) {
    Active& active = it->second;
    AlertInstance& instance = active.instance;
    if (active.held) {
      if (instance.state == AlertState::kPending &&
          now - instance.active_at >= rule_.for_duration) {
        instance.state = AlertState::kFiring;
        instance.fired_at = now;
        instance.fired_value = instance.value;
        ++version_;
        out.push_back(firing(instance));
      }
      ++it;
      continue;
    }
    if (instance.state == AlertState::kFiring) {
      if (instance.keep_firing_since == 0) {
        instance.keep_firing_since = now;
        ++version_;
      }
      if (now - instance.keep_firing_since < rule_.keep_firing_for) {
        ++it;
        continue;
      }
      out.push_back(resolved(instance, now,
                             active.seen
                                 ? ""
                                 : "No data for this group in the last " +
                                       expand_template("{{window}}", {instance.labels, 0, rule_}) +
                                       "; the condition no longer holds."));
    }
    ++version_;
    it = active_.erase(it);
  }
  return out;
}

std::vector<Announcement> AlertingRule::retire(TimeMs now, const std::string& why) {
  std::vector<Announcement> out;
  for (const auto& [key, active] : active_) {
    if (active.instance.state == AlertState::kFiring) {
      out.push_back(resolved(active.instance, now, why));
    }
  }
  active_.clear();
  ++version_;
  return out;
}

std::vector<AlertInstance> AlertingRule::instances() const {
  std::vector<AlertInstance> out;
  out.reserve(active_.size());
  for (const auto& [key, active] : active_) out.push_back(active.instance);
  return out;
}

void AlertingRule::restore(const std::vector<AlertInstance>& instances) {
  active_.clear();
  for (const auto& instance : instances) active_[group_key(instance.labels)] = Active{instance};
  ++version_;
}

Announcement AlertingRule::firing(const AlertInstance& instance) const {
  const TemplateValues values{instance.labels, instance.value, rule_};
  Announcement a;
  a.kind = Announcement::Kind::kFiring;
  a.key = announcement_key(instance, a.kind);
  a.rule = rule_.name;
  a.tenant_id = instance.tenant_id;
  a.labels = instance.labels;
  for (const auto& [name, text] : rule_.annotations)
    a.annotations[name] = expand_template(text, values);
  a.value = instance.value;
  a.threshold = rule_.threshold;
  a.active_at = instance.active_at;
  a.at = instance.fired_at;
  a.fired_at = instance.fired_at;
  a.severity = rule_.severity;
  a.source = rule_.source;
  a.title = expand_template(rule_.title, values);
  a.message = expand_template(rule_.message, values);
  a.link = expand_template(rule_.link, values);
  a.pinned = rule_.pinned;
  return a;
}

Announcement AlertingRule::resolved(const AlertInstance& instance, TimeMs now,
                                    const std::string& why) const {
  AlertInstance as_fired = instance;
  as_fired.value = instance.fired_value;
  Announcement a = firing(as_fired);
  a.value = instance.value;
  a.kind = Announcement::Kind::kResolved;
  a.firing_key = a.key;
  a.key = announcement_key(instance, a.kind);
  a.at = now;
  a.severity = "success";
  a.title = std::string(kResolvedTitlePrefix) + a.title;
  a.message = why.empty() ? rule_.signal_expression() + " is " + format_number(instance.value) +
                                ", no longer " + std::string(comparison_text(rule_.op)) + " " +
                                format_number(rule_.threshold) + "."
                          : why;
  a.pinned = false;
  return a;
}

}  // namespace vitals::evaluator
