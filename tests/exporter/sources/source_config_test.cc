#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "config/config.h"
#include "sources/source_config_reader.h"

namespace vitals::sources {
namespace {

constexpr const char* kFile = "conf/vitals.toml";

std::string describe(const ConfigLoad& load) {
  std::string out;
  for (const auto& p : load.problems) out += p.to_string() + "\n";
  return out;
}

ConfigLoad parse(const std::string& sources) {
  return parse_config("[[tenants]]\nslug = \"acme\"\n" + sources, kFile);
}

bool has_problem(const ConfigLoad& load, const std::string& key, int line) {
  for (const auto& p : load.problems) {
    if (p.key == key && p.line == line && p.file == kFile) return true;
  }
  return false;
}

constexpr const char* kHttp = R"([[sources]]
name = "crm"
tenant = "acme"
interval = "30s"
timeout = "5s"
retry_initial = "2s"
retry_max = "1m"
[sources.http]
url = "https://crm.example.com/runs?limit=2"
headers = { Authorization = "Bearer ${env:VITALS_TEST_SOURCE_TOKEN}" }
records = "data"
cursor = "meta.next"
cursor_param = "after"
max_body_bytes = 65536
[sources.http.mapping]
type = { const = "sync_run" }
key = "sync.id"
status = { path = "state", map = { completed = "success", failed = "exception" } }
latency_ms = { path = "duration_s", scale = 1000 }
counts = { rows = "rows" }
id = "run_id"
)";

TEST(SourceConfig, ReadsAnHttpSourceWithItsMappingAndExpandsTheEnvironment) {
  ::setenv("VITALS_TEST_SOURCE_TOKEN", "s3cret", 1);
  const auto load = parse(kHttp);
  ASSERT_TRUE(load.config) << describe(load);
  ASSERT_EQ(load.config->sources.size(), 1u);
  const SourceConfig& s = load.config->sources[0];
  EXPECT_EQ(s.name, "crm");
  EXPECT_EQ(s.tenant, "acme");
  EXPECT_EQ(s.interval, 30 * kMsPerSecond);
  EXPECT_EQ(s.timeout, 5 * kMsPerSecond);
  EXPECT_EQ(s.backoff.initial, 2 * kMsPerSecond);
  EXPECT_EQ(s.backoff.max, kMsPerMinute);
  ASSERT_TRUE(s.http);
  EXPECT_FALSE(s.file);
  const auto& http = *s.http;
  ASSERT_EQ(http.headers.size(), 1u);
  EXPECT_EQ(http.headers[0].second, "Bearer s3cret");
  EXPECT_EQ(http.cursor, "meta.next");
  EXPECT_EQ(http.cursor_param, "after");
  EXPECT_EQ(http.max_body_bytes, 65536u);
  EXPECT_EQ(http.mapping.fields.at("type").constant, "sync_run");
  EXPECT_EQ(http.mapping.fields.at("status").value_map.at("failed"), "exception");
  EXPECT_EQ(*http.mapping.fields.at("latency_ms").scale, 1000.0);
  EXPECT_EQ(http.mapping.counts.at("rows").path, "rows");
}

TEST(SourceConfig, AMissingEnvironmentVariableIsAProblemNamingIt) {
  ::unsetenv("VITALS_TEST_SOURCE_TOKEN");
  const auto load = parse(kHttp);
  EXPECT_TRUE(has_problem(load, "sources[0].http.headers.Authorization", 12)) << describe(load);
  EXPECT_NE(describe(load).find("VITALS_TEST_SOURCE_TOKEN is not set"), std::string::npos);
}

TEST(SourceConfig, ReadsAFileSourceRelativeToTheConfigurationFolder) {
  const auto load = parse(R"([[sources]]
name = "runs-file"
tenant = "acme"
[sources.file]
path = "data/runs.ndjson"
)");
  ASSERT_TRUE(load.config) << describe(load);
  const SourceConfig& s = load.config->sources[0];
  ASSERT_TRUE(s.file);
  EXPECT_EQ(s.file->path, "conf/data/runs.ndjson");
  EXPECT_EQ(s.file->max_line_bytes, 1024u * 1024u);
  EXPECT_EQ(s.interval, kMsPerMinute);
  EXPECT_EQ(s.timeout, 10 * kMsPerSecond);
}

TEST(SourceConfig, ReportsEveryProblemWithItsLineAndKey) {
  const auto load = parse(R"([[sources]]
name = "bad name"
tenant = "nobody"
interval = "10ms"
colour = "blue"
[sources.http]
url = "ftp://x"
next_url = "links.next"
cursor = "meta.next"
[sources.http.mapping]
tenant = { const = "globex" }
key = { path = "a", const = "b" }
when = "x"
[sources.file]
path = "x"
[[sources]]
name = "bad name"
tenant = "acme"
)");
  EXPECT_FALSE(load.config);
  EXPECT_TRUE(has_problem(load, "sources[0].name", 4)) << describe(load);
  EXPECT_TRUE(has_problem(load, "sources[0].tenant", 5));
  EXPECT_TRUE(has_problem(load, "sources[0].interval", 6));
  EXPECT_TRUE(has_problem(load, "sources[0].colour", 7));
  EXPECT_TRUE(has_problem(load, "sources[0].http.url", 9));
  EXPECT_TRUE(has_problem(load, "sources[0].http.cursor", 8));
  EXPECT_TRUE(has_problem(load, "sources[0].http.mapping.key.path", 14));
  EXPECT_TRUE(has_problem(load, "sources[0].http.mapping.when", 15));
  EXPECT_TRUE(has_problem(load, "sources[0].http.mapping.type", 12));
  EXPECT_TRUE(has_problem(load, "sources[0].http", 3));
  EXPECT_TRUE(has_problem(load, "sources[1].name", 19)) << "duplicate name";
  EXPECT_TRUE(has_problem(load, "sources[1].http", 18)) << "neither kind given";
}

TEST(SourceConfig, AMappingMayOnlyNameTheSourcesOwnTenant) {
  const auto load = parse(R"([[tenants]]
slug = "globex"
[[sources]]
name = "crm"
tenant = "acme"
[sources.http]
url = "http://127.0.0.1:1/x"
[sources.http.mapping]
tenant = { const = "globex" }
type = { const = "webhook" }
status = "status"
)");
  EXPECT_TRUE(has_problem(load, "sources[0].http.mapping.tenant", 11)) << describe(load);
}

TEST(SourceConfig, ExpandsEveryEnvironmentReference) {
  ::setenv("VITALS_TEST_A", "one", 1);
  ::setenv("VITALS_TEST_B", "two", 1);
  std::string missing;
  EXPECT_EQ(expand_env("x${env:VITALS_TEST_A}-${env:VITALS_TEST_B}y", missing), "xone-twoy");
  EXPECT_EQ(expand_env("no references ${here", missing), "no references ${here");
  EXPECT_FALSE(expand_env("${env:VITALS_TEST_UNSET_NAME}", missing));
  EXPECT_EQ(missing, "VITALS_TEST_UNSET_NAME");
}

}  // namespace
}  // namespace vitals::sources
