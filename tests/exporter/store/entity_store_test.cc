#include "store/entity_store.h"

#include <gtest/gtest.h>

#include "support/temp_database.h"

namespace vitals {
namespace {

class EntityStoreTest : public ::testing::Test {
 protected:
  EntityStoreTest() : db_("vitals-entities"), path_(db_.path()) {}

  static Entity sync(std::string tenant, std::string id, std::string status = "active") {
    return {std::move(tenant),
            "sync",
            std::move(id),
            "Sync",
            std::move(status),
            R"({"audience_id":"a1"})",
            0,
            0};
  }

  testing::TempDatabase db_;
  std::string path_;
};

TEST_F(EntityStoreTest, PutCreatesThenReplacesKeepingCreationTime) {
  EntityStore store(path_);
  EXPECT_TRUE(store.put(sync("t1", "s1"), 1000).created);
  auto replaced = sync("t1", "s1", "paused");
  replaced.attributes_json = "{}";
  const auto put = store.put(replaced, 2000);
  EXPECT_FALSE(put.created);
  EXPECT_EQ(put.stored.status, "paused");
  EXPECT_EQ(put.stored.created, 1000);
  auto got = store.get("t1", "sync", "s1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, "paused");
  EXPECT_EQ(got->attributes_json, "{}");
  EXPECT_EQ(got->created, 1000);
  EXPECT_EQ(got->updated, 2000);
}

TEST_F(EntityStoreTest, TenantsAndKindsAreSeparate) {
  EntityStore store(path_);
  store.put(sync("t1", "s1"), 1);
  store.put(sync("t2", "s1"), 1);
  EXPECT_EQ(store.list("t1", "sync").size(), 1u);
  EXPECT_FALSE(store.get("t1", "audience", "s1"));
  EXPECT_EQ(store.list_kind("sync").size(), 2u);
  EXPECT_TRUE(store.remove("t1", "sync", "s1"));
  EXPECT_FALSE(store.remove("t1", "sync", "s1"));
  EXPECT_TRUE(store.get("t2", "sync", "s1"));
}

TEST_F(EntityStoreTest, CountsByTenantKindAndStatus) {
  EntityStore store(path_);
  store.put(sync("t1", "a"), 1);
  store.put(sync("t1", "b"), 1);
  store.put(sync("t1", "c", "paused"), 1);
  const auto counts = store.counts();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].status, "active");
  EXPECT_EQ(counts[0].count, 2);
  EXPECT_EQ(counts[1].status, "paused");
}

TEST_F(EntityStoreTest, SurvivesReopening) {
  { EntityStore(path_).put(sync("t1", "s1"), 5); }
  EXPECT_TRUE(EntityStore(path_).get("t1", "sync", "s1"));
}

}  // namespace
}  // namespace vitals
