#include "evaluator/alert.h"

namespace vitals::evaluator {

std::string_view state_name(AlertState state) {
  return state == AlertState::kFiring ? "firing" : "pending";
}

std::string_view kind_name(Announcement::Kind kind) {
  return kind == Announcement::Kind::kFiring ? "firing" : "resolved";
}

// Label names cannot hold '=' and the unit separator never appears in a label value that vitals
// accepts, so the string is unambiguous.
std::string fingerprint(const Labels& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    out += name;
    out += '=';
    out += value;
    out += '\x1f';
  }
  return out;
}

std::string label_of(const Announcement& a, const std::string& name) {
  const auto it = a.labels.find(name);
  return it == a.labels.end() ? std::string() : it->second;
}

std::string firing_title(const Announcement& a) {
  if (a.kind == Announcement::Kind::kResolved && a.title.starts_with(kResolvedTitlePrefix)) {
    return a.title.substr(kResolvedTitlePrefix.size());
  }
  return a.title;
}

std::string instance_key(const Announcement& announcement) {
  return announcement.rule + "/" + fingerprint(announcement.labels);
}

}  // namespace vitals::evaluator
