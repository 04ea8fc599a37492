#include "store/member_store.h"

#include <gtest/gtest.h>

#include "support/temp_database.h"

namespace vitals {
namespace {

using Change = MemberStore::Change;

class MemberStoreTest : public ::testing::Test {
 protected:
  MemberStoreTest() : db_("vitals-members"), path_(db_.path()) {}

  testing::TempDatabase db_;
  std::string path_;
};

TEST_F(MemberStoreTest, ReplaceStoresDistinctMembersAndReplacesThePreviousSet) {
  MemberStore store(path_, 2);  // tiny chunks: the numbering spans several transactions
  auto first = store.change("t", "a", Change::kReplace, {"x", "y", "x", "z"}, 1);
  EXPECT_EQ(first.members, 3u);
  EXPECT_EQ(first.changed, 3u);
  auto second = store.change("t", "a", Change::kReplace, {"y", "w"}, 2);
  EXPECT_EQ(second.members, 2u);
  const auto set = store.members("t", "a");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->cardinality(), 2u);
}

TEST_F(MemberStoreTest, AddAndRemoveReportWhatActuallyChanged) {
  MemberStore store(path_);
  store.change("t", "a", Change::kReplace, {"1", "2", "3"}, 1);
  auto added = store.change("t", "a", Change::kAdd, {"3", "4", "5"}, 2);
  EXPECT_EQ(added.changed, 2u) << "3 was already a member";
  EXPECT_EQ(added.members, 5u);
  auto removed = store.change("t", "a", Change::kRemove, {"1", "never-seen", "5"}, 3);
  EXPECT_EQ(removed.changed, 2u);
  EXPECT_EQ(removed.members, 3u);
  EXPECT_EQ(store.known_numbers("t", {"never-seen"}).size(), 0u)
      << "removing an unknown id does not number it";
}

TEST_F(MemberStoreTest, AMemberKeepsItsNumberAcrossAudiencesAndRestarts) {
  {
    MemberStore store(path_);
    store.change("t", "a", Change::kReplace, {"alice", "bob"}, 1);
  }
  MemberStore reopened(path_);
  reopened.change("t", "b", Change::kReplace, {"bob", "carol"}, 2);
  Roaring both = *reopened.members("t", "a") & *reopened.members("t", "b");
  EXPECT_EQ(both.cardinality(), 1u) << "bob is the same number in both sets";
  EXPECT_EQ(reopened.known_numbers("t", {"alice", "bob", "carol"}),
            (std::vector<std::uint32_t>{0, 1, 2}));
}

TEST_F(MemberStoreTest, TenantsNumberTheirMembersSeparately) {
  MemberStore store(path_);
  store.change("t1", "a", Change::kReplace, {"p", "q"}, 1);
  store.change("t2", "a", Change::kReplace, {"q"}, 1);
  EXPECT_EQ(store.known_numbers("t2", {"q"}), (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(store.members("t2", "a")->cardinality(), 1u);
  EXPECT_FALSE(store.members("t3", "a"));
}

TEST_F(MemberStoreTest, AnEmptyReplaceLeavesAnEmptySet) {
  MemberStore store(path_);
  store.change("t", "a", Change::kReplace, {"p"}, 1);
  auto result = store.change("t", "a", Change::kReplace, {}, 2);
  EXPECT_EQ(result.members, 0u);
  ASSERT_TRUE(store.members("t", "a"));
  EXPECT_TRUE(store.members("t", "a")->isEmpty());
}

}  // namespace
}  // namespace vitals
