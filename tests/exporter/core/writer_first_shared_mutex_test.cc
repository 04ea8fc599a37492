#include "core/writer_first_shared_mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>

namespace vitals {
namespace {

// Polls `done` for up to 10 s: how long another thread may take to reach its lock call.
template <class Done>
bool within_ten_seconds(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(WriterFirstSharedMutex, ReadersShareAndAWriterExcludesEveryone) {
  WriterFirstSharedMutex mutex;
  {
    std::shared_lock first(mutex);
    EXPECT_FALSE(mutex.try_lock());
    std::thread([&] {
      EXPECT_TRUE(mutex.try_lock_shared()) << "a second reader shares the lock";
      mutex.unlock_shared();
    }).join();
  }
  std::unique_lock writer(mutex);
  std::thread([&] {
    EXPECT_FALSE(mutex.try_lock_shared());
    EXPECT_FALSE(mutex.try_lock());
  }).join();
}

// The property std::shared_mutex lacks: once a writer waits, a new reader waits behind it, so
// a stream of overlapping reads cannot hold the writer off.
TEST(WriterFirstSharedMutex, AWaitingWriterGoesBeforeReadersThatComeAfterIt) {
  WriterFirstSharedMutex mutex;
  mutex.lock_shared();  // a read in progress
  std::atomic<bool> written{false};
  std::thread writer([&] {
    std::unique_lock lock(mutex);
    written = true;
  });
  // As soon as the writer is queued, a reader arriving now is turned away.
  const bool new_readers_refused = within_ten_seconds([&] {
    if (!mutex.try_lock_shared()) return true;
    mutex.unlock_shared();
    return false;
  });
  EXPECT_TRUE(new_readers_refused);
  EXPECT_FALSE(written) << "the writer waits for the read in progress";
  mutex.unlock_shared();
  writer.join();
  EXPECT_TRUE(written);
  EXPECT_TRUE(mutex.try_lock_shared()) << "readers are let in again once the writer is done";
  mutex.unlock_shared();
}

}  // namespace
}  // namespace vitals
