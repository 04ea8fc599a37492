#pragma once

#include <string>

#include "evaluator/rule.h"

namespace vitals::evaluator {

enum class AlertState { kPending, kFiring };

std::string_view state_name(AlertState state);

// One alert instance: a rule and one group's labels, while its condition holds (pending), after
// `for` (firing), and through `keep_firing_for`.
struct AlertInstance {
  std::string rule;
  std::string tenant_id;
  Labels labels;  // alertname, tenant, severity, source, group labels, rule labels
  AlertState state = AlertState::kPending;
  double value = 0;
  TimeMs active_at = 0;    // the first evaluation at which the condition held
  TimeMs fired_at = 0;     // 0 until firing
  double fired_value = 0;  // the value when it started firing: a resolution repeats its title
  TimeMs keep_firing_since =
      0;  // the first evaluation at which a firing condition failed; 0 while it holds
};

// The identity of an instance among its rule's: its labels, one canonical string.
std::string fingerprint(const Labels& labels);

// A state change people hear about. Announcements are rendered (templates expanded) when they
// are made, and carry a key that is the same however often delivery is retried, so a sink can
// make delivery idempotent.
struct Announcement {
  enum class Kind { kFiring, kResolved };
  Kind kind = Kind::kFiring;
  std::string key;         // "<rule>/<fingerprint>@<active_at>/firing|resolved"
  std::string firing_key;  // for kResolved: the key of the announcement it resolves
  std::string rule;
  std::string tenant_id;
  Labels labels;
  Labels annotations;
  double value = 0;
  double threshold = 0;
  TimeMs active_at = 0;
  TimeMs at = 0;        // when it fired or resolved
  TimeMs fired_at = 0;  // when it started firing (for a resolution too)
  std::string severity;
  std::string source;
  std::string title;
  std::string message;
  std::string link;
  bool pinned = false;
};

std::string_view kind_name(Announcement::Kind kind);

// The value of one of the announcement's labels, or "" when it has none of that name.
std::string label_of(const Announcement& announcement, const std::string& name);

// A resolution's title is the firing title after this.
inline constexpr std::string_view kResolvedTitlePrefix = "Resolved: ";

// The title the alert fired with, for a firing announcement or its resolution.
std::string firing_title(const Announcement& announcement);

// The instance an announcement is about, the same for every episode of it (a rule and one group's
// labels): a receiver must see its announcements in this order, because it knows alerts by their
// labels and a late resolution would end the next episode.
std::string instance_key(const Announcement& announcement);

}  // namespace vitals::evaluator
