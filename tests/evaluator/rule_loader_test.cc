#include "evaluator/rule_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vitals::evaluator {
namespace {

const SourceProblem* problem_at(const RuleLoad& load, const std::string& key) {
  for (const auto& p : load.problems) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

std::string problems_of(const RuleLoad& load) {
  std::string out;
  for (const auto& p : load.problems) out += p.to_string() + "\n";
  return out;
}

TEST(RuleLoaderTest, ReadsEveryKeyOfARule) {
  const auto load = parse_rules(R"toml(
[[rules]]
name = "SyncErrorRate"
tenants = ["acme"]
signal = "pct_change(error_rate_pct)"
where = { integration_type = "sync_run", status = "exception" }
by = ["integration_key"]
window = "15m"
op = ">="
threshold = 25.5
for = "5m"
keep_firing_for = "10m"
min_events = 20
severity = "critical"
source = "flow"
title = "{{integration_key}} errors up {{value}}%"
message = "in {{tenant}} over {{window}}"
link = "/syncs/{{integration_key}}"
pinned = true
labels = { team = "data" }
annotations = { runbook_url = "https://runbooks/{{alertname}}" }
)toml",
                                "a.toml");
  ASSERT_TRUE(load.problems.empty()) << problems_of(load);
  ASSERT_EQ(load.rules.size(), 1u);
  const Rule& r = load.rules[0];
  EXPECT_EQ(r.name, "SyncErrorRate");
  EXPECT_EQ(r.tenants, std::vector<std::string>{"acme"});
  EXPECT_EQ(r.signal, Signal::kErrorRatePct);
  EXPECT_TRUE(r.pct_change);
  EXPECT_EQ(r.where.at("status"), "exception");
  EXPECT_EQ(r.by, std::vector<std::string>{"integration_key"});
  EXPECT_EQ(r.window, 15 * kMsPerMinute);
  EXPECT_EQ(r.op, Comparison::kGreaterOrEqual);
  EXPECT_EQ(r.threshold, 25.5);
  EXPECT_EQ(r.for_duration, 5 * kMsPerMinute);
  EXPECT_EQ(r.keep_firing_for, 10 * kMsPerMinute);
  EXPECT_EQ(r.min_events, 20u);
  EXPECT_EQ(r.severity, "critical");
  EXPECT_EQ(r.source, "flow");
  EXPECT_TRUE(r.pinned);
  EXPECT_EQ(r.labels.at("team"), "data");
  EXPECT_EQ(r.annotations.at("runbook_url"), "https://runbooks/{{alertname}}");
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.signal_expression(), "pct_change(error_rate_pct)");
}

TEST(RuleLoaderTest, ReportsEachMistakeWithFileLineAndKey) {
  const auto load = parse_rules(R"([[rules]]
name = "Bad"
signal = "p95_ms"
where = { color = "blue" }
by = ["audience"]
window = "soon"
op = "=>"
threshold = "high"
severity = "urgent"
title = "{{integration_key}} is slow"
fro = "5m"
)",
                                "bad.toml");
  for (const char* key :
       {"rules[0].where.color", "rules[0].by", "rules[0].window", "rules[0].op",
        "rules[0].threshold", "rules[0].severity", "rules[0].title", "rules[0].fro"}) {
    EXPECT_NE(problem_at(load, key), nullptr) << key << "\n" << problems_of(load);
  }
  EXPECT_EQ(problem_at(load, "rules[0].window")->line, 6);
  EXPECT_EQ(problem_at(load, "rules[0].title")->line, 10);
  EXPECT_EQ(problem_at(load, "rules[0].fro")->message, "unknown key");
  EXPECT_EQ(problem_at(load, "rules[0].window")->file, "bad.toml");
}

TEST(RuleLoaderTest, APlaceholderProblemNamesTheLineOfItsKey) {
  const auto load = parse_rules(R"([[rules]]
name = "P"
signal = "error_count"
op = ">"
threshold = 1
title = "t"
message = "{{nope}}"
link = "{{unclosed"
annotations = { fine = "{{value}}", runbook = "{{also_nope}}" }
)",
                                "p.toml");
  ASSERT_NE(problem_at(load, "rules[0].message"), nullptr) << problems_of(load);
  EXPECT_EQ(problem_at(load, "rules[0].message")->line, 7);
  ASSERT_NE(problem_at(load, "rules[0].link"), nullptr) << problems_of(load);
  EXPECT_EQ(problem_at(load, "rules[0].link")->line, 8);
  ASSERT_NE(problem_at(load, "rules[0].annotations.runbook"), nullptr) << problems_of(load);
  EXPECT_EQ(problem_at(load, "rules[0].annotations.runbook")->line, 9);
  EXPECT_EQ(problem_at(load, "rules[0].annotations.fine"), nullptr);
}

TEST(RuleLoaderTest, RequiresNameSignalOpThresholdAndTitle) {
  const auto load = parse_rules("[[rules]]\nwindow = \"5m\"\n", "f.toml");
  for (const char* key : {"rules[0].name", "rules[0].signal", "rules[0].op", "rules[0].threshold",
                          "rules[0].title"}) {
    EXPECT_NE(problem_at(load, key), nullptr) << key;
  }
}

TEST(RuleLoaderTest, SignalSpecificRequirements) {
  auto items = parse_rules(
      "[[rules]]\nname=\"I\"\nsignal=\"items\"\nop=\">\"\nthreshold=1\ntitle=\"t\"\n", "f");
  EXPECT_NE(problem_at(items, "rules[0].item"), nullptr);
  auto status = parse_rules(
      "[[rules]]\nname=\"W\"\nsignal=\"warehouse_connection_status\"\nop=\"==\"\nthreshold=1\n"
      "title=\"t\"\n",
      "f");
  EXPECT_NE(problem_at(status, "rules[0].where.state"), nullptr);
  auto bad_state = parse_rules(
      "[[rules]]\nname=\"W\"\nsignal=\"warehouse_connection_status\"\nwhere={state=\"on "
      "fire\"}\nop=\"==\"\nthreshold=1\ntitle=\"t\"\n",
      "f");
  EXPECT_NE(problem_at(bad_state, "rules[0].where.state"), nullptr);
  auto unknown = parse_rules(
      "[[rules]]\nname=\"U\"\nsignal=\"pct_change(vibes)\"\nop=\">\"\nthreshold=1\ntitle=\"t\"\n",
      "f");
  EXPECT_NE(problem_at(unknown, "rules[0].signal"), nullptr);
}

TEST(RuleLoaderTest, RuleLabelsMayNotOverrideAlertLabels) {
  auto load = parse_rules(
      "[[rules]]\nname=\"L\"\nsignal=\"error_count\"\nop=\">\"\nthreshold=1\ntitle=\"t\"\n"
      "labels={ tenant = \"other\", ok_label = \"x\" }\n",
      "f");
  EXPECT_NE(problem_at(load, "rules[0].labels.tenant"), nullptr);
  EXPECT_EQ(problem_at(load, "rules[0].labels.ok_label"), nullptr);
}

TEST(RuleLoaderTest, ASyntaxErrorIsOneProblemWithItsLine) {
  auto load = parse_rules("[[rules]]\nname = \"x\n", "broken.toml");
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_EQ(load.problems[0].line, 2);
}

TEST(RuleLoaderTest, NamesAreUniqueAcrossFilesAndGlobsExpandRelativeToTheConfig) {
  const auto dir = std::filesystem::temp_directory_path() / "vitals-rule-loader-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "rules");
  const std::string rule =
      "[[rules]]\nname=\"Same\"\nsignal=\"error_count\"\nop=\">\"\n"
      "threshold=1\ntitle=\"t\"\n";
  const std::string other =
      "[[rules]]\nname=\"Other\"\nsignal=\"error_count\"\nop=\">\"\n"
      "threshold=1\ntitle=\"t\"\n";
  std::ofstream(dir / "rules" / "a.toml") << rule;
  std::ofstream(dir / "rules" / "b.toml") << other << "\n" << rule;
  std::ofstream(dir / "rules" / "notes.txt") << "not a rule file";
  const auto paths = expand_rule_globs({"rules/*.toml", "rules/a.toml"}, dir.string());
  ASSERT_EQ(paths.size(), 2u) << "sorted and distinct";
  const auto load = load_rule_files(paths);
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_NE(load.problems[0].message.find("already the name"), std::string::npos);
  EXPECT_NE(load.problems[0].message.find("a.toml:1"), std::string::npos);
  // The second file's second rule, at the line of its name.
  EXPECT_NE(load.problems[0].file.find("b.toml"), std::string::npos);
  EXPECT_EQ(load.problems[0].key, "rules[1].name");
  EXPECT_EQ(load.problems[0].line, 9);
  EXPECT_TRUE(expand_rule_globs({"nothing/*.toml"}, dir.string()).empty());
  EXPECT_FALSE(load_rule_files({(dir / "missing.toml").string()}).problems.empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vitals::evaluator
