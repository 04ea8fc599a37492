#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/toml_reader.h"
#include "evaluator/rule.h"

namespace vitals::evaluator {

struct RuleLoad {
  std::vector<Rule> rules;
  std::vector<SourceProblem> problems;  // the rules are usable only when this is empty
};

// Parses one rules file's text: `[[rules]]` tables (rules/README.md). Every problem is reported
// with the file, line and key, and unknown keys are problems, so a misspelt `for` never silently
// turns into an alert that fires at once.
RuleLoad parse_rules(std::string_view text, const std::string& file);

// Reads and parses every file, then checks what no single file can: rule names are unique.
RuleLoad load_rule_files(const std::vector<std::string>& paths);

// Expands glob patterns (relative ones against `base_dir`) into sorted, distinct paths. A pattern
// that matches nothing is not an error: a rules directory may be empty.
std::vector<std::string> expand_rule_globs(const std::vector<std::string>& patterns,
                                           const std::string& base_dir);

// The group and filter dimensions `signal` accepts.
const std::vector<std::string_view>& dimensions_of(Signal signal);

}  // namespace vitals::evaluator
