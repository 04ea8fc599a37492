#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "evaluator/alert.h"
#include "notify/delivery_observer.h"
#include "notify/http_sender.h"

namespace vitals::notify {

// An announcement of rule "R" for sync `key`, as the evaluator makes them.
inline evaluator::Announcement announcement(const std::string& key, bool firing, TimeMs at,
                                            std::string severity = "error") {
  evaluator::Announcement a;
  a.kind =
      firing ? evaluator::Announcement::Kind::kFiring : evaluator::Announcement::Kind::kResolved;
  a.rule = "R";
  a.tenant_id = "t-1";
  a.labels = {{"alertname", "R"},
              {"tenant", "acme"},
              {"severity", severity},
              {"source", "flow"},
              {"integration_key", key}};
  a.annotations = {{"runbook_url", "https://runbooks.example/r"}};
  a.active_at = 1'000;
  a.fired_at = 2'000;
  a.at = firing ? 2'000 : at;
  a.key = "R/" + key + "@1000/" + std::string(kind_name(a.kind)) + std::to_string(at);
  a.severity = firing ? severity : "success";
  a.source = "flow";
  a.title = firing ? "Sync " + key + " failed" : "Resolved: Sync " + key + " failed";
  a.message = "details";
  a.link = "/x";
  a.value = 1;
  a.threshold = 0;
  return a;
}

// Answers with scripted outcomes (then 200) and keeps every request.
class ScriptedSender final : public HttpSender {
 public:
  HttpOutcome post(const HttpPost& request) override {
    requests.push_back(request);
    if (clock) clock->advance(cost);
    if (script.empty()) return {200, {}};
    HttpOutcome next = script.front();
    script.pop_front();
    return next;
  }
  std::deque<HttpOutcome> script;
  std::vector<HttpPost> requests;
  ManualClock* clock = nullptr;  // when set, every request takes `cost` of its time
  TimeMs cost = 0;
};

class CountingObserver final : public DeliveryObserver {
 public:
  void sent(std::string_view, std::string_view receiver, size_t count) override {
    sent_to[std::string(receiver)] += count;
  }
  void failed(std::string_view, std::string_view receiver, Failure failure, size_t count) override {
    failures[std::string(receiver) + "/" + std::string(failure_name(failure))] += count;
  }
  void dropped(Drop drop, size_t count) override { drops[std::string(drop_name(drop))] += count; }

  std::map<std::string, size_t> sent_to;
  std::map<std::string, size_t> failures;
  std::map<std::string, size_t> drops;
};

}  // namespace vitals::notify
