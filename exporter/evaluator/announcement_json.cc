#include "evaluator/announcement_json.h"

namespace vitals::evaluator {

using Json = nlohmann::json;

Json announcement_json(const Announcement& a) {
  return {{"kind", std::string(kind_name(a.kind))},
          {"key", a.key},
          {"firing_key", a.firing_key},
          {"rule", a.rule},
          {"tenant_id", a.tenant_id},
          {"labels", a.labels},
          {"annotations", a.annotations},
          {"value", a.value},
          {"threshold", a.threshold},
          {"active_at", a.active_at},
          {"at", a.at},
          {"fired_at", a.fired_at},
          {"severity", a.severity},
          {"source", a.source},
          {"title", a.title},
          {"message", a.message},
          {"link", a.link},
          {"pinned", a.pinned}};
}

Announcement announcement_of(const Json& j) {
  Announcement a;
  a.kind = j.at("kind") == "firing" ? Announcement::Kind::kFiring : Announcement::Kind::kResolved;
  j.at("key").get_to(a.key);
  j.at("firing_key").get_to(a.firing_key);
  j.at("rule").get_to(a.rule);
  j.at("tenant_id").get_to(a.tenant_id);
  j.at("labels").get_to(a.labels);
  j.at("annotations").get_to(a.annotations);
  j.at("value").get_to(a.value);
  j.at("threshold").get_to(a.threshold);
  j.at("active_at").get_to(a.active_at);
  j.at("at").get_to(a.at);
  a.fired_at = j.value("fired_at", a.kind == Announcement::Kind::kFiring ? a.at : a.active_at);
  j.at("severity").get_to(a.severity);
  j.at("source").get_to(a.source);
  j.at("title").get_to(a.title);
  j.at("message").get_to(a.message);
  j.at("link").get_to(a.link);
  j.at("pinned").get_to(a.pinned);
  return a;
}

}  // namespace vitals::evaluator
