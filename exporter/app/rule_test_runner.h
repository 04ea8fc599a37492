#pragma once

#include <ostream>
#include <string>

namespace vitals {

// `vitals test rules FILE`: runs rule unit tests (rules/README.md describes the format) against
// the real store, rollups and signal source on a scratch database, with a manual clock that steps
// through the evaluations. Prints one line per test and returns the process exit code: 0 when
// every test passed, 1 when one failed, 2 when the test file or a rule file is invalid.
int run_rule_tests(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace vitals
