#pragma once

#include <string>

namespace vitals::testing {

struct PromtoolResult {
  // promtool's own codes: 0 clean, 1 unparsable, 3 parsable but with lint problems.
  int exit_code = 0;
  // stdout and stderr together, as promtool printed them.
  std::string output;
};

// Runs `promtool check metrics` with `exposition` on stdin: the same check Prometheus users
// run against a /metrics page.
PromtoolResult promtool_check_metrics(const std::string& exposition);

}  // namespace vitals::testing
