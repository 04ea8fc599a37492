#pragma once

#include <algorithm>
#include <map>
#include <mutex>

#include "evaluator/alert_sink.h"

namespace vitals::evaluator {

// Alert state kept in memory: for `vitals test rules` and tests, where nothing must survive.
class MemoryAlertStateStore : public AlertStateStore {
 public:
  std::vector<AlertInstance> load_instances() override {
    std::lock_guard lock(mutex_);
    std::vector<AlertInstance> out;
    for (const auto& [rule, instances] : instances_)
      out.insert(out.end(), instances.begin(), instances.end());
    return out;
  }

  void save(const std::vector<RuleState>& rules) override {
    std::lock_guard lock(mutex_);
    for (const auto& r : rules) {
      instances_[r.rule] = r.instances;
      outbox_.insert(outbox_.end(), r.announcements.begin(), r.announcements.end());
    }
  }

  std::vector<Announcement> outbox() override {
    std::lock_guard lock(mutex_);
    return outbox_;
  }

  void delivered(const std::vector<std::string>& keys) override {
    std::lock_guard lock(mutex_);
    std::erase_if(outbox_, [&](const Announcement& a) {
      return std::find(keys.begin(), keys.end(), a.key) != keys.end();
    });
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<AlertInstance>> instances_;
  std::vector<Announcement> outbox_;
};

}  // namespace vitals::evaluator
