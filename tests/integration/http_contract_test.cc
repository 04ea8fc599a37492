// Status codes and error bodies of the contract's cross-cutting rules: auth (SPEC §2), ingest
// answers (§3.1) and the operational endpoints (§5).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/gzip.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

const std::string kEvent = R"({"tenant":"acme","type":"webhook","status":"success"})";

class HttpContract : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    vitals_ = new VitalsProcess("max_body_bytes = 4096\n",
                                "[[tokens]]\ntoken = \"acme-only-ingest\"\nrole = \"ingest\"\n"
                                "tenants = [\"acme\"]\n");
    vitals_->start();
  }
  static void TearDownTestSuite() {
    delete vitals_;
    vitals_ = nullptr;
  }

  HttpResponse post_events(const std::string& body, const HeaderList& headers) {
    return client_.post(vitals_->url("/api/v1/events"), body, headers);
  }

  static void expect_error_body(const HttpResponse& r, long status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
    const auto body = r.json();
    EXPECT_EQ(body["error"], code) << r.body;
    EXPECT_TRUE(body["message"].is_string() && !body["message"].get<std::string>().empty());
  }

  static VitalsProcess* vitals_;
  HttpClient client_;
};

VitalsProcess* HttpContract::vitals_ = nullptr;

TEST_F(HttpContract, MissingOrUnknownTokenIs401) {
  expect_error_body(client_.get(vitals_->url("/spaces/acme/integration-health")), 401,
                    "unauthorized");
  expect_error_body(vitals_->get("/spaces/acme/integration-health", "not-a-token"), 401,
                    "unauthorized");
  expect_error_body(post_events(kEvent, {{"Content-Type", "application/x-ndjson"}}), 401,
                    "unauthorized");
}

TEST_F(HttpContract, BearerAndApiKeyAreBothAccepted) {
  EXPECT_EQ(
      client_
          .get(vitals_->url("/spaces/acme/integration-health"), {{"x-api-key", "dev-viewer-token"}})
          .status,
      200);
  EXPECT_EQ(client_
                .get(vitals_->url("/spaces/acme/integration-health"),
                     {{"Authorization", "bearer dev-viewer-token"}})
                .status,
            200);
}

TEST_F(HttpContract, AnotherTenantsDataLooksLikeNoTenantAtAll) {
  auto other = vitals_->get("/spaces/globex/integration-health", "dev-viewer-token");
  auto missing = vitals_->get("/spaces/initech/integration-health", "dev-viewer-token");
  expect_error_body(other, 404, "not_found");
  expect_error_body(missing, 404, "not_found");
  EXPECT_EQ(other.body, missing.body);
}

TEST_F(HttpContract, RolesThatMayNotMakeACallGet403) {
  expect_error_body(vitals_->get("/spaces/acme/integration-health", "dev-ingest-token"), 403,
                    "forbidden");
  expect_error_body(post_events(kEvent, {{"x-api-key", "dev-viewer-token"},
                                         {"Content-Type", "application/x-ndjson"}}),
                    403, "forbidden");
  EXPECT_EQ(post_events(kEvent, {{"x-api-key", "dev-editor-token"},
                                 {"Content-Type", "application/x-ndjson"}})
                .status,
            200);
}

TEST_F(HttpContract, EventsForATenantTheTokenDoesNotListAreUnknownTenants) {
  const HeaderList headers = {{"x-api-key", "acme-only-ingest"},
                              {"Content-Type", "application/x-ndjson"}};
  auto not_listed =
      post_events(R"({"tenant":"globex","type":"webhook","status":"success"})", headers);
  auto undeclared =
      post_events(R"({"tenant":"initech","type":"webhook","status":"success"})", headers);
  expect_error_body(not_listed, 400, "invalid_events");
  EXPECT_EQ(not_listed.json()["errors"][0]["message"], "unknown tenant");
  EXPECT_EQ(not_listed.body, undeclared.body);
  EXPECT_EQ(post_events(kEvent, headers).status, 200);
}

TEST_F(HttpContract, IngestAnswersForBadBodies) {
  const HeaderList ndjson = {{"x-api-key", "dev-ingest-token"},
                             {"Content-Type", "application/x-ndjson"}};
  expect_error_body(
      post_events(kEvent, {{"x-api-key", "dev-ingest-token"}, {"Content-Type", "text/plain"}}), 415,
      "unsupported_media_type");
  expect_error_body(post_events(std::string(5000, ' '), ndjson), 413, "body_too_large");
  HeaderList gzipped = ndjson;
  gzipped.emplace_back("Content-Encoding", "gzip");
  expect_error_body(post_events("definitely not gzip", gzipped), 400, "bad_gzip");
  // A small gzip body that inflates past max_body_bytes.
  expect_error_body(post_events(gzip(std::string(1 << 20, '\n')), gzipped), 413, "body_too_large");
  HeaderList brotli = ndjson;
  brotli.emplace_back("Content-Encoding", "br");
  expect_error_body(post_events(kEvent, brotli), 415, "unsupported_encoding");
  expect_error_body(post_events("", ndjson), 400, "invalid_events");
  expect_error_body(post_events("{not json", ndjson), 400, "invalid_events");
}

TEST_F(HttpContract, ABodyOverTheLimitIsRefusedWholeAndStoresNothing) {
  const HeaderList ndjson = {{"x-api-key", "dev-ingest-token"},
                             {"Content-Type", "application/x-ndjson"}};
  std::string events;  // valid events, but more of them than max_body_bytes (4096) allows
  while (events.size() <= 4096) {
    events += R"({"tenant":"acme","type":"oversized","status":"success"})"
              "\n";
  }
  const std::string too_large = R"(vitals_ingest_rejections_total{reason="too_large"})";
  const double refused_before = vitals_->metric(too_large);
  const auto plain = post_events(events, ndjson);
  expect_error_body(plain, 413, "body_too_large");
  EXPECT_EQ(plain.header("connection"), "close");
  HeaderList gzipped = ndjson;
  gzipped.emplace_back("Content-Encoding", "gzip");
  expect_error_body(post_events(gzip(events), gzipped), 413, "body_too_large");
  // Counted both: the plain body refused by the HTTP server before the endpoint ran, the gzip
  // one by the endpoint once inflated.
  EXPECT_EQ(vitals_->metric(too_large), refused_before + 2);
  const auto health = vitals_->get("/spaces/acme/integration-health", "dev-viewer-token");
  ASSERT_EQ(health.status, 200);
  const auto summary = health.json();  // the loop must not range over a temporary's member
  for (const auto& row : summary["by_integration_type"]) {
    EXPECT_NE(row["integration_type"], "oversized") << health.body;
  }
  // The server keeps serving, and the first 4096 bytes' worth of the same events go in.
  EXPECT_EQ(post_events(events.substr(0, events.rfind('\n', 4000) + 1), ndjson).status, 200);
}

TEST_F(HttpContract, HealthReadyAndOpenApiNeedNoToken) {
  EXPECT_EQ(client_.get(vitals_->url("/-/healthy")).status, 200);
  EXPECT_EQ(client_.get(vitals_->url("/-/ready")).status, 200);
  auto doc = client_.get(vitals_->url("/openapi.json"));
  ASSERT_EQ(doc.status, 200);
  const auto openapi = doc.json();
  EXPECT_EQ(openapi["openapi"], "3.1.0");
  for (const char* path :
       {"/api/v1/events", "/spaces/{slug}/integration-health",
        "/v1/analytics/integrations/dashboard", "/metrics",
        "/api/v1/tenants/{tenant}/entities/{kind}/{id}",
        "/api/v1/organisations/{org}/integrations/warehouse-connections/{id}/telemetry/",
        "/api/v1/workspaces/{id}/insights/audience-overlap",
        "/api/v1/tenants/{tenant}/audiences/{audience_id}/members", "/-/reload", "/-/healthy",
        "/-/ready"}) {
    EXPECT_TRUE(openapi["paths"].contains(path)) << path;
  }
}

TEST_F(HttpContract, UnknownPathsAndMethodsAreJsonErrors) {
  expect_error_body(client_.get(vitals_->url("/no/such/thing")), 404, "not_found");
  auto r = client_.request("DELETE", vitals_->url("/api/v1/events"), "");
  expect_error_body(r, 405, "method_not_allowed");
  EXPECT_EQ(r.header("allow"), "POST");
  EXPECT_EQ(client_.request("DELETE", vitals_->url("/metrics"), "").header("allow"), "GET, HEAD");
}

// Liveness probes and uptime monitors send HEAD; it answers as GET would, without the body, and
// leaves the kept-alive connection fit for the next request.
TEST_F(HttpContract, HeadAnswersWithTheHeadersOfGetAndNoBody) {
  const auto get = client_.get(vitals_->url("/-/healthy"));
  const auto head = client_.request("HEAD", vitals_->url("/-/healthy"), "");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.header("content-type"), get.header("content-type"));
  EXPECT_EQ(head.header("content-length"), std::to_string(get.body.size()));
  const auto metrics = client_.request("HEAD", vitals_->url("/metrics"), "");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.body, "");
  EXPECT_TRUE(metrics.header("content-type").starts_with("text/plain; version=0.0.4"));
  EXPECT_GT(std::stol(metrics.header("content-length")), 1000);
  const auto after = client_.get(vitals_->url("/-/healthy"));
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, get.body);
}

}  // namespace
}  // namespace vitals::testing
