#pragma once

#include <algorithm>
#include <map>
#include <mutex>

#include "notify/notification_queue.h"

namespace vitals::notify {

// The notification queue in memory, for tests: the same contract as the store's, nothing kept.
class MemoryNotificationQueue final : public NotificationQueue {
 public:
  std::vector<EnqueueOutcome> enqueue_all(const std::vector<Handover>& handovers, TimeMs now,
                                          size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<EnqueueOutcome> out;
    for (const auto& h : handovers) out.push_back(enqueue_one(*h.announcement, h, now, limit));
    return out;
  }

  std::vector<Notification> heads(const std::string& receiver, size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<Notification> out;
    std::set<std::string> seen;
    for (const auto& n : queue_) {
      if (n.receiver != receiver || !seen.insert(n.instance).second) continue;
      out.push_back(n);
      if (out.size() == limit) break;
    }
    return out;
  }

  void remove(const std::vector<std::int64_t>& ids) override {
    std::lock_guard lock(mutex_);
    std::erase_if(queue_, [&](const Notification& n) { return contains(ids, n.id); });
  }

  void record_failure(const std::vector<std::int64_t>& ids, const std::string&) override {
    std::lock_guard lock(mutex_);
    for (auto& n : queue_) n.attempts += contains(ids, n.id) ? 1 : 0;
  }

  std::vector<ReceiverBacklog> backlog() override {
    std::lock_guard lock(mutex_);
    std::map<std::string, ReceiverBacklog> by_receiver;
    for (const auto& n : queue_) {
      auto& b = by_receiver[n.receiver];
      if (b.length++ == 0) b.oldest_queued_at = n.queued_at;
      b.receiver = n.receiver;
    }
    std::vector<ReceiverBacklog> out;
    for (auto& [name, b] : by_receiver) out.push_back(b);
    return out;
  }

  std::vector<Notification> live() override {
    std::lock_guard lock(mutex_);
    std::vector<Notification> out;
    for (const auto& [instance, n] : live_) out.push_back(n);
    return out;
  }

  size_t discard_except(const std::set<std::string>& keep) override {
    std::lock_guard lock(mutex_);
    return std::erase_if(queue_, [&](const Notification& n) { return !keep.count(n.receiver); });
  }

  void forget_keys_before(TimeMs cutoff) override {
    std::lock_guard lock(mutex_);
    std::erase_if(keys_, [&](const auto& entry) { return entry.second < cutoff; });
  }

 private:
  EnqueueOutcome enqueue_one(const evaluator::Announcement& a, const Handover& h, TimeMs now,
                             size_t limit) {
    if (keys_.count(a.key)) return EnqueueOutcome::kAlreadyQueued;
    keys_[a.key] = now;
    Notification n{0, "", evaluator::instance_key(a), a, h.generator_url, now, 0};
    const bool firing = a.kind == evaluator::Announcement::Kind::kFiring;
    if (firing) {
      live_[n.instance] = n;
    } else {
      live_.erase(n.instance);
    }
    if (firing && queue_.size() + h.receivers.size() > limit) return EnqueueOutcome::kFull;
    for (const auto& receiver : h.receivers) {
      n.id = ++last_id_;
      n.receiver = receiver;
      queue_.push_back(n);
    }
    return EnqueueOutcome::kQueued;
  }

  static bool contains(const std::vector<std::int64_t>& ids, std::int64_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  std::mutex mutex_;
  std::vector<Notification> queue_;
  std::map<std::string, TimeMs> keys_;
  std::map<std::string, Notification> live_;
  std::int64_t last_id_ = 0;
};

}  // namespace vitals::notify
