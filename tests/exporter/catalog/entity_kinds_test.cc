#include "catalog/entity_kinds.h"

#include <gtest/gtest.h>

namespace vitals {
namespace {

TEST(EntityKinds, AreTheSevenOfTheContract) {
  for (const char* kind :
       {"warehouse_connection", "source", "model", "destination", "sync", "audience", "loader"}) {
    EXPECT_TRUE(is_entity_kind(kind)) << kind;
  }
  EXPECT_EQ(entity_kinds().size(), 7u);
  EXPECT_FALSE(is_entity_kind("widget"));
  EXPECT_FALSE(is_entity_kind("Sync"));
}

TEST(EntityKinds, TheAttributesReadAreThoseOfTheContract) {
  ASSERT_EQ(used_attributes("audience").size(), 1u);
  EXPECT_EQ(used_attributes("audience")[0].name, "estimated_size");
  EXPECT_EQ(used_attributes("audience")[0].value, AttributeValue::kNonNegativeInteger);
  ASSERT_EQ(used_attributes("sync").size(), 2u);
  EXPECT_EQ(used_attributes("sync")[1].name, "destination_id");
  ASSERT_EQ(used_attributes("destination").size(), 1u);
  EXPECT_EQ(used_attributes("destination")[0].value, AttributeValue::kString);
  EXPECT_TRUE(used_attributes("warehouse_connection").empty());
  EXPECT_TRUE(used_attributes("widget").empty());
}

TEST(EntityKinds, StatusesAreCheckedPerKind) {
  EXPECT_FALSE(entity_status_problem("sync", "active"));
  EXPECT_FALSE(entity_status_problem("sync", "paused"));
  EXPECT_TRUE(entity_status_problem("sync", "running"));
  EXPECT_FALSE(entity_status_problem("source", "disconnected"));
  EXPECT_TRUE(entity_status_problem("source", "active"));
  EXPECT_FALSE(entity_status_problem("destination", "error"));
  EXPECT_FALSE(entity_status_problem("audience", "inactive"));
  EXPECT_FALSE(entity_status_problem("model", "active"));
  EXPECT_FALSE(entity_status_problem("loader", "inactive"));
  // Informational for warehouse connections, but still bounded.
  EXPECT_FALSE(entity_status_problem("warehouse_connection", "anything at all"));
  EXPECT_TRUE(entity_status_problem("warehouse_connection", ""));
  EXPECT_TRUE(entity_status_problem("warehouse_connection", std::string(65, 'x')));
}

TEST(EntityKinds, IdsAreSafePathSegments) {
  EXPECT_TRUE(is_valid_entity_id("wh-acme_1.eu:main"));
  EXPECT_TRUE(is_valid_entity_id(std::string(128, 'a')));
  EXPECT_FALSE(is_valid_entity_id(std::string(129, 'a')));
  EXPECT_FALSE(is_valid_entity_id(""));
  EXPECT_FALSE(is_valid_entity_id("../etc"));
  EXPECT_FALSE(is_valid_entity_id("a b"));
}

}  // namespace
}  // namespace vitals
