#pragma once

#include <set>
#include <string>
#include <vector>

#include "notify/notification.h"

namespace vitals::notify {

struct ReceiverBacklog {
  std::string receiver;
  size_t length = 0;
  TimeMs oldest_queued_at = 0;
};

enum class EnqueueOutcome { kQueued, kAlreadyQueued, kFull };

// The durable outbox of notifications. Besides the queue it keeps which alerts are live (fired
// and not yet resolved), so that receivers that expect firing alerts to be repeated
// (Alertmanager) can be sent them again after any restart.
class NotificationQueue {
 public:
  virtual ~NotificationQueue() = default;

  // One announcement to queue: a notification for each of `receivers`.
  struct Handover {
    const evaluator::Announcement* announcement = nullptr;
    std::string generator_url;
    std::vector<std::string> receivers;
  };

  // Queues every handover and updates the live alerts, all in one transaction, returning an
  // outcome per handover. Idempotent on the announcement's key, so an announcement handed over
  // again after a crash queues nothing. A firing handover that would grow the queue past `limit`
  // is refused whole (kFull; later, smaller ones may still fit) but still counts as live, so
  // Alertmanager learns of it from the repeats. Resolutions are always queued: a receiver must
  // never be left with an alert that does not end, and they are bounded by the firing ones.
  virtual std::vector<EnqueueOutcome> enqueue_all(const std::vector<Handover>& handovers,
                                                  TimeMs now, size_t limit) = 0;

  EnqueueOutcome enqueue(const evaluator::Announcement& announcement,
                         const std::string& generator_url,
                         const std::vector<std::string>& receivers, TimeMs now, size_t limit) {
    return enqueue_all({{&announcement, generator_url, receivers}}, now, limit).front();
  }

  // The oldest queued notification of each instance for `receiver`, oldest first. Only these
  // may be sent, which keeps every instance's notifications in order.
  virtual std::vector<Notification> heads(const std::string& receiver, size_t limit) = 0;

  virtual void remove(const std::vector<std::int64_t>& ids) = 0;
  virtual void record_failure(const std::vector<std::int64_t>& ids, const std::string& error) = 0;

  // Length and oldest entry per receiver that has anything queued.
  virtual std::vector<ReceiverBacklog> backlog() = 0;

  // The firing announcements not resolved since (as notifications with no receiver).
  virtual std::vector<Notification> live() = 0;

  // Drops what is queued for receivers not in `keep`; returns how many notifications that was.
  virtual size_t discard_except(const std::set<std::string>& keep) = 0;

  // Forgets the keys of announcements queued before `cutoff` (they are only kept to make a
  // repeated hand-over harmless, which happens within seconds).
  virtual void forget_keys_before(TimeMs cutoff) = 0;
};

}  // namespace vitals::notify
