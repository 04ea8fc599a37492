#include "rollup/owning_hash_set.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

namespace vitals {
namespace {

struct Item {
  int id;
};

// Hashes are chosen by the tests, so that items collide, share home slots and wrap around.
Item* find(const OwningHashSet<Item>& set, size_t hash, int id) {
  return set.find(hash, [&](const Item& item) { return item.id == id; });
}

void insert(OwningHashSet<Item>& set, size_t hash, int id) {
  set.insert(hash, std::make_unique<Item>(Item{id}));
}

std::set<int> ids(const OwningHashSet<Item>& set) {
  std::set<int> out;
  set.for_each([&](const Item& item) { out.insert(item.id); });
  return out;
}

size_t position_of(const OwningHashSet<Item>& set, int id) {
  for (size_t p = 0; p < set.positions(); ++p) {
    if (set.at(p) && set.at(p)->id == id) return p;
  }
  return set.positions();
}

TEST(OwningHashSet, FindsWhatItHoldsAndNothingElse) {
  OwningHashSet<Item> set;
  EXPECT_EQ(find(set, 7, 1), nullptr);
  insert(set, 7, 1);
  insert(set, 7, 2);  // same hash, another item
  insert(set, 8, 3);
  EXPECT_EQ(set.size(), 3u);
  ASSERT_NE(find(set, 7, 2), nullptr);
  EXPECT_EQ(find(set, 7, 2)->id, 2);
  EXPECT_EQ(find(set, 8, 3)->id, 3);
  EXPECT_EQ(find(set, 8, 1), nullptr);  // right hash, wrong item
  EXPECT_EQ(find(set, 9, 3), nullptr);
}

// Items whose home is the last slot run over into the first; taking one out must leave every
// other findable, from both sides of the wrap.
TEST(OwningHashSet, TakingOutOfARunThatWrapsKeepsTheRestFindable) {
  OwningHashSet<Item> set;
  set.reserve(4);
  const size_t last = set.positions() - 1;
  for (int id = 0; id < 4; ++id) insert(set, last, id);  // positions last, 0, 1, 2
  insert(set, 1, 10);                                    // home 1, pushed to 3
  ASSERT_EQ(position_of(set, 0), last);
  ASSERT_EQ(position_of(set, 10), 3u);

  const auto taken = set.extract_at(last);
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(taken->id, 0);
  EXPECT_EQ(set.size(), 4u);
  EXPECT_EQ(position_of(set, 1), last);  // moved back over the wrap
  for (int id : {1, 2, 3}) EXPECT_NE(find(set, last, id), nullptr) << id;
  EXPECT_NE(find(set, 1, 10), nullptr);
  EXPECT_EQ(position_of(set, 10), 2u);  // its home is 1, so it may close a gap at 2
  EXPECT_EQ(find(set, last, 0), nullptr);
}

TEST(OwningHashSet, AnItemAtItsHomeStaysWhenTheSlotBeforeIsEmptied) {
  OwningHashSet<Item> set;
  set.reserve(4);
  insert(set, 2, 1);
  insert(set, 3, 2);
  set.extract_at(position_of(set, 1));
  EXPECT_EQ(position_of(set, 2), 3u);
  EXPECT_NE(find(set, 3, 2), nullptr);
}

// Against std::multimap as the oracle: inserts that grow the table, removals from anywhere,
// with hashes crowded into few home slots.
TEST(OwningHashSet, AgreesWithAMapThroughInsertsGrowthAndRemovals) {
  std::mt19937_64 random(5);
  OwningHashSet<Item> set;
  std::map<int, size_t> oracle;  // id -> hash
  int next_id = 0;
  for (int step = 0; step < 20'000; ++step) {
    if (oracle.empty() || random() % 3 != 0) {
      const size_t hash = random() % 64 + (random() % 4) * (size_t{1} << 40);
      insert(set, hash, next_id);
      oracle[next_id++] = hash;
    } else {
      auto it = std::next(oracle.begin(), static_cast<long>(random() % oracle.size()));
      const auto taken = set.extract_at(position_of(set, it->first));
      ASSERT_EQ(taken->id, it->first);
      oracle.erase(it);
    }
    if (step % 997 == 0) {
      ASSERT_EQ(set.size(), oracle.size());
      for (const auto& [id, hash] : oracle) ASSERT_NE(find(set, hash, id), nullptr) << id;
    }
  }
  std::set<int> expected;
  for (const auto& [id, hash] : oracle) expected.insert(id);
  EXPECT_EQ(ids(set), expected);
}

TEST(OwningHashSet, ItsLayoutChangesWhenItGrowsAndOnlyThen) {
  OwningHashSet<Item> set;
  insert(set, 1, 1);  // the first insert allocates 16 slots
  const size_t first = set.layout();
  for (int id = 2; id <= 12; ++id) insert(set, static_cast<size_t>(id), id);  // 12 of 16 fit
  set.extract_at(position_of(set, 5));
  EXPECT_EQ(set.layout(), first) << "inserts that fit and removals move no other item far";
  insert(set, 5, 5);
  insert(set, 13, 13);  // the 13th item grows the set
  EXPECT_NE(set.layout(), first);
  const size_t grown = set.layout();
  set.drain([](size_t, std::unique_ptr<Item>) {});
  EXPECT_NE(set.layout(), grown);
}

TEST(OwningHashSet, DrainHandsOverEveryItemWithItsHash) {
  OwningHashSet<Item> set;
  for (int id = 0; id < 100; ++id) insert(set, static_cast<size_t>(id) * 31, id);
  std::map<int, size_t> drained;
  set.drain([&](size_t hash, std::unique_ptr<Item> item) { drained[item->id] = hash; });
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.positions(), 0u);
  ASSERT_EQ(drained.size(), 100u);
  EXPECT_EQ(drained[42], 42u * 31);
  insert(set, 5, 1);  // usable again
  EXPECT_NE(find(set, 5, 1), nullptr);
}

}  // namespace
}  // namespace vitals
