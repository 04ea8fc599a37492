#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace vitals {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// Each handler answers with its own name in the body, so a test can tell which one matched.
Handler named(std::string name) {
  return [name](Request&) { return Response::json(200, name); };
}

Request request(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.add("GET", "/metrics", "metrics", named("metrics"));
    router_.add("POST", "/api/v1/events", "events", named("events"));
    router_.add("GET", "/spaces/{slug}/integration-health", "integration_health",
                named("integration_health"));
    router_.add("PUT", "/api/v1/tenants/{tenant}/entities/{kind}/{id}", "entity_put",
                named("entity_put"));
    router_.add("DELETE", "/api/v1/tenants/{tenant}/entities/{kind}/{id}", "entity_delete",
                named("entity_delete"));
    router_.add("GET", "/api/v1/system-health/alerts", "alerts_list", named("alerts_list"));
    router_.add("POST", "/api/v1/system-health/alerts", "alerts_create", named("alerts_create"));
    router_.add("GET", "/api/v1/system-health/alerts/{id}", "alert_get", named("alert_get"));
  }

  // Matches and, when a handler was found, runs it and returns its body.
  std::string run(Request& r, const Router::Match& m) {
    return m.handler ? (*m.handler)(r).body : "";
  }

  Router router_;
};

TEST_F(RouterTest, ExactRoute) {
  auto r = request("GET", "/metrics");
  const auto m = router_.match(r);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.name, "metrics");
  EXPECT_THAT(m.allow, IsEmpty());
  EXPECT_THAT(r.path_params, IsEmpty());
  EXPECT_EQ(run(r, m), "metrics");
}

TEST_F(RouterTest, ParamIsCaptured) {
  auto r = request("GET", "/spaces/acme/integration-health");
  const auto m = router_.match(r);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.name, "integration_health");
  EXPECT_THAT(r.path_params, ElementsAre(Pair("slug", "acme")));
  EXPECT_EQ(run(r, m), "integration_health");
}

TEST_F(RouterTest, SeveralParamsAreCaptured) {
  auto r = request("PUT", "/api/v1/tenants/acme/entities/connection/wh-1");
  const auto m = router_.match(r);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.name, "entity_put");
  EXPECT_THAT(r.path_params, UnorderedElementsAre(Pair("tenant", "acme"),
                                                  Pair("kind", "connection"), Pair("id", "wh-1")));
}

// civetweb used to decode the path before routing: "a%00b" reached the entity handler as "a"
// (and created it), "..%2F.." became two segments. Each parameter is now decoded on its own.
TEST_F(RouterTest, ParamsAreDecodedWithinTheirSegment) {
  auto r = request("PUT", "/api/v1/tenants/acme/entities/source/a%00b");
  ASSERT_NE(router_.match(r).handler, nullptr);
  EXPECT_EQ(r.path_params["id"], std::string("a\0b", 3));
  auto traversal = request("PUT", "/api/v1/tenants/acme/entities/source/..%2F..%2Fetc");
  ASSERT_NE(router_.match(traversal).handler, nullptr);
  EXPECT_EQ(traversal.path_params["id"], "../../etc");
  auto spaced = request("GET", "/spaces/ac%6De/integration-health");
  ASSERT_NE(router_.match(spaced).handler, nullptr);
  EXPECT_EQ(spaced.path_params["slug"], "acme");
}

TEST_F(RouterTest, ParamWithABadEscapeMatchesNothing) {
  auto r = request("PUT", "/api/v1/tenants/acme/entities/source/a%zz");
  EXPECT_EQ(router_.match(r).handler, nullptr);
}

TEST_F(RouterTest, SameShapeDifferentMethodsGoToDifferentHandlers) {
  auto put = request("PUT", "/api/v1/tenants/acme/entities/k/1");
  auto del = request("DELETE", "/api/v1/tenants/acme/entities/k/1");
  EXPECT_EQ(router_.match(put).name, "entity_put");
  EXPECT_EQ(router_.match(del).name, "entity_delete");
  auto get = request("GET", "/api/v1/system-health/alerts");
  auto post = request("POST", "/api/v1/system-health/alerts");
  EXPECT_EQ(run(get, router_.match(get)), "alerts_list");
  EXPECT_EQ(run(post, router_.match(post)), "alerts_create");
}

TEST_F(RouterTest, LiteralSegmentsMustMatchExactly) {
  auto r = request("GET", "/spaces/acme/integration-healthz");
  const auto m = router_.match(r);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.name, "not_found");
  auto upper = request("GET", "/Metrics");
  EXPECT_EQ(router_.match(upper).name, "not_found") << "paths are case-sensitive";
}

TEST_F(RouterTest, MethodMismatchListsTheAllowedMethods) {
  auto r = request("GET", "/api/v1/events");
  const auto m = router_.match(r);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.name, "method_not_allowed");
  EXPECT_THAT(m.allow, ElementsAre("POST"));
}

TEST_F(RouterTest, MethodMismatchListsEveryMethodOfThePathOnce) {
  auto r = request("PATCH", "/api/v1/tenants/acme/entities/k/1");
  const auto m = router_.match(r);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.name, "method_not_allowed");
  EXPECT_THAT(m.allow, UnorderedElementsAre("PUT", "DELETE"));
}

TEST(Router, DuplicateMethodsAreListedOnce) {
  Router router;
  router.add("GET", "/a/{x}", "first", named("first"));
  router.add("GET", "/a/{y}", "second", named("second"));
  auto r = request("POST", "/a/1");
  const auto m = router.match(r);
  EXPECT_EQ(m.name, "method_not_allowed");
  EXPECT_THAT(m.allow, ElementsAre("GET", "HEAD"));
}

TEST_F(RouterTest, HeadIsServedByTheGetRouteOfThePath) {
  auto r = request("HEAD", "/api/v1/system-health/alerts/cha_1");
  const auto m = router_.match(r);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.name, "alert_get");
  EXPECT_THAT(r.path_params, ElementsAre(Pair("id", "cha_1")));
  auto post_only = request("HEAD", "/api/v1/events");
  EXPECT_EQ(router_.match(post_only).name, "method_not_allowed");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  for (const char* path : {"/nope", "/api/v1", "/api/v1/events/extra", "/", "", "/spaces/acme",
                           "/api/v1/tenants/acme/entities/k"}) {
    SCOPED_TRACE(path);
    auto r = request("GET", path);
    const auto m = router_.match(r);
    EXPECT_EQ(m.handler, nullptr);
    EXPECT_EQ(m.name, "not_found");
    EXPECT_THAT(m.allow, IsEmpty());
  }
}

TEST_F(RouterTest, TrailingSlashIsTolerated) {
  auto r = request("GET", "/metrics/");
  EXPECT_EQ(router_.match(r).name, "metrics");
  auto p = request("GET", "/spaces/acme/integration-health/");
  const auto m = router_.match(p);
  EXPECT_EQ(m.name, "integration_health");
  EXPECT_EQ(p.path_params["slug"], "acme");
}

TEST_F(RouterTest, RepeatedSlashesAreTolerated) {
  auto r = request("POST", "//api//v1///events");
  EXPECT_EQ(router_.match(r).name, "events");
}

TEST(Router, ALiteralSegmentWinsOverAParameterInEitherOrder) {
  for (const bool literal_first : {false, true}) {
    SCOPED_TRACE(literal_first);
    Router router;
    if (literal_first) router.add("POST", "/items/read-all", "read_all", named("read_all"));
    router.add("GET", "/items/{id}", "by_id", named("by_id"));
    router.add("DELETE", "/items/{id}", "delete", named("delete"));
    if (!literal_first) router.add("POST", "/items/read-all", "read_all", named("read_all"));
    auto post = request("POST", "/items/read-all");
    EXPECT_EQ(router.match(post).name, "read_all");
    // Another method on the literal path is refused with the literal route's methods, not
    // handed to the parameter route as an item called "read-all".
    for (const char* method : {"GET", "DELETE", "HEAD"}) {
      auto other = request(method, "/items/read-all");
      const auto m = router.match(other);
      EXPECT_EQ(m.name, "method_not_allowed") << method;
      EXPECT_THAT(m.allow, ElementsAre("POST")) << method;
      EXPECT_THAT(other.path_params, IsEmpty());
    }
    auto item = request("GET", "/items/7");
    EXPECT_EQ(router.match(item).name, "by_id");
    EXPECT_EQ(item.path_params["id"], "7");
  }
}

TEST_F(RouterTest, NoParamsAreLeftOnAFailedMatch) {
  auto r = request("POST", "/spaces/acme/integration-health");
  const auto m = router_.match(r);
  EXPECT_EQ(m.name, "method_not_allowed");
  EXPECT_THAT(r.path_params, IsEmpty());
}

TEST(SplitPath, IgnoresEmptySegments) {
  EXPECT_THAT(split_path("/a/b/c"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(split_path("/a/b/"), ElementsAre("a", "b"));
  EXPECT_THAT(split_path("a//b"), ElementsAre("a", "b"));
  EXPECT_THAT(split_path("///"), IsEmpty());
  EXPECT_THAT(split_path(""), IsEmpty());
  EXPECT_THAT(split_path("/"), IsEmpty());
  EXPECT_THAT(split_path("/only"), ElementsAre("only"));
}

}  // namespace
}  // namespace vitals
