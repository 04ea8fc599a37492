#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "store/event_store.h"

namespace vitals::testing {

// A database file of its own for the running test, migrated to the current schema (the event
// store owns the schema) and removed with its directory afterwards.
class TempDatabase {
 public:
  explicit TempDatabase(const std::string& prefix)
      : dir_(std::filesystem::temp_directory_path() /
             (prefix + "-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir_);
    EventStore migrate(path());
  }
  ~TempDatabase() { std::filesystem::remove_all(dir_); }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  std::string path() const { return (dir_ / "vitals.db").string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace vitals::testing
