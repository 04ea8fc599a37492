#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "rollup/rollup_engine.h"
#include "store/event_store.h"

namespace vitals::testing {

// The real event store in a fresh temporary directory with rollups fed by it, as the
// application wires them; the directory goes away with the object.
class StoreAndRollups {
 public:
  StoreAndRollups(RollupOptions options, TimeMs now)
      : dir_(std::filesystem::temp_directory_path() /
             ("vitals-test-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir_);
    store_ = std::make_unique<EventStore>(db_path());
    rollups_ = std::make_unique<RollupEngine>(
        options,
        [this](const RawScan& s, const std::function<void(const Event&)>& visit) {
          store_->scan({s.tenant_id, s.from, s.to, s.max_seq}, visit);
        },
        now);
  }
  ~StoreAndRollups() {
    rollups_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Stores the events and applies them to the rollups, as the ingest pipeline does.
  void append(const std::vector<Event>& events) {
    store_->append(events, [this](const std::vector<StoredEventRef>& s) { rollups_->apply(s); });
  }

  std::string db_path() const { return (dir_ / "vitals.db").string(); }
  EventStore& store() { return *store_; }
  RollupEngine& rollups() { return *rollups_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<RollupEngine> rollups_;
};

}  // namespace vitals::testing
