#include "app/rule_files.h"

#include <filesystem>

namespace vitals {

evaluator::RuleLoad load_configured_rules(const Config& config) {
  const auto base = std::filesystem::path(config.source_path).parent_path().string();
  return evaluator::load_rule_files(evaluator::expand_rule_globs(config.rules.files, base));
}

}  // namespace vitals
