#pragma once

#include "config/config.h"
#include "evaluator/rule_loader.h"

namespace vitals {

// The rules the configuration names: `rules.files` globs, relative ones against the directory of
// the configuration file (as Prometheus resolves rule_files).
evaluator::RuleLoad load_configured_rules(const Config& config);

}  // namespace vitals
