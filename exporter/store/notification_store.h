#pragma once

#include <memory>
#include <mutex>

#include "notify/notification_queue.h"
#include "store/sqlite.h"

namespace vitals {

// The notification outbox in the shared SQLite database (opened after EventStore, which
// migrates the schema). Writes are synchronous=FULL: a notification the evaluator handed over
// survives a power cut.
class SqliteNotificationQueue final : public notify::NotificationQueue {
 public:
  explicit SqliteNotificationQueue(const std::string& path);

  std::vector<notify::EnqueueOutcome> enqueue_all(const std::vector<Handover>& handovers,
                                                  TimeMs now, size_t limit) override;
  std::vector<notify::Notification> heads(const std::string& receiver, size_t limit) override;
  void remove(const std::vector<std::int64_t>& ids) override;
  void record_failure(const std::vector<std::int64_t>& ids, const std::string& error) override;
  std::vector<notify::ReceiverBacklog> backlog() override;
  std::vector<notify::Notification> live() override;
  size_t discard_except(const std::set<std::string>& keep) override;
  void forget_keys_before(TimeMs cutoff) override;

 private:
  struct Writer;
  std::unique_ptr<sqlite::Database> db_;
  std::mutex mutex_;
};

}  // namespace vitals
