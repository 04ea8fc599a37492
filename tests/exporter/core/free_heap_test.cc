#include "core/free_heap.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <vector>

namespace vitals {
namespace {

long resident_pages() {
  std::ifstream in("/proc/self/statm");
  long total = 0;
  long resident = 0;
  in >> total >> resident;
  return resident;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kGlibcHeap = false;  // the sanitizer's allocator has no malloc_trim
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kGlibcHeap = false;
#else
constexpr bool kGlibcHeap = true;
#endif
#else
constexpr bool kGlibcHeap = true;
#endif

// What the rollups leave behind: many small blocks freed below one that stays, so glibc cannot
// give their pages back by shrinking the top of the heap.
TEST(FreeHeap, PagesOfFreedBlocksBelowALiveOneGoBackToTheSystem) {
  if (!kGlibcHeap) GTEST_SKIP() << "not glibc's allocator";
  constexpr size_t kBlocks = 64 * 1024;
  constexpr size_t kBlockBytes = 1024;  // below the mmap threshold: from the arena
  std::vector<std::unique_ptr<char[]>> blocks;
  blocks.reserve(kBlocks);
  for (size_t i = 0; i < kBlocks; ++i) {
    blocks.emplace_back(new char[kBlockBytes]);
    for (size_t b = 0; b < kBlockBytes; b += 256) blocks.back()[b] = 1;
  }
  auto keeps_the_top = std::make_unique<char[]>(kBlockBytes);
  keeps_the_top[0] = 1;
  blocks.clear();
  const long before = resident_pages();
  return_free_heap_to_system();
  const long released = before - resident_pages();
  // 64 MiB were freed: at least half of their 16,384 pages must leave.
  EXPECT_GT(released, 8 * 1024) << "resident pages before: " << before;
}

}  // namespace
}  // namespace vitals
