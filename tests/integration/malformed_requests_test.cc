// A catalog of malformed requests across every endpoint (issue 10, "hostile input"): bad JSON, bad
// UTF-8, deep nesting, wrong types, overflowing numbers, bad limits and dates, path traversal in
// ids, header injection, oversized and compressed-bomb bodies, unknown content types, broken HTTP.
// Each must get the right 4xx with a message that says what is wrong, the server must answer
// /-/healthy after each, and nothing may be stored. Slow-body (slowloris) requests are covered
// with the connection limits, not here.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "core/gzip.h"
#include "support/raw_exchange.h"
#include "vitals_process.h"

namespace vitals::testing {
namespace {

constexpr size_t kMaxBody = 256 * 1024;  // small, so that "huge" stays quick to send
constexpr size_t kDeep = 100'000;        // nesting depth of the deep-nesting cases

struct Case {
  std::string name;
  std::string method;
  std::string path;
  HeaderList headers;
  std::string body;
  long status;
  std::string says;  // a substring the answer must contain: the message is clear
};

// A request no well-behaved client sends, written byte for byte.
struct RawCase {
  std::string name;
  std::string request;
  long status;
  std::string says;
};

HeaderList with_token(const std::string& token, HeaderList headers = {}) {
  headers.emplace_back("Authorization", "Bearer " + token);
  return headers;
}

HeaderList ndjson(const std::string& token) {
  return with_token(token, {{"Content-Type", "application/x-ndjson"}});
}

HeaderList json(const std::string& token) {
  return with_token(token, {{"Content-Type", "application/json"}});
}

std::string event_with(const std::string& fields) {
  return R"({"tenant":"acme","type":"webhook","status":"success")" +
         (fields.empty() ? "" : "," + fields) + "}";
}

std::string deep_array() {
  return std::string(kDeep, '[') + std::string(kDeep, ']');
}

std::string many_counts(int kinds) {
  std::string counts;
  for (int i = 0; i < kinds; ++i) counts += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  return "\"counts\":{" + counts + "}";
}

std::vector<Case> ingest_cases() {
  const std::string path = "/api/v1/events";
  const auto nd = ndjson("dev-ingest-token");
  const auto js = json("dev-ingest-token");
  auto gz = with_token("dev-ingest-token",
                       {{"Content-Type", "application/x-ndjson"}, {"Content-Encoding", "gzip"}});
  return {
      {"events: truncated JSON", "POST", path, nd, R"({"tenant":"acme",)", 400, "invalid JSON"},
      {"events: unclosed array", "POST", path, js, "[" + event_with(""), 400, "invalid JSON"},
      {"events: bad UTF-8", "POST", path, nd, event_with("\"key\":\"\xff\xfe\""), 400, "UTF-8"},
      {"events: overlong UTF-8", "POST", path, nd, event_with("\"mode\":\"\xc0\xaf\""), 400,
       "UTF-8"},
      {"events: 100k nested arrays (NDJSON)", "POST", path, nd, deep_array(), 400, "too deep"},
      {"events: 100k nested arrays (JSON)", "POST", path, js, "{\"events\":" + deep_array() + "}",
       400, "too deep"},
      {"events: status is a number", "POST", path, nd,
       R"({"tenant":"acme","type":"webhook","status":42})", 400, "must be a string"},
      {"events: tenant is an array", "POST", path, nd,
       R"({"tenant":["acme"],"type":"webhook","status":"success"})", 400, "must be a string"},
      {"events: an event is a string", "POST", path, js, R"(["event"])", 400,
       "must be a JSON object"},
      {"events: latency 1e400", "POST", path, nd, event_with("\"latency_ms\":1e400"), 400,
       "invalid JSON"},
      {"events: count 2^64", "POST", path, nd,
       event_with("\"counts\":{\"rows\":18446744073709551616}"), 400,
       "Problem while parsing a number"},
      {"events: negative count", "POST", path, nd, event_with("\"counts\":{\"rows\":-1}"), 400,
       "non-negative integer"},
      {"events: negative latency", "POST", path, nd, event_with("\"latency_ms\":-0.5"), 400,
       "finite number from 0 to 1e9"},
      {"events: impossible date", "POST", path, nd, event_with("\"time\":\"2026-02-30T10:00:00Z\""),
       400, "RFC 3339"},
      {"events: time without zone", "POST", path, nd,
       event_with("\"time\":\"2026-02-17T10:00:00\""), 400, "RFC 3339"},
      {"events: far future", "POST", path, nd, event_with("\"time\":\"9999-12-31T23:59:59Z\""), 400,
       "in the future"},
      {"events: unknown tenant", "POST", path, nd,
       R"({"tenant":"initech","type":"webhook","status":"success"})", 400, "unknown tenant"},
      {"events: tenant path traversal", "POST", path, nd,
       R"({"tenant":"../globex","type":"webhook","status":"success"})", 400, "unknown tenant"},
      {"events: tenant with a NUL", "POST", path, nd,
       R"({"tenant":"acme\u0000","type":"webhook","status":"success"})", 400, "unknown tenant"},
      {"events: empty body", "POST", path, nd, "", 400, "holds no events"},
      {"events: object without events", "POST", path, js, R"({"foo":1})", 400, "array of events"},
      {"events: type with a space", "POST", path, nd,
       R"({"tenant":"acme","type":"web hook","status":"success"})", 400, "must match"},
      {"events: 3 KiB error message", "POST", path, nd,
       event_with("\"status\":\"error\",\"error\":{\"message\":\"" + std::string(3000, 'x') +
                  "\"}"),
       400, "at most 2048 bytes"},
      {"events: 200-byte id", "POST", path, nd,
       event_with("\"id\":\"" + std::string(200, 'i') + "\""), 400, "1 to 128 bytes"},
      {"events: 33 count kinds", "POST", path, nd, event_with(many_counts(33)), 400,
       "at most 32 kinds"},
      {"events: text/plain", "POST", path,
       with_token("dev-ingest-token", {{"Content-Type", "text/plain"}}), event_with(""), 415,
       "Content-Type must be"},
      {"events: no content type", "POST", path, with_token("dev-ingest-token"), event_with(""), 415,
       "Content-Type must be"},
      {"events: multipart", "POST", path,
       with_token("dev-ingest-token", {{"Content-Type", "multipart/form-data; boundary=x"}}),
       event_with(""), 415, "Content-Type must be"},
      {"events: brotli encoding", "POST", path,
       with_token("dev-ingest-token",
                  {{"Content-Type", "application/x-ndjson"}, {"Content-Encoding", "br"}}),
       event_with(""), 415, "Content-Encoding"},
      {"events: corrupt gzip", "POST", path, gz, "\x1f\x8b\x08\x00garbage", 400, "gzip"},
      {"events: gzip bomb", "POST", path, gz, gzip(std::string(20 * kMaxBody, '\n')), 413,
       "decompressed body exceeds"},
      {"events: body over max_body_bytes", "POST", path, nd, std::string(kMaxBody + 1024, ' '), 413,
       "max_body_bytes"},
  };
}

std::vector<Case> entity_cases() {
  const std::string one = "/api/v1/tenants/acme/entities/source/src_1";
  const auto js = json("dev-editor-token");
  const std::string deep_attributes =
      R"({"name":"n","status":"connected","attributes":{"a":)" + deep_array() + "}}";
  return {
      {"entity: truncated JSON", "PUT", one, js, R"({"name":"n")", 400, "JSON object"},
      {"entity: body is an array", "PUT", one, js, R"([1,2])", 400, "JSON object"},
      {"entity: bad UTF-8 name", "PUT", one, js, "{\"name\":\"\xff\",\"status\":\"connected\"}",
       400, "JSON object"},
      {"entity: 100k nested attributes", "PUT", one, js, deep_attributes, 400,
       "nests deeper than 64 levels"},
      {"entity: name is a number", "PUT", one, js, R"({"name":7,"status":"connected"})", 400,
       "name: must be a string"},
      {"entity: unknown status", "PUT", one, js, R"({"name":"n","status":"exploded"})", 400,
       "status:"},
      {"entity: attributes is an array", "PUT", one, js,
       R"({"name":"n","status":"connected","attributes":[1]})", 400,
       "attributes: must be an object"},
      {"entity: 70 KiB attributes", "PUT", one, js,
       R"({"name":"n","status":"connected","attributes":{"a":")" + std::string(70 * 1024, 'a') +
           "\"}}",
       400, "at most 65536 bytes"},
      {"entity: unknown kind", "PUT", "/api/v1/tenants/acme/entities/rocket/r1", js,
       R"({"name":"n","status":"active"})", 400, "kind must be one of"},
      {"entity: id traversal", "PUT", "/api/v1/tenants/acme/entities/source/..%2F..%2Fetc%2Fpasswd",
       js, R"({"name":"n","status":"connected"})", 400, "id must match"},
      {"entity: id with encoded NUL", "PUT", "/api/v1/tenants/acme/entities/source/a%00b", js,
       R"({"name":"n","status":"connected"})", 400, "id must match"},
      {"entity: GET id traversal", "GET", "/api/v1/tenants/acme/entities/source/..%2F..",
       with_token("dev-editor-token"), "", 400, "id must match"},
      // ".." is an acceptable id (ids are keys, never file names): there is just no such entity.
      {"entity: DELETE dot-dot id", "DELETE", "/api/v1/tenants/acme/entities/source/%2e%2e",
       with_token("dev-editor-token"), "", 404, "no source with id '..'"},
      {"entity: DELETE id traversal", "DELETE", "/api/v1/tenants/acme/entities/source/..%2F..",
       with_token("dev-editor-token"), "", 400, "id must match"},
      {"entity: tenant traversal", "PUT", "/api/v1/tenants/..%2Fglobex/entities/source/s1", js,
       R"({"name":"n","status":"connected"})", 404, "no such tenant"},
      {"entity: body over max_body_bytes", "PUT", one, js, std::string(kMaxBody + 1, '{'), 413,
       "max_body_bytes"},
  };
}

std::vector<Case> audience_cases() {
  const std::string sizes = "/api/v1/tenants/acme/audiences/aud_seed/sizes";
  const std::string members = "/api/v1/tenants/acme/audiences/aud_seed/members";
  const auto js = json("dev-editor-token");
  const auto nd = ndjson("dev-editor-token");
  return {
      {"sizes: truncated JSON", "POST", sizes, js, R"({"size":)", 400, "observation"},
      {"sizes: empty array", "POST", sizes, js, "[]", 400, "non-empty array"},
      {"sizes: negative size", "POST", sizes, js, R"({"size":-1})", 400,
       "size: must be an integer"},
      {"sizes: size 1e400", "POST", sizes, js, R"({"size":1e400})", 400, "observation"},
      {"sizes: size 2^64", "POST", sizes, js, R"({"size":18446744073709551616})", 400,
       "size: must be an integer"},
      {"sizes: size is a string", "POST", sizes, js, R"({"size":"12"})", 400,
       "size: must be an integer"},
      {"sizes: impossible date", "POST", sizes, js, R"({"size":1,"time":"2026-02-29T00:00:00Z"})",
       400, "time: must be an RFC 3339"},
      {"sizes: 100k nested arrays", "POST", sizes, js, deep_array(), 400,
       "nests deeper than 64 levels"},
      {"sizes: audience id traversal", "POST", "/api/v1/tenants/acme/audiences/..%2F..%2Fx/sizes",
       js, R"({"size":1})", 400, "audience id must match"},
      {"members: truncated JSON", "PUT", members, js, R"(["m1",)", 400, "invalid JSON"},
      {"members: bad UTF-8", "PUT", members, nd, "\"m\xff\"\n", 400, "UTF-8"},
      {"members: 100k nested arrays", "PUT", members, js, deep_array(), 400, "too deep"},
      {"members: numbers", "POST", members, js, "[1,2]", 400, "must be a JSON string"},
      {"members: 300-byte id", "POST", members, nd, "\"" + std::string(300, 'm') + "\"\n", 400,
       "1 to 256 bytes"},
      {"members: control character", "POST", members, nd, "\"a\\u0007b\"\n", 400,
       "control characters"},
      {"members: text/csv", "PUT", members,
       with_token("dev-editor-token", {{"Content-Type", "text/csv"}}), "m1\nm2\n", 415,
       "Content-Type must be"},
      {"members: DELETE without ids", "DELETE", members, nd, "", 400, "needs the member ids"},
      {"members: body over max_body_bytes", "PUT", members, nd, std::string(kMaxBody + 10, '\n'),
       413, "max_body_bytes"},
  };
}

std::vector<Case> feed_cases() {
  const std::string feed = "/api/v1/system-health";
  const auto read = with_token("dev-editor-token", {{"X-Tenant", "acme"}});
  const auto write = json("dev-editor-token");
  auto post = write;
  post.emplace_back("X-Tenant", "acme");
  const std::string alert = R"({"severity":"info","source":"s","title":"t","message":"m")";
  return {
      {"feed: limit 0", "GET", feed + "?limit=0", read, "", 400, "limit"},
      {"feed: negative limit", "GET", feed + "?limit=-5", read, "", 400, "limit"},
      {"feed: huge limit", "GET", feed + "?limit=99999999999999999999999", read, "", 400, "limit"},
      {"feed: limit 1e3", "GET", feed + "?limit=1e3", read, "", 400, "limit"},
      {"feed: since is not a time", "GET", feed + "?since=yesterday", read, "", 400, "since"},
      {"feed: since month 13", "GET", feed + "?since=2026-13-01T00:00:00Z", read, "", 400, "since"},
      {"feed: unknown severity", "GET", feed + "?severity=fatal", read, "", 400, "severity"},
      {"feed: cursor traversal", "GET", feed + "?cursor=..%2F..%2Fetc", read, "", 400, "cursor"},
      {"feed: unreadOnly maybe", "GET", feed + "?unreadOnly=maybe", read, "", 400, "unreadOnly"},
      {"feed: bad percent-encoding", "GET", feed + "?limit=%zz", read, "", 400, "percent-encoding"},
      {"feed: CR/LF in a query value", "GET", feed + "?severity=x%0D%0ASet-Cookie:%20a=b", read, "",
       400, "severity"},
      {"feed: POST truncated JSON", "POST", feed, post, R"({"severity":)", 400, "JSON object"},
      {"feed: POST severity is a number", "POST", feed, post,
       R"({"severity":3,"source":"s","title":"t","message":"m"})", 400, "severity"},
      {"feed: POST 100k nested metadata", "POST", feed, post,
       alert + R"(,"metadata":{"a":)" + deep_array() + "}}", 400, "nests deeper than 64 levels"},
      {"feed: POST 20 KiB metadata", "POST", feed, post,
       alert + R"(,"metadata":{"a":")" + std::string(20 * 1024, 'a') + "\"}}", 400, "metadata"},
      {"feed: POST without X-Tenant for two tenants", "POST", feed, write, alert + "}", 400,
       "X-Tenant"},
      {"feed: X-Tenant traversal", "GET", feed,
       with_token("dev-editor-token", {{"X-Tenant", "../acme"}}), "", 404, "no such tenant"},
      {"feed: GET id traversal", "GET", feed + "/..%2F..%2Fetc", read, "", 404, "no alert"},
      {"feed: PATCH id with encoded NUL", "PATCH", feed + "/cha_%00/read", read, "", 404,
       "no alert"},
      {"feed: DELETE unknown id", "DELETE", feed + "/cha_00000000000000000000000000", read, "", 404,
       "no alert"},
  };
}

std::vector<Case> read_api_cases() {
  const auto admin = with_token("dev-admin-token");
  const std::string health = "/spaces/acme/integration-health";
  const std::string dashboard = "/v1/analytics/integrations/dashboard";
  const std::string insights = "/api/v1/workspaces/acme/insights/";
  return {
      {"health: days 0", "GET", health + "?days=0", admin, "", 400, "days"},
      {"health: negative days", "GET", health + "?days=-1", admin, "", 400, "days"},
      {"health: days 401", "GET", health + "?days=401", admin, "", 400, "days"},
      {"health: days 2^64", "GET", health + "?days=18446744073709551616", admin, "", 400, "days"},
      {"health: days not a number", "GET", health + "?days=thirty", admin, "", 400, "days"},
      {"health: slug traversal", "GET", "/spaces/..%2Fglobex/integration-health", admin, "", 404,
       "no such tenant"},
      {"dashboard: impossible date", "GET",
       dashboard + "?start_date=2026-02-30&end_date=2026-03-01", admin, "", 422, "start_date"},
      {"dashboard: unknown granularity", "GET",
       dashboard + "?granularity=second&start_date=2026-02-01&end_date=2026-02-02", admin, "", 422,
       "pattern"},
      {"dashboard: missing dates", "GET", dashboard, admin, "", 422, "end_date"},
      {"dashboard: five-digit year", "GET",
       dashboard + "?start_date=99999-01-01&end_date=2026-01-01", admin, "", 422, "start_date"},
      {"dashboard: start after end", "GET",
       dashboard + "?start_date=2026-02-10&end_date=2026-02-01", admin, "", 400,
       "must not be after"},
      {"dashboard: 500-day period", "GET", dashboard + "?start_date=2024-01-01&end_date=2025-05-15",
       admin, "", 400, "400 days"},
      {"dashboard: too many minute buckets", "GET",
       dashboard + "?granularity=minute&start_date=2026-01-01&end_date=2026-01-31", admin, "", 400,
       "10080 buckets"},
      {"insights: days 0", "GET", insights + "sync-health?days=0", admin, "", 400, "days"},
      {"insights: days 1e2", "GET", insights + "audience-trends?days=1e2", admin, "", 400, "days"},
      {"insights: overlap of one audience", "GET",
       insights + "audience-overlap?audience_ids=aud_seed", admin, "", 400, "2 to 100"},
      {"insights: workspace header mismatch", "GET", insights + "summary",
       with_token("dev-admin-token", {{"X-Workspace-ID", "globex"}}), "", 400, "X-Workspace-ID"},
      {"warehouse: connection id traversal", "GET",
       "/api/v1/organisations/acme/integrations/warehouse-connections/..%2F..%2Fx/telemetry", admin,
       "", 404, "no warehouse connection"},
      {"reload: GET", "GET", "/-/reload", admin, "", 405, "does not accept"},
      {"metrics: POST", "POST", "/metrics", {}, "x", 405, "does not accept"},
      {"feed: GET read-all (not an alert id)", "GET", "/api/v1/system-health/read-all", admin, "",
       405, "does not accept"},
      {"feed: DELETE read-all", "DELETE", "/api/v1/system-health/read-all", admin, "", 405,
       "does not accept"},
      {"unknown endpoint", "GET", "/api/v2/events", admin, "", 404, "no such endpoint"},
  };
}

std::string raw_request(const std::string& head) {
  return head + "Connection: close\r\n\r\n";
}

std::vector<RawCase> raw_cases() {
  const std::string auth = "Authorization: Bearer dev-admin-token\r\n";
  return {
      {"raw: garbage request line", raw_request("GARBAGE\r\n"), 400, ""},
      {"raw: dot segments in the path",
       raw_request("GET /spaces/../spaces/acme/integration-health HTTP/1.1\r\nHost: x\r\n" + auth),
       404, "no such endpoint"},
      {"raw: unknown method", raw_request("BREW /-/healthy HTTP/1.1\r\nHost: x\r\n" + auth), 400,
       ""},
      {"raw: header line without a colon",
       raw_request("GET /-/healthy HTTP/1.1\r\nHost: x\r\nno colon here\r\n"), 400, ""},
      {"raw: negative Content-Length",
       raw_request("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n"), 411,
       "Length Required"},
      {"raw: Content-Length not a number",
       raw_request("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n"), 411,
       "Length Required"},
      {"raw: CR injected into X-Tenant",
       raw_request("GET /api/v1/system-health HTTP/1.1\r\nHost: x\r\n" + auth +
                   "X-Tenant: acme\rSet-Cookie: a=b\r\n"),
       400, ""},
  };
}

// What the malformed requests must not have changed, as the read APIs and /metrics show it.
std::string stored_state(VitalsProcess& vitals) {
  const std::string admin = "dev-admin-token";
  std::ostringstream out;
  for (const std::string tenant : {"acme", "globex"}) {
    out << vitals.get("/spaces/" + tenant + "/integration-health?days=400", admin).body;
    for (const char* kind :
         {"warehouse_connection", "source", "model", "destination", "sync", "audience", "loader"}) {
      out << vitals.get("/api/v1/tenants/" + tenant + "/entities/" + kind, admin).body;
    }
    out << vitals.get("/api/v1/workspaces/" + tenant + "/insights/audience-trends?days=400", admin)
               .body;
  }
  out << vitals
             .get("/api/v1/workspaces/acme/insights/audience-overlap?audience_ids=aud_seed,aud_b",
                  admin)
             .body;
  HttpClient client;
  for (const std::string tenant : {"acme", "globex"}) {
    out << client
               .get(vitals.url("/api/v1/system-health?limit=200"),
                    with_token(admin, {{"X-Tenant", tenant}}))
               .body;
  }
  std::istringstream metrics(client.get(vitals.url("/metrics")).body);
  for (std::string line; std::getline(metrics, line);) {
    for (const char* family :
         {"vitals_integration_events_total{", "vitals_ingest_events_total{result=\"stored\"",
          "vitals_entities{", "vitals_audience_size{", "vitals_system_health_alerts_total{"}) {
      if (line.rfind(family, 0) == 0) out << line << "\n";
    }
  }
  return out.str();
}

class MalformedRequests : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    vitals_ = new VitalsProcess("max_body_bytes = " + std::to_string(kMaxBody) + "\n");
    vitals_->start();
    seed();
  }
  static void TearDownTestSuite() {
    delete vitals_;
    vitals_ = nullptr;
  }

  // Something of every kind, so that "unchanged" is not merely "still empty".
  static void seed() {
    HttpClient client;
    ASSERT_EQ(vitals_->ingest(event_with("\"key\":\"seeded\"")).status, 200);
    ASSERT_EQ(client
                  .put(vitals_->url("/api/v1/tenants/acme/entities/source/src_1"),
                       R"({"name":"seeded","status":"connected"})", json("dev-editor-token"))
                  .status,
              201);
    for (const std::string audience : {"aud_seed", "aud_b"}) {
      ASSERT_EQ(client
                    .put(vitals_->url("/api/v1/tenants/acme/audiences/" + audience + "/members"),
                         "[\"m1\",\"m2\"]", json("dev-editor-token"))
                    .status,
                200);
    }
    auto headers = json("dev-editor-token");
    headers.emplace_back("X-Tenant", "acme");
    ASSERT_EQ(
        client
            .post(vitals_->url("/api/v1/system-health"),
                  R"({"severity":"info","source":"s","title":"seeded","message":"m"})", headers)
            .status,
        201);
  }

  void expect_still_serving() {
    const auto healthy = client_.get(vitals_->url("/-/healthy"));
    ASSERT_EQ(healthy.status, 200) << "vitals stopped answering; log:\n" << vitals_->log();
  }

  static VitalsProcess* vitals_;
  HttpClient client_;
};

VitalsProcess* MalformedRequests::vitals_ = nullptr;

TEST_F(MalformedRequests, EachGetsAClear4xxNothingIsStoredAndTheServerKeepsServing) {
  const std::string before = stored_state(*vitals_);
  std::vector<Case> cases;
  for (auto part : {ingest_cases, entity_cases, audience_cases, feed_cases, read_api_cases}) {
    for (auto& c : part()) cases.push_back(std::move(c));
  }
  ASSERT_GE(cases.size() + raw_cases().size(), 60u);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    HttpClient client;  // a fresh connection: a 413 may close the previous one
    const auto r = client.request(c.method, vitals_->url(c.path), c.body, c.headers);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_NE(r.body.find(c.says), std::string::npos) << r.body;
    EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
    EXPECT_EQ(r.header("set-cookie"), "");
    expect_still_serving();
  }
  EXPECT_EQ(stored_state(*vitals_), before);
}

TEST_F(MalformedRequests, BrokenHttpGetsA4xxAndTheServerKeepsServing) {
  const std::string before = stored_state(*vitals_);
  for (const RawCase& c : raw_cases()) {
    SCOPED_TRACE(c.name);
    const std::string answer = raw_exchange(vitals_->port(), c.request, std::chrono::seconds(5));
    const std::string status_line = answer.substr(0, answer.find("\r\n"));
    EXPECT_NE(status_line.find(" " + std::to_string(c.status) + " "), std::string::npos) << answer;
    EXPECT_NE(answer.find(c.says), std::string::npos) << answer;
    EXPECT_EQ(answer.find("Set-Cookie"), std::string::npos) << answer;
    // Refused by civetweb or by vitals, the body is SPEC §2's error object.
    EXPECT_NE(answer.find("Content-Type: application/json"), std::string::npos) << answer;
    const auto body =
        nlohmann::json::parse(answer.substr(answer.find("\r\n\r\n") + 4), nullptr, false);
    ASSERT_TRUE(body.is_object()) << answer;
    EXPECT_TRUE(body["error"].is_string()) << answer;
    EXPECT_TRUE(body["message"].is_string()) << answer;
    expect_still_serving();
  }
  EXPECT_EQ(stored_state(*vitals_), before);
}

}  // namespace
}  // namespace vitals::testing
