#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "evaluator/rule.h"

namespace vitals::evaluator {

// What `{{name}}` placeholders in a rule's title, message, link and annotations expand to: the
// alert's labels by name, and `value`, `threshold`, `window`, `rule`, `op`, `signal`.
struct TemplateValues {
  const Labels& labels;
  double value = 0;
  const Rule& rule;
};

std::string expand_template(std::string_view text, const TemplateValues& values);

// `text` with every `{{name}}` replaced by placeholder(name); an unclosed `{{` and what follows
// is copied as it is.
std::string rewrite_template(std::string_view text,
                             const std::function<std::string(std::string_view)>& placeholder);

// A window as rules write it and Prometheus reads it: "15m", "24h", "7d", "1500ms".
std::string format_window(TimeMs ms);

// The placeholder names `text` uses; a `{{` without its `}}` is reported as the name "{{".
std::set<std::string> template_names(std::string_view text);

// The names every template may use besides the alert's labels.
bool is_builtin_template_name(std::string_view name);

// A number as people read it: at most four decimals, no trailing zeros ("97.5", "1200").
std::string format_number(double value);

}  // namespace vitals::evaluator
