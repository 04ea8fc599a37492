#include "notify/route.h"

#include <gtest/gtest.h>

#include "notify_test_support.h"

namespace vitals::notify {
namespace {

TEST(Route, EmptyListsTakeEverything) {
  EXPECT_TRUE(Route{}.matches(announcement("s1", true, 0)));
}

TEST(Route, EveryListThatIsSetMustContainTheValue) {
  const Route route{{"acme"}, {"critical", "error"}, {"flow"}};
  EXPECT_TRUE(route.matches(announcement("s1", true, 0, "error")));
  EXPECT_FALSE(route.matches(announcement("s1", true, 0, "warning")));
  EXPECT_FALSE((Route{{"globex"}, {}, {}}.matches(announcement("s1", true, 0))));
  EXPECT_FALSE((Route{{}, {}, {"warehouse"}}.matches(announcement("s1", true, 0))));
}

TEST(Route, AResolutionGoesWhereItsFiringWent) {
  const Route route{{}, {"error"}, {}};
  const auto resolved = announcement("s1", false, 5'000, "error");
  ASSERT_EQ(resolved.severity, "success");
  EXPECT_TRUE(route.matches(resolved));
}

}  // namespace
}  // namespace vitals::notify
