// The vitals command line outside `serve`.

#include <gtest/gtest.h>

#include <map>

#include "support/process.h"
#include "support/temp_dir.h"

namespace vitals::testing {
namespace {

struct Run {
  int status;
  std::string output;
};

Run run_vitals(const std::vector<std::string>& args, const TempDir& dir,
               const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> argv = {VITALS_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess p;
  p.start(argv, env, dir.path() / "out.log");
  auto status = p.wait_exit(std::chrono::seconds(30));
  return {status.value_or(-1), p.read_log()};
}

TEST(Cli, CheckConfigAcceptsTheExample) {
  TempDir dir;
  auto r = run_vitals({"check", "config", std::string(VITALS_SOURCE_DIR) + "/examples/vitals.toml"},
                      dir);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("OK"), std::string::npos);
}

TEST(Cli, CheckConfigNamesFileLineAndKeyOfEveryProblem) {
  TempDir dir;
  const auto path = dir.write_file("bad.toml",
                                   "[server]\n"
                                   "listen = \"nowhere\"\n"
                                   "[[tenants]]\n"
                                   "slug = \"Acme!\"\n"
                                   "[[tokens]]\n"
                                   "token = \"long-enough-token\"\n"
                                   "role = \"root\"\n"
                                   "tenants = [\"*\"]\n");
  auto r = run_vitals({"check", "config", path.string()}, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find(path.string() + ":2: server.listen"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(path.string() + ":4: tenants[0].slug"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(path.string() + ":7: tokens[0].role"), std::string::npos) << r.output;
}

TEST(Cli, CheckConfigChecksTheNotificationReceivers) {
  TempDir dir;
  const auto path = dir.write_file("bad.toml",
                                   "[[tenants]]\n"
                                   "slug = \"acme\"\n"
                                   "[notifications.alertmanager]\n"
                                   "urls = [\"127.0.0.1:9093\"]\n"
                                   "[[notifications.webhooks]]\n"
                                   "name = \"ops\"\n"
                                   "url = \"https://hooks.example.com/v\"\n"
                                   "severities = [\"page\"]\n");
  auto r = run_vitals({"check", "config", path.string()}, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find(path.string() + ":4: notifications.alertmanager.urls"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(path.string() + ":8: notifications.webhooks[0].severities"),
            std::string::npos)
      << r.output;
}

TEST(Cli, CheckConfigAcceptsTheSourcesExampleWhenItsTokenVariableIsSet) {
  TempDir dir;
  const std::string example = std::string(VITALS_SOURCE_DIR) + "/examples/sources/vitals.toml";
  auto ok = run_vitals({"check", "config", example}, dir, {{"VITALS_SOURCE_TOKEN", "t"}});
  EXPECT_EQ(ok.status, 0) << ok.output;
  auto unset = run_vitals({"check", "config", example}, dir, {{"VITALS_SOURCE_TOKEN", ""}});
  EXPECT_EQ(unset.status, 0) << "set but empty is still set: " << unset.output;
}

TEST(Cli, CheckConfigChecksTheSources) {
  TempDir dir;
  const auto path =
      dir.write_file("bad.toml",
                     "[[tenants]]\n"
                     "slug = \"acme\"\n"
                     "[[sources]]\n"
                     "name = \"crm\"\n"
                     "tenant = \"initech\"\n"
                     "[sources.http]\n"
                     "url = \"http://127.0.0.1:1/runs\"\n"
                     "headers = { Authorization = \"Bearer ${env:VITALS_NOT_SET_X}\" }\n"
                     "[sources.http.mapping]\n"
                     "type = \"kind\"\n");
  auto r = run_vitals({"check", "config", path.string()}, dir);
  EXPECT_EQ(r.status, 1);
  for (const std::string expected :
       {":5: sources[0].tenant", ":8: sources[0].http.headers.Authorization",
        ":9: sources[0].http.mapping.status"}) {
    EXPECT_NE(r.output.find(path.string() + expected), std::string::npos) << r.output;
  }
}

TEST(Cli, ServeRefusesAnInvalidConfiguration) {
  TempDir dir;
  const auto path = dir.write_file("bad.toml", "[storage]\nretention = \"forever\"\n");
  auto r = run_vitals({"serve", "--config", path.string()}, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("storage.retention"), std::string::npos) << r.output;
}

TEST(Cli, CheckRulesNamesFileLineAndKeyAndCheckConfigChecksTheRulesItNames) {
  TempDir dir;
  const auto rules = dir.write_file("rules/bad.toml",
                                    "[[rules]]\n"
                                    "name = \"Slow\"\n"
                                    "signal = \"p95_ms\"\n"
                                    "op = \">\"\n"
                                    "threshold = 1\n"
                                    "title = \"{{nobody}}\"\n"
                                    "window = \"a while\"\n");
  auto r = run_vitals({"check", "rules", rules.string()}, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find(rules.string() + ":7: rules[0].window"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rules[0].title"), std::string::npos) << r.output;
  const auto config = dir.write_file(
      "vitals.toml", "[[tenants]]\nslug = \"acme\"\n[rules]\nfiles = [\"rules/*.toml\"]\n");
  auto c = run_vitals({"check", "config", config.string()}, dir);
  EXPECT_EQ(c.status, 1);
  EXPECT_NE(c.output.find("rules[0].window"), std::string::npos) << c.output;
  auto shipped =
      run_vitals({"check", "rules", std::string(VITALS_SOURCE_DIR) + "/rules/syncs.toml"}, dir);
  EXPECT_EQ(shipped.status, 0) << shipped.output;
}

TEST(Cli, TestRulesReportsAFailingExpectationAndExitsOne) {
  TempDir dir;
  dir.write_file("r.toml",
                 "[[rules]]\nname = \"AnyError\"\nsignal = \"error_count\"\nop = \">\"\n"
                 "threshold = 0\ntitle = \"t\"\n");
  const auto test =
      dir.write_file("r_test.toml",
                     "rule_files = [\"r.toml\"]\n[[tests]]\nname = \"wrong on purpose\"\n"
                     "  [[tests.events]]\n  status = \"exception\"\n  at = \"0m\"\n"
                     "  [[tests.expect]]\n  at = \"1m\"\n  firing = []\n");
  auto r = run_vitals({"test", "rules", test.string()}, dir);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("FAIL  wrong on purpose: at +60s: expected firing [], got "
                          "[{alertname=\"AnyError\""),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("0 of 1 rule tests passed"), std::string::npos);
}

TEST(Cli, UnknownCommandsPrintUsage) {
  TempDir dir;
  auto r = run_vitals({"frobnicate"}, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("usage:"), std::string::npos);
  EXPECT_EQ(run_vitals({"version"}, dir).status, 0);
}

}  // namespace
}  // namespace vitals::testing
