#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace vitals {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kFile = "vitals.toml";

// The smallest valid configuration: one tenant.
constexpr const char* kMinimal = R"([[tenants]]
slug = "acme"
)";

std::string describe(const ConfigLoad& load) {
  std::string out;
  for (const auto& p : load.problems) out += p.to_string() + "\n";
  return out;
}

// Expects a problem with `key` on `line` in kFile, and no config.
void expect_problem(const ConfigLoad& load, const std::string& key, int line) {
  EXPECT_FALSE(load.config.has_value());
  bool found = false;
  for (const auto& p : load.problems) {
    if (p.key == key && p.line == line && p.file == kFile && !p.message.empty()) found = true;
  }
  EXPECT_TRUE(found) << "expected " << kFile << ":" << line << ": " << key << ", got:\n"
                     << describe(load);
}

const ConfigProblem* find_problem(const ConfigLoad& load, const std::string& key) {
  for (const auto& p : load.problems) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

TEST(Config, DefaultsWhenOnlyATenantIsGiven) {
  const auto load = parse_config(kMinimal, kFile);
  ASSERT_TRUE(load.config.has_value()) << describe(load);
  EXPECT_THAT(load.problems, IsEmpty());
  const Config& c = *load.config;
  EXPECT_EQ(c.server.listen_host, "127.0.0.1");
  EXPECT_EQ(c.server.listen_port, 9470);
  EXPECT_EQ(c.server.max_body_bytes, 16777216u);
  EXPECT_EQ(c.storage.path, "data/vitals.db");
  EXPECT_EQ(c.storage.retention, 35 * kMsPerDay);
  EXPECT_EQ(c.rules.interval, 15 * kMsPerSecond);
  EXPECT_TRUE(c.rules.files.empty());
  EXPECT_TRUE(c.tokens.empty());
  ASSERT_EQ(c.tenants.size(), 1u);
  EXPECT_EQ(c.tenants[0].slug, "acme");
  EXPECT_EQ(c.tenants[0].name, "acme") << "the name defaults to the slug";
  EXPECT_EQ(c.source_path, kFile);
}

TEST(Config, FullValidConfig) {
  const std::string plain = "dev-admin-token";
  const std::string hashed = sha256_hex("ingest-secret-123");
  const std::string text = R"([server]
listen = "0.0.0.0:9999"
max_body_bytes = 1048576

[storage]
path = "/var/lib/vitals/vitals.db"
retention = "7d"

[[tenants]]
slug = "acme"
name = "Acme Inc."

[[tenants]]
slug = "globex"
name = "Globex"
id = "0F8FAD5B-D9CB-469F-A165-70867728950E"

[[tokens]]
token = ")" + plain + R"("
role = "admin"
tenants = ["*"]
user = "u_123"

[[tokens]]
token_sha256 = ")" + hashed +
                           R"("
role = "ingest"
tenants = ["acme", "globex"]

[rules]
files = ["rules/*.toml", "more/a.toml"]
interval = "1m"
)";
  const auto load = parse_config(text, kFile);
  ASSERT_TRUE(load.config.has_value()) << describe(load);
  const Config& c = *load.config;
  EXPECT_EQ(c.server.listen_host, "0.0.0.0");
  EXPECT_EQ(c.server.listen_port, 9999);
  EXPECT_EQ(c.server.max_body_bytes, 1048576u);
  EXPECT_EQ(c.storage.path, "/var/lib/vitals/vitals.db");
  EXPECT_EQ(c.storage.retention, 7 * kMsPerDay);
  ASSERT_EQ(c.tenants.size(), 2u);
  EXPECT_EQ(c.tenants[0].slug, "acme");
  EXPECT_EQ(c.tenants[0].name, "Acme Inc.");
  EXPECT_EQ(c.tenants[0].id, "7efecc64-b5ed-5dbf-b379-90a0ffcfe6df");
  EXPECT_EQ(c.tenants[1].slug, "globex");
  EXPECT_EQ(c.tenants[1].name, "Globex");
  EXPECT_EQ(c.tenants[1].id, "0f8fad5b-d9cb-469f-a165-70867728950e") << "ids are lower-cased";
  ASSERT_EQ(c.tokens.size(), 2u);
  EXPECT_EQ(c.tokens[0].token_hash, sha256(plain));
  EXPECT_EQ(c.tokens[0].role, Role::kAdmin);
  EXPECT_TRUE(c.tokens[0].all_tenants);
  EXPECT_EQ(c.tokens[0].user, std::optional<std::string>("u_123"));
  EXPECT_EQ(c.tokens[0].where, std::string(kFile) + ":18");
  EXPECT_EQ(c.tokens[1].token_hash, sha256("ingest-secret-123"));
  EXPECT_EQ(c.tokens[1].role, Role::kIngest);
  EXPECT_FALSE(c.tokens[1].all_tenants);
  EXPECT_THAT(c.tokens[1].tenants, ElementsAre("acme", "globex"));
  EXPECT_FALSE(c.tokens[1].user.has_value());
  EXPECT_THAT(c.rules.files, ElementsAre("rules/*.toml", "more/a.toml"));
  EXPECT_EQ(c.rules.interval, kMsPerMinute);
}

TEST(Config, EveryRoleName) {
  for (const char* role : {"ingest", "viewer", "editor", "admin"}) {
    SCOPED_TRACE(role);
    const auto load = parse_config(std::string(kMinimal) + R"([[tokens]]
token = "a-long-token"
role = ")" + role + R"("
tenants = ["acme"]
)",
                                   kFile);
    ASSERT_TRUE(load.config.has_value()) << describe(load);
    EXPECT_EQ(role_name(load.config->tokens[0].role), role);
  }
}

TEST(Config, TenantIdIsTheUuidV5OfTheSlug) {
  const auto load = parse_config(kMinimal, kFile);
  ASSERT_TRUE(load.config.has_value()) << describe(load);
  EXPECT_EQ(load.config->tenants[0].id, "7efecc64-b5ed-5dbf-b379-90a0ffcfe6df");
}

TEST(Config, ExplicitTenantIdIsKeptLowerCased) {
  const auto load = parse_config(R"([[tenants]]
slug = "acme"
id = "6BA7B811-9DAD-11D1-80B4-00C04FD430C8"
)",
                                 kFile);
  ASSERT_TRUE(load.config.has_value()) << describe(load);
  EXPECT_EQ(load.config->tenants[0].id, "6ba7b811-9dad-11d1-80b4-00c04fd430c8");
}

TEST(Config, TenantIdThatIsNotAUuidIsAProblem) {
  expect_problem(parse_config(R"([[tenants]]
slug = "acme"
id = "not-a-uuid"
)",
                              kFile),
                 "tenants[0].id", 3);
}

TEST(Config, ListenAcceptsABracketedIpv6Host) {
  const auto load =
      parse_config(std::string("[server]\nlisten = \"[::1]:8080\"\n") + kMinimal, kFile);
  ASSERT_TRUE(load.config.has_value()) << describe(load);
  EXPECT_EQ(load.config->server.listen_host, "::1");
  EXPECT_EQ(load.config->server.listen_port, 8080);
}

TEST(Config, ProblemsNameTheSourceLineAndQualifiedKey) {
  const auto load = parse_config(R"([[tenants]]
slug = "acme"

[[tokens]]
token = "first-token-value"
role = "viewer"
tenants = ["acme"]

[[tokens]]
token = "second-token-value"
role = "superuser"
tenants = ["acme"]
)",
                                 kFile);
  expect_problem(load, "tokens[1].role", 11);
  ASSERT_EQ(load.problems.size(), 1u) << describe(load);
  const std::string text = load.problems[0].to_string();
  EXPECT_THAT(text, ::testing::HasSubstr("vitals.toml:11"));
  EXPECT_THAT(text, ::testing::HasSubstr("tokens[1].role"));
}

TEST(Config, SeveralProblemsAreReportedAtOnce) {
  const auto load = parse_config(R"([server]
listen = "nope"

[storage]
retention = "forever"

[[tenants]]
slug = "Bad Slug"

[[tokens]]
token = "a-long-token"
role = "root"
tenants = ["*"]
)",
                                 kFile);
  EXPECT_FALSE(load.config.has_value());
  expect_problem(load, "server.listen", 2);
  expect_problem(load, "storage.retention", 5);
  expect_problem(load, "tenants[0].slug", 8);
  expect_problem(load, "tokens[0].role", 12);
  EXPECT_EQ(load.problems.size(), 4u) << describe(load);
}

TEST(Config, UnknownKeysAreRejected) {
  const auto load = parse_config(R"([storage]
retension = "30d"

[[tenants]]
slug = "acme"
colour = "red"
)",
                                 kFile);
  expect_problem(load, "storage.retension", 2);
  expect_problem(load, "tenants[0].colour", 6);
}

TEST(Config, UnknownTopLevelKeysAndTablesAreRejected) {
  const auto load = parse_config(std::string(kMinimal) + R"(
[sever]
listen = "127.0.0.1:1"
)",
                                 kFile);
  EXPECT_FALSE(load.config.has_value());
  ASSERT_NE(find_problem(load, "sever"), nullptr) << describe(load);
  EXPECT_EQ(find_problem(load, "sever")->file, kFile);
}

TEST(Config, BadSlugs) {
  for (const char* slug : {"Acme", "-acme", "_acme", "ac me", "acme!", ""}) {
    SCOPED_TRACE(slug);
    expect_problem(parse_config(std::string("[[tenants]]\nslug = \"") + slug + "\"\n", kFile),
                   "tenants[0].slug", 2);
  }
  const std::string too_long(64, 'a');
  expect_problem(parse_config("[[tenants]]\nslug = \"" + too_long + "\"\n", kFile),
                 "tenants[0].slug", 2);
}

TEST(Config, GoodSlugs) {
  for (const char* slug : {"a", "0", "acme-inc", "acme_inc", "9lives"}) {
    SCOPED_TRACE(slug);
    const auto load = parse_config(std::string("[[tenants]]\nslug = \"") + slug + "\"\n", kFile);
    EXPECT_TRUE(load.config.has_value()) << describe(load);
  }
  EXPECT_TRUE(is_valid_tenant_slug(std::string(63, 'a')));
  EXPECT_FALSE(is_valid_tenant_slug(std::string(64, 'a')));
}

TEST(Config, SlugIsRequired) {
  expect_problem(parse_config("[[tenants]]\nname = \"Acme\"\n", kFile), "tenants[0].slug", 1);
}

TEST(Config, DuplicateSlugs) {
  const auto load = parse_config(R"([[tenants]]
slug = "acme"

[[tenants]]
slug = "acme"
)",
                                 kFile);
  EXPECT_FALSE(load.config.has_value());
  const ConfigProblem* p = find_problem(load, "tenants[1].slug");
  ASSERT_NE(p, nullptr) << describe(load);
  EXPECT_EQ(p->file, kFile);
  EXPECT_GE(p->line, 4);
  EXPECT_LE(p->line, 5);
}

TEST(Config, DuplicateTenantIds) {
  const auto load = parse_config(R"([[tenants]]
slug = "acme"
id = "0f8fad5b-d9cb-469f-a165-70867728950e"

[[tenants]]
slug = "globex"
id = "0F8FAD5B-D9CB-469F-A165-70867728950E"
)",
                                 kFile);
  EXPECT_FALSE(load.config.has_value());
  EXPECT_NE(find_problem(load, "tenants[1].id"), nullptr) << describe(load);
}

TEST(Config, ASlugThatIsAnotherTenantsIdIsAProblem) {
  // Paths accept a slug or an id; if one tenant's slug were another's id, a path could resolve
  // to the wrong tenant.
  const auto load = parse_config(R"([[tenants]]
slug = "acme"
id = "0f8fad5b-d9cb-469f-a165-70867728950e"

[[tenants]]
slug = "0f8fad5b-d9cb-469f-a165-70867728950e"
)",
                                 kFile);
  EXPECT_FALSE(load.config.has_value());
  EXPECT_NE(find_problem(load, "tenants[1].slug"), nullptr) << describe(load);
}

TEST(Config, TokenWithBothTokenAndSha256) {
  const auto load = parse_config(std::string(kMinimal) + R"(
[[tokens]]
token = "a-long-token"
token_sha256 = ")" + sha256_hex("a-long-token") +
                                     R"("
role = "admin"
tenants = ["*"]
)",
                                 kFile);
  expect_problem(load, "tokens[0].token", 4);
}

TEST(Config, TokenWithNeitherTokenNorSha256) {
  const auto load = parse_config(std::string(kMinimal) + R"(
[[tokens]]
role = "admin"
tenants = ["*"]
)",
                                 kFile);
  expect_problem(load, "tokens[0].token", 4);
}

TEST(Config, ShortPlainTokenIsAProblem) {
  expect_problem(parse_config(std::string(kMinimal) + R"(
[[tokens]]
token = "short"
role = "admin"
tenants = ["*"]
)",
                              kFile),
                 "tokens[0].token", 5);
}

TEST(Config, BadSha256Hex) {
  const std::string good = sha256_hex("x");
  for (const std::string& bad : {std::string("abc"), good.substr(1), good + "0",
                                 std::string(64, 'g'), "zz" + good.substr(2)}) {
    SCOPED_TRACE(bad);
    expect_problem(parse_config(std::string(kMinimal) + R"(
[[tokens]]
token_sha256 = ")" + bad + R"("
role = "admin"
tenants = ["*"]
)",
                                kFile),
                   "tokens[0].token_sha256", 5);
  }
}

TEST(Config, UpperCaseSha256HexIsAccepted) {
  std::string hex = sha256_hex("some-secret-token");
  for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto load = parse_config(std::string(kMinimal) + R"(
[[tokens]]
token_sha256 = ")" + hex + R"("
role = "admin"
tenants = ["*"]
)",
                                 kFile);
  ASSERT_TRUE(load.config.has_value()) << describe(load);
  EXPECT_EQ(load.config->tokens[0].token_hash, sha256("some-secret-token"));
}

TEST(Config, TokenNamingAnUndeclaredTenant) {
  const auto load = parse_config(std::string(kMinimal) + R"(
[[tokens]]
token = "a-long-token"
role = "viewer"
tenants = ["acme", "initech"]
)",
                                 kFile);
  expect_problem(load, "tokens[0].tenants", 7);
  ASSERT_EQ(load.problems.size(), 1u) << describe(load);
  EXPECT_THAT(load.problems[0].message, ::testing::HasSubstr("initech"));
}

TEST(Config, TokenMayNameATenantDeclaredLaterInTheFile) {
  const auto load = parse_config(R"([[tokens]]
token = "a-long-token"
role = "viewer"
tenants = ["acme"]

[[tenants]]
slug = "acme"
)",
                                 kFile);
  ASSERT_TRUE(load.config.has_value()) << describe(load);
  EXPECT_THAT(load.config->tokens[0].tenants, ElementsAre("acme"));
}

TEST(Config, TokenTenantsMustBeANonEmptyList) {
  expect_problem(parse_config(std::string(kMinimal) + R"(
[[tokens]]
token = "a-long-token"
role = "viewer"
tenants = []
)",
                              kFile),
                 "tokens[0].tenants", 7);
  expect_problem(parse_config(std::string(kMinimal) + R"(
[[tokens]]
token = "a-long-token"
role = "viewer"
)",
                              kFile),
                 "tokens[0].tenants", 4);
}

TEST(Config, BadRole) {
  for (const char* role : {"root", "Admin", "", "writer"}) {
    SCOPED_TRACE(role);
    expect_problem(parse_config(std::string(kMinimal) + R"(
[[tokens]]
token = "a-long-token"
role = ")" + role + R"("
tenants = ["*"]
)",
                                kFile),
                   "tokens[0].role", 6);
  }
}

TEST(Config, RoleIsRequired) {
  expect_problem(parse_config(std::string(kMinimal) + R"(
[[tokens]]
token = "a-long-token"
tenants = ["*"]
)",
                              kFile),
                 "tokens[0].role", 4);
}

TEST(Config, DuplicateTokens) {
  const auto load = parse_config(std::string(kMinimal) + R"(
[[tokens]]
token = "a-long-token"
role = "viewer"
tenants = ["*"]

[[tokens]]
token_sha256 = ")" + sha256_hex("a-long-token") +
                                     R"("
role = "admin"
tenants = ["*"]
)",
                                 kFile);
  EXPECT_FALSE(load.config.has_value());
  EXPECT_NE(find_problem(load, "tokens[1].token"), nullptr) << describe(load);
}

TEST(Config, BadListenStrings) {
  for (const char* listen : {"nope", "host:0", "host:70000", "host:", "host:65536", "host:12x",
                             "host:1234567", "9470"}) {
    SCOPED_TRACE(listen);
    expect_problem(
        parse_config(std::string("[server]\nlisten = \"") + listen + "\"\n" + kMinimal, kFile),
        "server.listen", 2);
  }
}

TEST(Config, ListenPortBounds) {
  for (const char* listen : {"localhost:1", "localhost:65535"}) {
    SCOPED_TRACE(listen);
    const auto load =
        parse_config(std::string("[server]\nlisten = \"") + listen + "\"\n" + kMinimal, kFile);
    ASSERT_TRUE(load.config.has_value()) << describe(load);
    EXPECT_EQ(load.config->server.listen_host, "localhost");
  }
}

TEST(Config, ListenMustBeAString) {
  expect_problem(parse_config(std::string("[server]\nlisten = 9470\n") + kMinimal, kFile),
                 "server.listen", 2);
}

TEST(Config, BadDurations) {
  for (const char* d : {"35", "35x", "forever", "", "-1d", "1.5h"}) {
    SCOPED_TRACE(d);
    expect_problem(
        parse_config(std::string("[storage]\nretention = \"") + d + "\"\n" + kMinimal, kFile),
        "storage.retention", 2);
    expect_problem(
        parse_config(std::string(kMinimal) + "[rules]\ninterval = \"" + d + "\"\n", kFile),
        "rules.interval", 4);
  }
}

TEST(Config, DurationTooLargeToRepresentIsAProblem) {
  // 2e10 weeks overflows 64-bit milliseconds; it must not wrap into a negative horizon.
  expect_problem(
      parse_config(std::string("[storage]\nminute_rollup_horizon = \"20000000000w\"\n") + kMinimal,
                   kFile),
      "storage.minute_rollup_horizon", 2);
}

TEST(Config, DurationMustBeAString) {
  expect_problem(parse_config(std::string("[storage]\nretention = 35\n") + kMinimal, kFile),
                 "storage.retention", 2);
}

TEST(Config, RollupSnapshotSitsBesideTheStoreUnlessTurnedOff) {
  const auto on = parse_config(std::string("[storage]\npath = \"/d/v.db\"\n") + kMinimal, kFile);
  ASSERT_TRUE(on.config.has_value()) << describe(on);
  EXPECT_EQ(on.config->storage.rollup_snapshot_path(), "/d/v.db.rollups");
  const auto off =
      parse_config(std::string("[storage]\nrollup_snapshot = false\n") + kMinimal, kFile);
  ASSERT_TRUE(off.config.has_value()) << describe(off);
  EXPECT_EQ(off.config->storage.rollup_snapshot_path(), "");
  expect_problem(
      parse_config(std::string("[storage]\nrollup_snapshot = \"yes\"\n") + kMinimal, kFile),
      "storage.rollup_snapshot", 2);
}

TEST(Config, ValidDurations) {
  const auto load = parse_config(
      std::string("[storage]\nretention = \"2w\"\n") + kMinimal + "[rules]\ninterval = \"1m30s\"\n",
      kFile);
  ASSERT_TRUE(load.config.has_value()) << describe(load);
  EXPECT_EQ(load.config->storage.retention, 14 * kMsPerDay);
  EXPECT_EQ(load.config->rules.interval, 90 * kMsPerSecond);
}

TEST(Config, MaxBodyBytesBounds) {
  expect_problem(parse_config(std::string("[server]\nmax_body_bytes = 10\n") + kMinimal, kFile),
                 "server.max_body_bytes", 2);
  expect_problem(
      parse_config(std::string("[server]\nmax_body_bytes = \"16MiB\"\n") + kMinimal, kFile),
      "server.max_body_bytes", 2);
}

TEST(Config, TomlSyntaxErrorReportsItsLine) {
  const auto load = parse_config(R"([[tenants]]
slug = "acme"
name = "unterminated
)",
                                 kFile);
  EXPECT_FALSE(load.config.has_value());
  ASSERT_EQ(load.problems.size(), 1u) << describe(load);
  EXPECT_EQ(load.problems[0].file, kFile);
  EXPECT_EQ(load.problems[0].line, 3);
  EXPECT_FALSE(load.problems[0].message.empty());
}

TEST(Config, TomlSyntaxErrorOnALaterLine) {
  const auto load = parse_config(std::string(kMinimal) + "\n\n[server\n", kFile);
  ASSERT_EQ(load.problems.size(), 1u) << describe(load);
  EXPECT_EQ(load.problems[0].line, 5);
}

TEST(Config, NoTenantsIsAProblem) {
  const auto load = parse_config("[server]\nlisten = \"127.0.0.1:9470\"\n", kFile);
  EXPECT_FALSE(load.config.has_value());
  const ConfigProblem* p = find_problem(load, "tenants");
  ASSERT_NE(p, nullptr) << describe(load);
  EXPECT_EQ(p->file, kFile);
}

TEST(Config, EmptyFileIsAProblem) {
  const auto load = parse_config("", kFile);
  EXPECT_FALSE(load.config.has_value());
  EXPECT_FALSE(load.problems.empty());
}

TEST(Config, ProblemToStringShape) {
  const ConfigProblem with_line{"f.toml", 7, "tokens[0].role", "bad"};
  EXPECT_EQ(with_line.to_string(), "f.toml:7: tokens[0].role: bad");
  const ConfigProblem without_line{"f.toml", 0, "", "cannot read"};
  EXPECT_EQ(without_line.to_string(), "f.toml: cannot read");
}

TEST(Config, MissingFileIsAProblem) {
  const auto load = load_config_file("/nonexistent/dir/vitals.toml");
  EXPECT_FALSE(load.config.has_value());
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_EQ(load.problems[0].file, "/nonexistent/dir/vitals.toml");
}

}  // namespace
}  // namespace vitals

namespace vitals {
namespace {

TEST(Config, WarehouseThresholdsHaveTheContractsDefaultsAndCanBeSet) {
  const auto defaults = parse_config(kMinimal, kFile);
  ASSERT_TRUE(defaults.config) << describe(defaults);
  EXPECT_EQ(defaults.config->warehouse.idle_after, 24 * kMsPerHour);
  EXPECT_EQ(defaults.config->warehouse.failures_in_a_row, 3);
  EXPECT_EQ(defaults.config->warehouse.dlq_growth_reports, 3);

  const auto custom = parse_config(std::string(kMinimal) +
                                       "[warehouse]\nidle_after = \"12h\"\nfailures_in_a_row = 5\n"
                                       "dlq_window = \"6h\"\n",
                                   kFile);
  ASSERT_TRUE(custom.config) << describe(custom);
  EXPECT_EQ(custom.config->warehouse.idle_after, 12 * kMsPerHour);
  EXPECT_EQ(custom.config->warehouse.failures_in_a_row, 5);
  EXPECT_EQ(custom.config->warehouse.dlq_window, 6 * kMsPerHour);
}

TEST(Config, BadWarehouseThresholdsAreProblems) {
  const auto load = parse_config(std::string(kMinimal) +
                                     "[warehouse]\nfailures_in_a_row = 1\nidle_after = \"10s\"\n"
                                     "idle_afterr = \"1h\"\n",
                                 kFile);
  EXPECT_FALSE(load.config);
  EXPECT_NE(find_problem(load, "warehouse.failures_in_a_row"), nullptr) << describe(load);
  EXPECT_NE(find_problem(load, "warehouse.idle_after"), nullptr) << describe(load);
  EXPECT_NE(find_problem(load, "warehouse.idle_afterr"), nullptr) << describe(load);
}

TEST(Config, NotificationsDefaultToNoReceiversAndTheListenAddress) {
  const auto load =
      parse_config(std::string(kMinimal) + "[server]\nlisten = \"[::1]:9470\"\n", kFile);
  ASSERT_TRUE(load.config) << describe(load);
  const NotificationsConfig& n = load.config->notifications;
  EXPECT_EQ(n.external_url, "http://[::1]:9470");
  EXPECT_EQ(n.queue_limit, 10'000u);
  EXPECT_TRUE(n.alertmanager.urls.empty());
  EXPECT_EQ(n.alertmanager.resend_interval, kMsPerMinute);
  EXPECT_TRUE(n.webhooks.empty());
}

TEST(Config, NotificationReceiversAreRead) {
  const auto load = parse_config(std::string(kMinimal) + R"(
[notifications]
external_url = "https://vitals.example.com/"
queue_limit = 500
retry_initial = "2s"
retry_max = "1m"

[notifications.alertmanager]
urls = ["http://am-1:9093", "http://am-2:9093"]
resend_interval = "30s"
severities = ["critical", "error"]

[[notifications.webhooks]]
name = "ops"
url = "https://hooks.example.com/vitals"
secret = "s"
timeout = "3s"
tenants = ["acme"]
sources = ["warehouse"]
)",
                                 kFile);
  ASSERT_TRUE(load.config) << describe(load);
  const NotificationsConfig& n = load.config->notifications;
  EXPECT_EQ(n.external_url, "https://vitals.example.com");
  EXPECT_EQ(n.queue_limit, 500u);
  EXPECT_EQ(n.backoff.initial, 2 * kMsPerSecond);
  EXPECT_EQ(n.backoff.max, kMsPerMinute);
  EXPECT_THAT(n.alertmanager.urls, ElementsAre("http://am-1:9093", "http://am-2:9093"));
  EXPECT_EQ(n.alertmanager.resend_interval, 30 * kMsPerSecond);
  EXPECT_THAT(n.alertmanager.route.severities, ElementsAre("critical", "error"));
  ASSERT_EQ(n.webhooks.size(), 1u);
  EXPECT_EQ(n.webhooks[0].name, "ops");
  EXPECT_EQ(n.webhooks[0].secret, "s");
  EXPECT_EQ(n.webhooks[0].timeout, 3 * kMsPerSecond);
  EXPECT_THAT(n.webhooks[0].route.tenants, ElementsAre("acme"));
  EXPECT_THAT(n.webhooks[0].route.sources, ElementsAre("warehouse"));
}

TEST(Config, BadNotificationSettingsAreProblemsWithTheirPlace) {
  const auto load = parse_config(std::string(kMinimal) + R"([notifications]
queue_limit = 0
retry_initial = "5s"
retry_max = "1s"

[notifications.alertmanager]
urls = ["ftp://am:9093"]
resend_intervall = "1m"

[[notifications.webhooks]]
name = "ops"
url = "not a url"
severities = ["fatal"]
tenants = ["nobody"]

[[notifications.webhooks]]
name = "ops"
)",
                                 kFile);
  expect_problem(load, "notifications.queue_limit", 4);
  EXPECT_NE(find_problem(load, "notifications.retry_max"), nullptr) << describe(load);
  expect_problem(load, "notifications.alertmanager.urls", 9);
  expect_problem(load, "notifications.alertmanager.resend_intervall", 10);
  expect_problem(load, "notifications.webhooks[0].url", 14);
  expect_problem(load, "notifications.webhooks[0].severities", 15);
  expect_problem(load, "notifications.webhooks[0].tenants", 16);
  expect_problem(load, "notifications.webhooks[1].name", 19);
  EXPECT_NE(find_problem(load, "notifications.webhooks[1].url"), nullptr) << describe(load);
}

TEST(Config, AlertmanagerUrlsCarryNoCredentialsAndTimeoutsStayUnderTheResendInterval) {
  const auto load = parse_config(std::string(kMinimal) + R"([notifications.alertmanager]
urls = ["http://user:secret@am:9093"]
resend_interval = "10s"
timeout = "10s"
)",
                                 kFile);
  expect_problem(load, "notifications.alertmanager.urls", 4);
  EXPECT_NE(find_problem(load, "notifications.alertmanager.timeout"), nullptr) << describe(load);
  EXPECT_EQ(describe(load).find("secret"), std::string::npos) << "the secret is not repeated";
}

// Found by fuzz/config_fuzz.cc: an empty URL threw std::out_of_range out of parse_config, which
// would have ended vitals on a reload.
TEST(Config, EmptyOrSchemelessUrlsAreProblemsNotExceptions) {
  const auto load = parse_config(std::string(kMinimal) + R"([notifications.alertmanager]
urls = ["", "am:9093"]

[[notifications.webhooks]]
name = "ops"
url = ""
)",
                                 kFile);
  expect_problem(load, "notifications.alertmanager.urls", 4);
  expect_problem(load, "notifications.webhooks[0].url", 8);
  for (const char* url : {"", "/", "http:", "http:/"}) {
    EXPECT_FALSE(is_http_url(url)) << url;
    EXPECT_FALSE(has_credentials(url)) << url;
  }
}

TEST(Config, ServerConnectionLimitsHaveDefaultsAndBounds) {
  const auto defaults = parse_config(kMinimal, kFile);
  ASSERT_TRUE(defaults.config.has_value()) << describe(defaults);
  const ServerConfig& d = defaults.config->server;
  EXPECT_EQ(d.threads, 16);
  EXPECT_EQ(d.connection_queue, 20);
  EXPECT_EQ(d.listen_backlog, 200);
  EXPECT_EQ(d.max_header_bytes, 16384u);
  EXPECT_EQ(d.request_timeout, 30 * kMsPerSecond);
  EXPECT_EQ(d.keep_alive_timeout, 30 * kMsPerSecond);

  const auto set = parse_config(std::string("[server]\nconnection_queue = 5\nlisten_backlog = 50\n"
                                            "max_header_bytes = 8192\nrequest_timeout = \"1s\"\n"
                                            "keep_alive_timeout = \"500ms\"\n") +
                                    kMinimal,
                                kFile);
  ASSERT_TRUE(set.config.has_value()) << describe(set);
  EXPECT_EQ(set.config->server.connection_queue, 5);
  EXPECT_EQ(set.config->server.listen_backlog, 50);
  EXPECT_EQ(set.config->server.max_header_bytes, 8192u);
  EXPECT_EQ(set.config->server.request_timeout, kMsPerSecond);
  EXPECT_EQ(set.config->server.keep_alive_timeout, 500);

  expect_problem(
      parse_config(std::string("[server]\nrequest_timeout = \"50ms\"\n") + kMinimal, kFile),
      "server.request_timeout", 2);
  expect_problem(
      parse_config(std::string("[server]\nkeep_alive_timeout = \"1h\"\n") + kMinimal, kFile),
      "server.keep_alive_timeout", 2);
  expect_problem(parse_config(std::string("[server]\nconnection_queue = 0\n") + kMinimal, kFile),
                 "server.connection_queue", 2);
  expect_problem(parse_config(std::string("[server]\nmax_header_bytes = 10\n") + kMinimal, kFile),
                 "server.max_header_bytes", 2);
  expect_problem(parse_config(std::string("[server]\nthreads = 1\n") + kMinimal, kFile),
                 "server.threads", 2);
}

// No idle TTL unless set: counters are reset by nothing but a restart (SPEC §4).
TEST(Config, LimitsKeepIdleSeriesUnlessATtlIsSet) {
  const auto defaults =
      parse_config(std::string("[storage]\nretention = \"7d\"\n") + kMinimal, kFile);
  ASSERT_TRUE(defaults.config.has_value()) << describe(defaults);
  EXPECT_EQ(defaults.config->limits.max_series_per_family, 100'000u);
  EXPECT_EQ(defaults.config->limits.max_series_per_tenant, 100'000u);
  EXPECT_EQ(defaults.config->limits.series_idle_ttl, 0);

  const auto set =
      parse_config(std::string("[limits]\nmax_series_per_family = 500\n"
                               "max_series_per_tenant = 700\nseries_idle_ttl = \"30d\"\n") +
                       kMinimal,
                   kFile);
  ASSERT_TRUE(set.config.has_value()) << describe(set);
  EXPECT_EQ(set.config->limits.max_series_per_family, 500u);
  EXPECT_EQ(set.config->limits.max_series_per_tenant, 700u);
  EXPECT_EQ(set.config->limits.series_idle_ttl, 30 * kMsPerDay);

  expect_problem(
      parse_config(std::string("[limits]\nmax_series_per_family = 0\n") + kMinimal, kFile),
      "limits.max_series_per_family", 2);
  expect_problem(
      parse_config(std::string("[limits]\nmax_series_per_tenant = -1\n") + kMinimal, kFile),
      "limits.max_series_per_tenant", 2);
  expect_problem(
      parse_config(std::string("[limits]\nseries_idle_ttl = \"10s\"\n") + kMinimal, kFile),
      "limits.series_idle_ttl", 2);
  expect_problem(parse_config(std::string("[limits]\nmax_series = 5\n") + kMinimal, kFile),
                 "limits.max_series", 2);
}

}  // namespace
}  // namespace vitals
