#include "evaluator/alert_template.h"

#include <gtest/gtest.h>

namespace vitals::evaluator {
namespace {

TEST(AlertTemplateTest, ExpandsLabelsAndBuiltins) {
  Rule rule;
  rule.name = "Slow";
  rule.signal = Signal::kP95Ms;
  rule.threshold = 1500;
  rule.window = 2 * kMsPerHour;
  rule.op = Comparison::kGreater;
  const Labels labels = {{"integration_key", "s1"}, {"tenant", "acme"}};
  EXPECT_EQ(expand_template("{{ integration_key }} p95 {{value}} ms {{op}} {{threshold}} over "
                            "{{window}} ({{rule}}, {{signal}}, {{tenant}})",
                            {labels, 1834.56789, rule}),
            "s1 p95 1834.5679 ms > 1500 over 2h (Slow, p95_ms, acme)");
  EXPECT_EQ(expand_template("no placeholders", {labels, 0, rule}), "no placeholders");
  EXPECT_EQ(expand_template("open {{ end", {labels, 0, rule}), "open {{ end");
}

TEST(AlertTemplateTest, ListsTheNamesATemplateUses) {
  EXPECT_EQ(template_names("{{a}} and {{ b }} and {{a}}"), (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(template_names("broken {{a"), (std::set<std::string>{"{{"}));
}

TEST(AlertTemplateTest, FormatsNumbersForPeople) {
  EXPECT_EQ(format_number(97.5), "97.5");
  EXPECT_EQ(format_number(1200), "1200");
  EXPECT_EQ(format_number(0.18), "0.18");
  EXPECT_EQ(format_number(-0.00001), "0");
  EXPECT_EQ(format_number(1.0 / 3.0), "0.3333");
}

}  // namespace
}  // namespace vitals::evaluator
