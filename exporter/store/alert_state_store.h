#pragma once

#include <memory>
#include <mutex>

#include "evaluator/alert_sink.h"
#include "store/sqlite.h"

namespace vitals {

// The evaluator's alert state in the shared SQLite database (opened after EventStore, which
// migrates the schema): instances per rule, and the outbox of announcements not yet delivered.
class SqliteAlertStateStore : public evaluator::AlertStateStore {
 public:
  explicit SqliteAlertStateStore(const std::string& path);

  std::vector<evaluator::AlertInstance> load_instances() override;
  void save(const std::vector<evaluator::RuleState>& rules) override;
  std::vector<evaluator::Announcement> outbox() override;
  void delivered(const std::vector<std::string>& keys) override;

 private:
  std::unique_ptr<sqlite::Database> db_;
  std::mutex mutex_;
};

}  // namespace vitals
